"""Who acts, in which role, from where: what every audit event says about its actor.

The caller builds it. A view asks `AuditContext.for_request(request)`; a service receives
it from its view; a command uses `AuditContext.system("command:purge")`. The audit log
never looks a role up itself: the role comes from the function named by the setting
AUDIT_ROLE_RESOLVER (the accounts app's `role_of`, wired in config/settings.py), so
audit, the bottom layer, imports no app above it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string

RoleResolver = Callable[[Any], str]


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
    def for_user(cls, user: Any, request: HttpRequest | None = None) -> AuditContext:
        """`user` acting (anonymous: no actor), from `request`'s address and id if given."""
        origin = {
            "source_ip": source_ip(request),
            "request_id": str(getattr(request, "request_id", "") or "")[:64],
        }
        if user is None or not getattr(user, "is_authenticated", False):
            return cls(**origin)
        return cls(
            actor_id=user.pk,
            actor=user.get_username()[:150],
            actor_role=_role_resolver()(user)[:40],
            **origin,
        )

    @classmethod
    def for_request(cls, request: HttpRequest) -> AuditContext:
        """The signed-in user of `request` (or nobody), cached on the request."""
        cached = getattr(request, "_audit_context", None)
        if cached is None:
            cached = cls.for_user(getattr(request, "user", None), request)
            request._audit_context = cached  # type: ignore[attr-defined]
        return cached

    def on_behalf(self, who: str) -> AuditContext:
        return replace(self, on_behalf_of=who[:150])


@cache
def _role_resolver() -> RoleResolver:
    resolver: RoleResolver = import_string(settings.AUDIT_ROLE_RESOLVER)
    return resolver


def source_ip(request: HttpRequest | None) -> str | None:
    """REMOTE_ADDR, normalised as the database stores it; None if absent or not an address.

    Behind a proxy this is the proxy's address unless the deployment rewrites
    REMOTE_ADDR from a header it trusts (not done here: a header anyone can set
    must not decide what the audit log says).
    """
    if request is None:
        return None
    raw = request.META.get("REMOTE_ADDR") or ""
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)
