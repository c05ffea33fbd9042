"""A new account's one-time activation link: the user sets their own password, then enrols
the second factor. The admin sets no passwords (accounts/user_admin.py).

The link is signed with Django's password-reset token machinery under a salt of its own
(a reset token is no activation token and the other way round). It works once: the token
covers the password hash and the last sign-in, and the page only serves accounts that have
no usable password yet. It lasts ACCOUNT_ACTIVATION_HOURS (PASSWORD_RESET_TIMEOUT: no
other password-reset flow exists in the product). It is sent by e-mail to the address on
the account and never shown in the admin, logged or audited: whoever sees it can set the
password.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.middleware import start_session_clock
from audit.context import AuditContext
from audit.events import record
from audit.models import Action


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.activation.ActivationTokenGenerator"


activation_tokens = ActivationTokenGenerator()


def activation_path(user: User) -> str:
    return reverse(
        "activate",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": activation_tokens.make_token(user),
        },
    )


def awaits_activation(user: AbstractBaseUser) -> bool:
    return not user.has_usable_password()


def send_activation_link(user: User, site_url: str) -> None:
    """E-mail the link to the account's own address (site_url: "https://zrm.gemeente.nl")."""
    link = site_url.rstrip("/") + activation_path(user)
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    send_mail(
        _("Activeer uw account voor ZRM-intake"),
        _(
            "Er is een account voor u aangemaakt in ZRM-intake (gebruikersnaam: %(username)s).\n\n"
            "Open deze link om zelf uw wachtwoord te kiezen. Daarna stelt u de "
            "tweestapsverificatie in met een authenticator-app.\n\n%(link)s\n\n"
            "De link werkt één keer en is %(hours)d uur geldig. Heeft u geen account "
            "aangevraagd? Meld het dan bij de functioneel beheerder."
        )
        % {"username": user.get_username(), "link": link, "hours": hours},
        None,
        [user.email],
    )


@transaction.atomic
def do_create_account(user: User, *, context: AuditContext, site_url: str) -> User:
    """Store a new account without a password (nobody can sign in as it) and, once the
    transaction commits, mail its activation link. Never staff or superuser: those are
    four-eyes grants and createsuperuser."""
    user.set_unusable_password()
    user.is_staff = False
    user.is_superuser = False
    user.save()
    record(
        Action.CREATE, context, obj=user, detail={"account": "created", "activation_link": "sent"}
    )
    transaction.on_commit(lambda: send_activation_link(user, site_url))
    return user


@transaction.atomic
def do_send_new_activation_link(user: User, *, context: AuditContext, site_url: str) -> bool:
    """A fresh link for an account that was never activated (the old one expired)."""
    if not awaits_activation(user):
        return False
    record(Action.UPDATE, context, obj=user, detail={"account": "link", "activation_link": "sent"})
    transaction.on_commit(lambda: send_activation_link(user, site_url))
    return True


class ActivationView(PasswordResetConfirmView):
    """Django's own reset-confirm page (the token leaves the URL for the session at once),
    for accounts awaiting activation only; after the password: signed in, then the second
    factor's enrolment (accounts/middleware.py sends them there while OTP_REQUIRED)."""

    token_generator = activation_tokens
    template_name = "registration/activate.html"
    reset_url_token = "wachtwoord-kiezen"  # noqa: S105 (a URL segment, not a password)
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        return user if user is not None and awaits_activation(user) else None

    def get_success_url(self) -> str:
        return reverse("two_factor:enrol") if settings.OTP_REQUIRED else reverse("home")

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        user = form.user
        response = super().form_valid(form)  # saves the password, signs in (LOGIN event)
        start_session_clock(self.request)
        record(
            Action.UPDATE,
            AuditContext.for_user(user, self.request),
            obj=user,
            detail={"account": "activated"},
        )
        return response
