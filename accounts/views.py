"""The sign-in page (the second factor's pages are accounts/two_factor.py)."""

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_POST

from accounts.middleware import seconds_left, start_session_clock, touch_session


class SignInView(LoginView):
    """Django's sign-in (it cycles the session key), plus the session clock and the
    development note about the second factor."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["otp_required"] = settings.OTP_REQUIRED
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        start_session_clock(self.request)
        return response


@login_required
@require_POST
def keep_alive(request: HttpRequest) -> JsonResponse:
    """ "Blijf aangemeld": restart the idle clock; the page's script asks before it ends.

    The absolute limit still holds: the answer says how long the session has left."""
    touch_session(request)
    return JsonResponse({"seconds_left": seconds_left(request)})
