"""Sign-in, failed sign-in and sign-out events, from Django's auth signals.

A failed sign-in stores no username at all: a mistyped username can be a
person's name (or a password typed in the wrong field). It stores the outcome,
the source address and the request id only.
"""

from typing import Any

from django.http import HttpRequest

from audit.context import AuditContext
from audit.events import record
from audit.models import Action, Outcome


def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(Action.LOGIN, AuditContext.for_user(user, request))


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # `credentials` is deliberately ignored (Django already masks the password,
    # but the username is as sensitive here).
    record(Action.LOGIN_FAILED, AuditContext.for_user(None, request), outcome=Outcome.DENIED)


def on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # `user` is None when the session had already expired: log it anonymously.
    record(Action.LOGOUT, AuditContext.for_user(user, request))
