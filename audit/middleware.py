"""Request ids, and access-denied events that no view has to remember to write.

RequestIdMiddleware: every request gets `request.request_id`, taken from a sane
X-Request-ID header (set by the proxy) or freshly generated, and sent back in the
X-Request-ID response header, so one request can be followed from the proxy log
to the audit log.

AccessAuditMiddleware writes an ACCESS_DENIED event when:
- a view answers 404 or 403 (intake/access.py raises Http404 for anything the
  user may not see, so every object-access refusal is logged, whichever view
  made it); a URL that matches no view at all is not logged;
- an anonymous request to a resident-data URL (AUDIT_RESIDENT_URL_PREFIXES) is
  sent to the sign-in page.
The event holds the URL name and, when the URL carries them, the numeric object
id and the resident reference; never the raw path or query string, which could
hold anything a user typed.

It also writes ADMIN_VIEW for every admin page a signed-in user gets (any
ModelAdmin, Django's own user and group pages included), unless the page's
ModelAdmin uses audit.admin.AuditedAdminMixin, which already wrote a richer event.
"""

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url

from audit.context import REQUEST_ID_ATTRIBUTE, AuditContext
from audit.events import record
from audit.models import Action, Outcome
from audit.refs import ref_text

REQUEST_ID_HEADER = "X-Request-ID"
# Hex digits and dashes only (UUIDs, nginx's $request_id): a header a client can
# set must not be able to smuggle a name into the audit log.
_SANE_REQUEST_ID = re.compile(r"^[0-9A-Fa-f-]{16,64}$")

DEFAULT_RESIDENT_URL_PREFIXES = ("/intakes/", "/inwoners/")
_OBJECT_ID_KWARGS = ("pk", "intake_id", "id")
_RESIDENT_REF_KWARGS = ("ref", "resident_ref")


def request_id_from(request: HttpRequest) -> str:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    if _SANE_REQUEST_ID.fullmatch(offered):
        return offered.lower()
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request)
        # Read back by audit.context.AuditContext.for_request().
        setattr(request, REQUEST_ID_ATTRIBUTE, request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


def resident_url_prefixes() -> tuple[str, ...]:
    return tuple(getattr(settings, "AUDIT_RESIDENT_URL_PREFIXES", DEFAULT_RESIDENT_URL_PREFIXES))


class AccessAuditMiddleware:
    """Must come after AuthenticationMiddleware (it needs request.user)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        reason = self._denial(request, response)
        if reason:
            _record_denial(request, response, reason)
        elif _is_admin_page(request, response) and not getattr(request, AUDITED_FLAG, False):
            _record_admin_view(request, response)
        return response

    @staticmethod
    def _denial(request: HttpRequest, response: HttpResponse) -> str:
        matched = getattr(request, "resolver_match", None) is not None
        if matched and response.status_code in (403, 404):
            return f"status_{response.status_code}"
        user = getattr(request, "user", None)
        if (
            response.status_code in (301, 302, 303, 307, 308)
            and user is not None
            and not user.is_authenticated
            and request.path.startswith(resident_url_prefixes())
            and response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL))
        ):
            return "not_signed_in"
        return ""


def _record_denial(request: HttpRequest, response: HttpResponse, reason: str) -> None:
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match is not None else {}
    object_id = next((_as_int(kwargs[k]) for k in _OBJECT_ID_KWARGS if k in kwargs), "")
    resident_ref = next((ref_text(kwargs[k]) for k in _RESIDENT_REF_KWARGS if k in kwargs), "")
    detail = {
        "reason": reason,
        "status": response.status_code,
        "view": match.view_name if match is not None else "",
        "method": request.method if request.method in _METHODS else "other",
    }
    if object_id:
        detail["object_id"] = object_id
    record(
        Action.ACCESS_DENIED,
        AuditContext.for_request(request),
        resident_ref=resident_ref,
        outcome=Outcome.DENIED,
        detail=detail,
    )


# Set on the request by AuditedAdminMixin once it has written its own ADMIN_VIEW event.
AUDITED_FLAG = "_audit_admin_view_recorded"
_UNAUDITED_ADMIN_PAGES = ("admin:jsi18n", "admin:login", "admin:logout")


def _is_admin_page(request: HttpRequest, response: HttpResponse) -> bool:
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    return (
        match is not None
        and "admin" in match.namespaces
        and match.view_name not in _UNAUDITED_ADMIN_PAGES
        and user is not None
        and user.is_authenticated
        and response.status_code < 400
    )


def _record_admin_view(request: HttpRequest, response: HttpResponse) -> None:
    match = request.resolver_match
    if match is None:  # _is_admin_page() said it matched
        return
    detail = {
        "page": match.view_name,
        "status": response.status_code,
        "method": request.method if request.method in _METHODS else "other",
    }
    object_id = _as_int(match.kwargs.get("object_id", ""))
    if object_id:
        detail["object_id"] = object_id
    record(Action.ADMIN_VIEW, AuditContext.for_request(request), detail=detail)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _as_int(value: object) -> str:
    text = str(value)
    return text if text.isascii() and text.isdigit() and len(text) <= 20 else ""
