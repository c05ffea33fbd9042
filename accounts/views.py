"""The sign-in page (the second factor's pages are accounts/two_factor.py)."""

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpResponse

from accounts.middleware import start_session_clock


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
