"""The second factor: TOTP (an authenticator app) with backup codes, via django-otp.

Flow: sign in with a password -> enrol (first time: scan the QR code, type a code, note
the backup codes) or verify (type a code from the app or a backup code) -> the page the
user asked for. RequireSecondFactorMiddleware keeps a signed-in but unverified user on
these pages while OTP_REQUIRED is on (always in production).
"""

import base64
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, verify_token
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.http import AuthenticatedHttpRequest
from audit.context import AuditContext
from audit.events import record
from audit.models import Action, Outcome

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator-app"
BACKUP_DEVICE_NAME = "reservecodes"


WRONG_CODE_MESSAGE = gettext_lazy(
    "Deze code klopt niet of is verlopen. Controleer de tijd op uw telefoon en probeer het "
    "opnieuw met de nieuwste code."
)
WRONG_ENROLMENT_CODE_MESSAGE = gettext_lazy(
    "Deze code klopt niet. Scan de QR-code opnieuw of typ de sleutel over, en vul de nieuwste "
    "code uit de app in."
)
THROTTLED_MESSAGE = gettext_lazy(
    "Te veel onjuiste codes achter elkaar. Wacht %(seconds)d seconden en probeer het opnieuw."
)


def otp_required() -> bool:
    return bool(settings.OTP_REQUIRED)


def is_verified(user: AbstractBaseUser) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def needs_second_factor(request: HttpRequest) -> bool:
    """True for a signed-in user who still has to pass the second factor in this session."""
    user = getattr(request, "user", None)
    return otp_required() and user is not None and user.is_authenticated and not is_verified(user)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        help_text=gettext_lazy(
            "De zes cijfers uit uw authenticator-app, of een van uw reservecodes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def clean_token(self) -> str:
        # People type codes with spaces ("123 456"), as the apps show them.
        return "".join(self.cleaned_data["token"].split()).lower()


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def confirmed_totp_device(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def qr_code_data_uri(text: str) -> str:
    """The QR code as an SVG data: URI, drawn here: no external service; CSP allows data:."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


def grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def new_backup_codes(user: AbstractBaseUser) -> list[str]:
    """Replace the user's backup codes with a fresh set; each code works once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _device_kind(device: Device) -> str:
    return "backup_code" if isinstance(device, StaticDevice) else "totp"


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {"otp_required": otp_required(), "next": _next_url(request), **extra}


@never_cache
@login_required
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for a code from the authenticator app (or a backup code)."""
    user = request.user
    if confirmed_totp_device(user) is None:
        return redirect(_with_next("two_factor:enrol", request))
    if is_verified(user):
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    throttled = _throttled_message(user) if request.method == "POST" else ""
    if throttled:
        form.is_valid()
        form.add_error("token", throttled)
    elif request.method == "POST" and form.is_valid():
        device = _verify_any_device(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            record(
                Action.LOGIN,
                AuditContext.for_request(request),
                detail={"second_factor": _device_kind(device)},
            )
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("U heeft een reservecode gebruikt. U heeft er nog %(count)d over.")
                    % {"count": left},
                )
            return redirect(_next_url(request))
        record(
            Action.LOGIN_FAILED,
            AuditContext.for_request(request),
            outcome=Outcome.DENIED,
            detail={"second_factor": True},
        )
        form.add_error("token", str(WRONG_CODE_MESSAGE))
    return render(request, "otp/verify.html", _context(request, form=form))


def _verify_any_device(user: AbstractBaseUser, token: str) -> Device | None:
    # Check device by device (django-otp's advice), so each device's throttling applies.
    for device in list(devices_for_user(user, confirmed=True)):
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


def _throttled_message(user: AbstractBaseUser) -> str:
    """django-otp doubles the wait after each wrong code; say so rather than "wrong code"."""
    for device in TOTPDevice.objects.filter(user=user):
        allowed, info = device.verify_is_allowed()
        if not allowed and info and info.get("locked_until"):
            seconds = max(1, int((info["locked_until"] - timezone.now()).total_seconds()) + 1)
            return str(THROTTLED_MESSAGE) % {"seconds": seconds}
    return ""


def _with_next(url_name: str, request: HttpRequest) -> str:
    return reverse(url_name) + "?" + urlencode({"next": _next_url(request)})


@never_cache
@login_required
def enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Link an authenticator app: scan the QR code, confirm with one code, get backup codes."""
    user = request.user
    if confirmed_totp_device(user) is not None:
        # A second device may only be linked after passing the first one.
        if not is_verified(user):
            return redirect(_with_next("two_factor:verify", request))
        return render(request, "otp/enrolled.html", _context(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    form = TokenForm(request.POST or None)
    throttled = _throttled_message(user) if request.method == "POST" else ""
    if throttled:
        form.is_valid()
        form.add_error("token", throttled)
    elif request.method == "POST" and form.is_valid():
        if verify_token(user, device.persistent_id, form.cleaned_data["token"]) is not None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            codes = new_backup_codes(user)
            record(
                Action.LOGIN,
                AuditContext.for_request(request),
                detail={"second_factor": "enrolled"},
            )
            return render(
                request, "otp/backup_codes.html", _context(request, codes=codes, first_time=True)
            )
        form.add_error("token", str(WRONG_ENROLMENT_CODE_MESSAGE))
    secret = base64.b32encode(device.bin_key).decode("ascii")
    return render(
        request,
        "otp/enrol.html",
        _context(
            request,
            form=form,
            qr_code=qr_code_data_uri(device.config_url),
            secret=grouped(secret),
        ),
    )


@never_cache
@login_required
def backup_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """See how many backup codes are left; make a new set (the old set stops working)."""
    user = request.user
    if confirmed_totp_device(user) is None or not is_verified(user):
        return redirect(_with_next("two_factor:verify", request))
    if request.method == "POST":
        codes = new_backup_codes(user)
        record(Action.UPDATE, AuditContext.for_request(request), detail={"backup_codes": "renewed"})
        return render(request, "otp/backup_codes.html", _context(request, codes=codes))
    left = StaticToken.objects.filter(device__user=user, device__name=BACKUP_DEVICE_NAME).count()
    return render(request, "otp/backup_codes_status.html", _context(request, left=left))
