"""Who acts, in which role, from where: what every audit event says about its actor.

The caller builds it. A view asks `AuditContext.for_request(request)`; a service receives
it from its view; a command uses `AuditContext.system("command:purge")`. The audit log
never looks a role up itself: the role comes from the function named by the setting
AUDIT_ROLE_RESOLVER (the accounts app's `role_of`, wired in config/settings.py), so
audit, the bottom layer, imports no app above it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django.utils.module_loading import import_string

# The role resolver is handed the signed-in user.
RoleResolver = Callable[[User], str]
_CACHE = "_audit_context"
# Where audit.middleware.RequestIdMiddleware puts the request's id.
REQUEST_ID_ATTRIBUTE = "request_id"


@dataclass(frozen=True, kw_only=True)
class AuditContext:
    actor_id: int | None = None
    actor: str = ""
    actor_role: str = ""
    on_behalf_of: str = ""
    source_ip: str | None = None
    request_id: str = ""

    @classmethod
    def system(cls, name: str) -> AuditContext:
        """A command or scheduled job: a name such as "command:purge", no user, no role."""
        return cls(actor=name[:150])

    @classmethod
    def for_user(
        cls, user: User | AnonymousUser | None, request: HttpRequest | None = None
    ) -> AuditContext:
        """`user` acting (anonymous: no actor), from `request`'s address and id if given."""
        ip = source_ip(request)
        request_id = str(getattr(request, REQUEST_ID_ATTRIBUTE, "") or "")[:64]
        if user is None or not user.is_authenticated:
            return cls(source_ip=ip, request_id=request_id)
        return cls(
            actor_id=user.pk,
            actor=user.get_username()[:150],
            actor_role=_role_resolver()(user)[:40],
            source_ip=ip,
            request_id=request_id,
        )

    @classmethod
    def for_request(cls, request: HttpRequest) -> AuditContext:
        """The signed-in user of `request` (or nobody), cached on the request for as long as
        its user stays the same (signing in or out replaces request.user)."""
        user = getattr(request, "user", None)
        cached: tuple[object, AuditContext] | None = getattr(request, _CACHE, None)
        if cached is None or cached[0] is not user:
            cached = (user, cls.for_user(user, request))
            setattr(request, _CACHE, cached)
        return cached[1]

    def on_behalf(self, who: str) -> AuditContext:
        return replace(self, on_behalf_of=who[:150])


def _role_resolver() -> RoleResolver:
    # Looked up each time (a dictionary look-up once imported), so that the setting is
    # what decides, also when a test overrides it.
    resolver: RoleResolver = import_string(settings.AUDIT_ROLE_RESOLVER)
    return resolver


def source_ip(request: HttpRequest | None) -> str | None:
    """The client's address, normalised as the database stores it; None if absent or not
    an address. The audit log and the sign-in throttling (axes) both use this.

    REMOTE_ADDR, unless REMOTE_ADDR is a proxy named in TRUSTED_PROXIES: then the last
    address in its CLIENT_ADDRESS_HEADER (X-Forwarded-For) that is not itself a trusted
    proxy, read from the right, because each proxy appends the address it saw and only
    the part our own proxies wrote can be believed. With no proxy named (the default) a
    header, which anyone can set, never decides what the audit log says.
    """
    if request is None:
        return None
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    trusted = getattr(settings, "TRUSTED_PROXIES", ())
    if remote is None or not _in(remote, trusted):
        return remote
    header = getattr(settings, "CLIENT_ADDRESS_HEADER", "X-Forwarded-For")
    key = "HTTP_" + header.upper().replace("-", "_")
    for part in reversed(str(request.META.get(key, "")).split(",")):
        address = _address(part.strip())
        if address is None:
            return remote  # a hop that is no address: believe nothing before it
        if not _in(address, trusted):
            return address
    return remote


def _address(raw: str) -> str | None:
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


def _in(address: str, networks: Sequence[str]) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(n, strict=False) for n in networks)
