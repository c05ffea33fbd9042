"""Login throttling with django-axes: two limits, the Dutch lock-out page, its audit events.

- Per user name and client address (axes): AXES_FAILURE_LIMIT failures lock that pair
  out for AXES_COOLOFF_TIME. Attempts during the lock-out do not restart it.
- Per client address, whatever the user names (`AddressLimitBackend`, password
  spraying): ADDRESS_FAILURE_LIMIT failures within ADDRESS_FAILURE_WINDOW lock the
  address out until the window has passed its failures. Counted from axes' own rows:
  the failures of every (user name, address) pair of this address whose latest failure
  falls in the window.

The client address is `audit.context.source_ip`: REMOTE_ADDR, or the forwarded address
when REMOTE_ADDR is a proxy named in TRUSTED_PROXIES. Behind such a proxy a lock-out
therefore hits the attacker's address, not the real user at another one; without it,
every client shares the proxy's address and the per-pair limit is a per-user-name limit.
No softer per-user-name control (a growing delay) is added: a delay holds a worker for
each attempt, which turns throttling into a way to exhaust the server, and the second
factor (OTP_REQUIRED in production) already stops a guessed password alone.

What is stored: never the password (axes masks it) and never the typed user name. A
typed user name can be a person's name (or a password typed in the wrong field), so
axes keeps a keyed hash of it (HMAC-SHA256 with a key derived from SECRET_KEY, over the
name in Unicode NFKC, case-folded, trimmed): the same name typed again gives the same
hash, which is all a lock-out needs, and nobody can read the name back or test guesses
without the key. The POST data axes keeps has the user name masked too. The audit log
and axes' log lines hold no user name at all.
"""

import unicodedata

from axes.exceptions import AxesBackendPermissionDenied
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac

from audit.context import AuditContext, source_ip
from audit.events import record
from audit.models import Action, Outcome

LOCKED_OUT_STATUS = 429
ADDRESS_LOCKED_OUT = "zrm_address_locked_out"  # request attribute: which limit refused
USERNAME_HASH_SALT = "zrm.accounts.throttling.username"


def failures_from(address: str | None) -> int:
    """Failed sign-ins from `address` within ADDRESS_FAILURE_WINDOW, over every user name."""
    if not address:
        return 0
    since = timezone.now() - settings.ADDRESS_FAILURE_WINDOW
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return int(total or 0)


class AddressLimitBackend:
    """First in AUTHENTICATION_BACKENDS: refuses every sign-in from an address past its
    limit before any password is checked, and hands the refusal to axes' lock-out
    response (which calls `locked_out` below). Authenticates nobody itself, and has no
    get_user() on purpose: Django's force_login() and session lookups skip a backend
    without one, as they skip axes' own."""

    def authenticate(self, request: HttpRequest | None, **credentials: object) -> None:
        if request is None:
            return None
        if failures_from(source_ip(request)) >= settings.ADDRESS_FAILURE_LIMIT:
            setattr(request, ADDRESS_LOCKED_OUT, True)
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]
            raise AxesBackendPermissionDenied("this address is past its failure limit")
        return None


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, object] | None = None,
) -> HttpResponse:
    """Axes' AXES_LOCKOUT_CALLABLE: audit the refused attempt, answer with a Dutch page.

    The two limits are told apart in the event: `{"locked_out": true}` for a user name
    at an address, `{"locked_out": "address", ...}` for an address past its own limit."""
    by_address = getattr(request, ADDRESS_LOCKED_OUT, False)
    window = settings.ADDRESS_FAILURE_WINDOW if by_address else settings.AXES_COOLOFF_TIME
    minutes = int(window.total_seconds() // 60)
    detail: dict[str, object] = {"locked_out": True}
    if by_address:
        detail = {
            "locked_out": "address",
            "limit": settings.ADDRESS_FAILURE_LIMIT,
            "window_minutes": minutes,
        }
    record(
        Action.LOGIN_FAILED,
        AuditContext.for_request(request),
        outcome=Outcome.DENIED,
        detail=detail,
    )
    return render(
        request,
        "registration/locked_out.html",
        {
            "cooloff_minutes": minutes,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "by_address": by_address,
        },
        status=LOCKED_OUT_STATUS,
    )


AXES_USERNAME_MAX_LENGTH = 255  # axes' AccessAttempt.username column


def normalised_username(raw: object) -> str:
    """What counts as the same user name: NFKC (full-width and compatibility forms
    folded), case-folded, trimmed, without NUL characters."""
    text = unicodedata.normalize("NFKC", str(raw or "")).casefold().strip()
    return text.replace("\x00", "")


def username_for_axes(request: HttpRequest, credentials: dict[str, object] | None = None) -> str:
    """The user name axes counts failures for, as the keyed hash axes stores (module
    docstring): 64 hex digits, whatever was typed, so hostile input on the sign-in form
    is a failed attempt, never a database error, and the typed text is kept nowhere."""
    if credentials:
        raw = credentials.get("username")
    else:
        raw = getattr(request, "POST", {}).get("username")
    name = normalised_username(raw)
    return salted_hmac(USERNAME_HASH_SALT, name, algorithm="sha256").hexdigest()[
        :AXES_USERNAME_MAX_LENGTH
    ]


def client_str(
    username: str,
    ip_address: str,
    user_agent: str,
    path_info: str,
    request: HttpRequest,
) -> str:
    """How axes names a client in its log lines: the address only, never the user name."""
    return f"address={ip_address}"
