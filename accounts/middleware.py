"""Session limits, the second-factor gate, and what a signed-in user's browser may keep.

All act on a signed-in user and run after AuthenticationMiddleware (the gate also
after django-otp's OTPMiddleware), see MIDDLEWARE in settings.
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
from django.utils.cache import patch_cache_control
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


# Sent when a response ends a session: the browser drops what it cached and stored for this
# origin (pages, form state kept for Back, local and session storage). Not "cookies": the
# session cookie is already void, and clearing it would also log out other tabs' CSRF tokens.
CLEAR_SITE_DATA = '"cache", "storage"'


class BrowserKeepsNothingMiddleware:
    """The one place that tells the browser what it may keep of a signed-in user's pages.

    - Every response to a signed-in user (before or after the view: sign-in and sign-out
      included), and every response to a POST (it may echo what was typed, a rejected BSN
      too), is `Cache-Control: no-store, private`: no page with resident data lands in the
      disk cache, and Back fetches it again from the server, which then answers for the
      intake as it is now (a finalised intake's discarded values are gone).
    - A response that ends a session (sign-out, the admin's sign-out, an expired session)
      carries `Clear-Site-Data: "cache", "storage"`.

    Placed right after AuthenticationMiddleware, so it sees the user before the session
    checks below it can sign them out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        was_signed_in = request.user.is_authenticated
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if was_signed_in or signed_in or request.method == "POST":
            patch_cache_control(response, no_store=True, private=True)
        if was_signed_in and not signed_in:
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


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
