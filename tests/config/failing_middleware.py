"""A middleware that fails on every request, for the tests of error responses."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class FailingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raise RuntimeError("a middleware failed")
