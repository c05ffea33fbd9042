"""Session limits and the second-factor gate.

Both act on a signed-in user only and run after AuthenticationMiddleware (and
after django-otp's OTPMiddleware for the gate), see MIDDLEWARE in settings.
"""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.two_factor import needs_second_factor

LAST_SEEN_KEY = "zrm_last_seen"
SIGNED_IN_AT_KEY = "zrm_signed_in_at"
# The idle clock's step: see SessionTimeoutMiddleware.
LAST_SEEN_MAX_STEP_SECONDS = 60

# Views a signed-in but not yet verified user may reach: sign-out and the second-factor pages.
SECOND_FACTOR_EXEMPT_URL_NAMES = frozenset({"login", "logout", "healthz"})
SECOND_FACTOR_NAMESPACE = "two_factor"
# A script's request (autosave, keep-alive) says so, and gets JSON instead of a redirect.
SCRIPT_HEADER = "X-ZRM-Script"

# Sent when a signed-in session ends on its clock, before the session is flushed, with
# the request that arrived too late. A receiver may keep what that request carried (the
# intake app parks a late save, intake/parking.py) and answers True when it did; the
# accounts layer knows nothing of intakes.
session_expired = Signal()


def start_session_clock(request: HttpRequest) -> None:
    """Called at sign-in (accounts.views.SignInView), after Django has cycled the session key."""
    now = time.time()
    request.session[SIGNED_IN_AT_KEY] = now
    request.session[LAST_SEEN_KEY] = now


class SessionTimeoutMiddleware:
    """End a session after SESSION_IDLE_SECONDS without a request, or
    SESSION_ABSOLUTE_SECONDS after sign-in, whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            last_seen = session.get(LAST_SEEN_KEY, now)
            signed_in_at = session.get(SIGNED_IN_AT_KEY, now)
            idle = now - last_seen > settings.SESSION_IDLE_SECONDS
            too_old = now - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS
            if idle or too_old:
                answers = session_expired.send(
                    sender=self.__class__, request=request, user=request.user
                )
                kept = any(bool(answer) for _receiver, answer in answers)
                # logout() flushes the session: data and key are gone from the database.
                logout(request)
                if request.headers.get(SCRIPT_HEADER):
                    return JsonResponse({"expired": True, "parked": kept}, status=401)
                if kept:
                    messages.info(
                        request,
                        _(
                            "Uw sessie was verlopen. Uw wijzigingen zijn bewaard: meld u "
                            "opnieuw aan, dan worden ze alsnog opgeslagen."
                        ),
                    )
                else:
                    messages.info(request, _("Uw sessie is verlopen. Meld u opnieuw aan."))
                # Back to the page of the parked save after signing in, where it is applied.
                return redirect_to_login(request, next_url=request.path if kept else "")
            if SIGNED_IN_AT_KEY not in session:
                # A session made without the sign-in page (force_login in tests).
                session[SIGNED_IN_AT_KEY] = now
            # The idle clock moves in steps of last_seen_resolution(): saving the session on
            # every request cost a transaction and a WAL flush per page (make bench). The stored
            # time lags the real last request by less than one step, so a session can end up
            # to one step early, never late: the idle limit is still never exceeded.
            if LAST_SEEN_KEY not in session or now - last_seen >= last_seen_resolution():
                session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def last_seen_resolution() -> float:
    """At most a minute, and a small part of a short idle limit."""
    return min(LAST_SEEN_MAX_STEP_SECONDS, settings.SESSION_IDLE_SECONDS / 10)


def seconds_left(request: HttpRequest) -> int:
    """Seconds until this session ends on its clock, as the middleware will see it.

    The stored last-seen time may lag the last request by up to one step (see
    SessionTimeoutMiddleware), so this is never later than the real end."""
    now = time.time()
    session = request.session
    idle_left = settings.SESSION_IDLE_SECONDS - (now - session.get(LAST_SEEN_KEY, now))
    absolute_left = settings.SESSION_ABSOLUTE_SECONDS - (now - session.get(SIGNED_IN_AT_KEY, now))
    return max(0, int(min(idle_left, absolute_left)))


def touch_session(request: HttpRequest) -> None:
    """Restart the idle clock now ("blijf aangemeld")."""
    request.session[LAST_SEEN_KEY] = time.time()


def redirect_to_login(request: HttpRequest, *, next_url: str = "") -> HttpResponse:
    url = reverse(settings.LOGIN_URL)
    if request.method == "GET":
        next_url = request.get_full_path()
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return HttpResponseRedirect(url)


class RequireSecondFactorMiddleware:
    """With OTP_REQUIRED, a signed-in user who has not passed the second factor in this
    session reaches nothing but sign-out and the second-factor pages (enrol, verify)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        if not needs_second_factor(request):
            return None
        match = request.resolver_match
        if match is not None and (
            match.url_name in SECOND_FACTOR_EXEMPT_URL_NAMES
            or SECOND_FACTOR_NAMESPACE in match.namespaces
        ):
            return None
        target = reverse("two_factor:verify")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
