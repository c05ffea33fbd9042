"""Login throttling with django-axes: the Dutch lock-out page and its audit event.

Axes counts failures per combination of user name and client address and refuses
further attempts for AXES_COOLOFF_TIME once AXES_FAILURE_LIMIT is reached. The user
name someone typed is not recorded in the audit log or in axes' log lines: it may be
a password typed into the wrong field.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audit.context import AuditContext
from audit.events import record
from audit.models import Action, Outcome

LOCKED_OUT_STATUS = 429


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, object] | None = None,
) -> HttpResponse:
    """Axes' AXES_LOCKOUT_CALLABLE: audit the refused attempt, answer with a Dutch page."""
    record(
        Action.LOGIN_FAILED,
        AuditContext.for_request(request),
        outcome=Outcome.DENIED,
        detail={"locked_out": True},
    )
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=LOCKED_OUT_STATUS,
    )


AXES_USERNAME_MAX_LENGTH = 255  # axes' AccessAttempt.username column


def username_for_axes(request: HttpRequest, credentials: dict[str, object] | None = None) -> str:
    """The user name axes counts failures for, made safe to store: whatever was typed,
    without NUL characters (PostgreSQL refuses them) and cut to the column length, so
    hostile input on the sign-in form is a failed attempt, never a database error."""
    if credentials:
        raw = credentials.get("username")
    else:
        raw = getattr(request, "POST", {}).get("username")
    return str(raw or "").replace("\x00", "")[:AXES_USERNAME_MAX_LENGTH]


def client_str(
    username: str,
    ip_address: str,
    user_agent: str,
    path_info: str,
    request: HttpRequest,
) -> str:
    """How axes names a client in its log lines: the address only, never the user name."""
    return f"address={ip_address}"
