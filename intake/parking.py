"""A save that arrives after the session ended is not lost: it is parked on the server.

The session clock (accounts/middleware.py) sends `session_expired` with the late request
before it flushes the session. If that request is a save of a draft the user may change
(the form's POST or the autosave), with a valid CSRF token, its form fields are parked in
one ParkedSave row bound to that user and intake. Nothing goes to the browser's storage.

At the user's next visit to the form, `take_parked()` hands the parked fields back once
(and deletes them); the view validates them with the same form and saves them through
`save_assessment()` with the version the form was built from: same rules, same version
check, same audit. A parked save is captured data of the draft, so finalising, the sweep
and an erasure destroy it with the intake (minimisation/destruction.py).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve

from accounts.middleware import session_expired
from audit.context import AuditContext
from audit.events import Event, append
from audit.models import Action
from intake.access import CHANGE_INTAKE, get_intake_for
from intake.forms import AssessmentForm
from intake.models import Intake, ParkedSave
from vault.fields import destroy_keys_of

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The views whose POST is a save of the assessment form.
SAVE_VIEWS = frozenset({"intake:edit", "intake:autosave"})


def park_save(intake: Intake, user: User, data: dict[str, Any], *, context: AuditContext) -> None:
    """Park the posted form fields (one row per user and intake: the latest wins)."""
    with transaction.atomic():
        locked = Intake.objects.select_for_update(of=("self",)).get(pk=intake.pk)
        if not locked.is_draft:
            return
        ParkedSave.objects.update_or_create(
            intake=locked, user=user, defaults={"data": json.dumps(data)}
        )
        append(
            [
                Event(
                    action=Action.UPDATE,
                    context=context,
                    **intake.audit_subject(),
                    detail={"parked": True, "reason": "session_expired"},
                )
            ]
        )


def take_parked(intake: Intake, user: User) -> dict[str, Any] | None:
    """The parked fields of this user for this draft, deleted as they are handed out."""
    with transaction.atomic():
        parked = (
            ParkedSave.objects.select_for_update().filter(intake_id=intake.pk, user=user).first()
        )
        if parked is None:
            return None
        data = parked.fields()
        destroy_keys_of(ParkedSave.objects.filter(pk=parked.pk))
        parked.delete()
    return data


def _csrf_ok(request: HttpRequest) -> bool:
    def never_called(_request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    check = CsrfViewMiddleware(never_called)
    return check.process_view(request, never_called, (), {}) is None


@receiver(session_expired)
def park_late_save(sender: object, request: HttpRequest, user: User, **kwargs: Any) -> bool:
    """Park a late save of a draft form; True when it was parked."""
    if request.method != "POST":
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    if match.view_name not in SAVE_VIEWS:
        return False
    # The session timeout answers before CsrfViewMiddleware would check the request.
    if not _csrf_ok(request):
        return False
    try:
        intake = get_intake_for(user, match.kwargs.get("pk", ""), CHANGE_INTAKE)
    except Http404:
        return False
    names = AssessmentForm(intake=intake).fields
    data = {name: request.POST.get(name, "") for name in names if name in request.POST}
    if not data:
        return False
    park_save(intake, user, data, context=AuditContext.for_request(request))
    return True
