"""The security headers on every response the application gives, error responses included.

Django's own middleware sets them on the way out: SecurityMiddleware (nosniff, referrer
policy, HSTS), XFrameOptionsMiddleware and django-csp's CSPMiddleware. A response made
before those run has none of theirs: Django's 400 for an unknown Host (CommonMiddleware
refuses it early), a 500 for an exception raised inside a middleware, the health check.
This middleware, first in MIDDLEWARE, is the last to see every response and fills in
whichever of the headers is missing, with the values the settings give the others.
Responses gunicorn writes itself (a worker timeout, an error before Django) never reach
Django: the TLS proxy adds the headers there (README, "Production").
"""

from __future__ import annotations

from collections.abc import Callable

from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse


def required_headers() -> dict[str, str]:
    headers = {
        "Content-Security-Policy": build_policy(),
        "X-Frame-Options": settings.X_FRAME_OPTIONS,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
    }
    return headers


class SecurityHeadersOnEveryResponse:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.headers = required_headers()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in self.headers.items():
            if name not in response:
                response[name] = value
        return response
