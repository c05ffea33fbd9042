"""Sign-in, failed sign-in and sign-out events, from Django's auth signals.

A failed sign-in stores no username at all: a mistyped username can be a
person's name (or a password typed in the wrong field). It stores the outcome,
the source address and the request id only.
"""

import getpass
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


# ---- superusers --------------------------------------------------------------------------
# A superuser exists only through `manage.py createsuperuser` on the server: the admin
# offers no superuser flag to anyone (accounts/user_admin.py). Whatever the path (the
# command, a shell), every account that becomes or stops being a superuser is audited here,
# with the operating-system user who ran it.
_WAS_SUPERUSER = "_zrm_was_superuser"


def before_user_save(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and "is_superuser" not in update_fields:
        return  # e.g. last_login at every sign-in: the flag cannot change
    was = bool(
        instance.pk
        and not instance._state.adding
        and sender._default_manager.filter(pk=instance.pk, is_superuser=True).exists()
    )
    setattr(instance, _WAS_SUPERUSER, was)


def after_user_save(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not hasattr(instance, _WAS_SUPERUSER):
        return
    was = getattr(instance, _WAS_SUPERUSER)
    delattr(instance, _WAS_SUPERUSER)
    if bool(instance.is_superuser) == was:
        return
    record(
        Action.CREATE if created else Action.UPDATE,
        AuditContext.system(f"command:{_os_user()}"),
        obj=instance,
        detail={"superuser": "granted" if instance.is_superuser else "revoked"},
    )


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return "unknown"
