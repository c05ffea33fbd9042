"""The one role gate: "this view is for these roles only".

A view declares the roles it serves; everyone else is refused the same way for every
URL of that view, so the answer never depends on whether an object exists:

- `hide=False` (the default): 403. For pages that name no object (a 403 leaks nothing).
- `hide=True`: 404, for pages whose very existence is the privacy officer's business.

No page needs to ask for `Cache-Control: no-store`: every response to a signed-in user
carries it (accounts.middleware.BrowserKeepsNothingMiddleware).
Object access is not a role question: intake/access.py answers it (404).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase

from accounts.roles import role_of

View = Callable[..., HttpResponseBase]


def role_required(*roles: str, hide: bool = False) -> Callable[[View], View]:
    """Sign-in first (anonymous: to the sign-in page), then one of `roles`."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if role_of(request.user) not in roles:
                raise Http404 if hide else PermissionDenied
            return view(request, *args, **kwargs)

        return gated

    return decorator
