"""The request of a view that only a signed-in user reaches (behind login_required or
role_required): for mypy, its `user` is a stored user, never AnonymousUser."""

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    user: User
