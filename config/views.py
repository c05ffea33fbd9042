"""Pages that belong to no single app: the start page and the health check."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import role_of
from config import health


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what this role can do here."""
    return render(request, "home.html", {"role": role_of(request.user)})


def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the app can reach its database, 503 when it cannot. In the URLs for
    reverse() and the authorisation matrix; config.health's middleware answers first."""
    return health.answer(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A Dutch page for a form without a valid CSRF token; `reason` is not shown."""
    return render(request, "403_csrf.html", status=403)
