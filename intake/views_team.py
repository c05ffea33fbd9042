"""The team lead's pages: the team's intakes (metadata only) and reassignment."""

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.gates import role_required
from accounts.roles import TEAMLEIDER
from audit.context import AuditContext
from intake.access import VIEW_INTAKE, get_intake_for, team_intakes_for
from intake.models import Intake
from intake.services import ReassignmentError, eligible_caseworkers, reassign

if TYPE_CHECKING:  # subscriptable for the type checker only (no django_stubs_ext at runtime)
    UserChoiceField = forms.ModelChoiceField[User]
else:
    UserChoiceField = forms.ModelChoiceField


def staff_name(user: User) -> str:
    """A colleague by first and last name; the user name only when no name is set."""
    return user.get_full_name() or user.get_username()


class CaseworkerChoiceField(UserChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return staff_name(obj)


class ReassignForm(forms.Form):
    caseworker = CaseworkerChoiceField(
        queryset=None,
        label=gettext_lazy("Nieuwe consulent"),
        empty_label=gettext_lazy("Kies een consulent"),
        error_messages={
            "required": gettext_lazy("Kies de consulent die de intake overneemt."),
            "invalid_choice": gettext_lazy("Kies een consulent uit de lijst."),
        },
    )

    def __init__(self, *args: Any, intake: Intake, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(CaseworkerChoiceField, self.fields["caseworker"])
        field.queryset = eligible_caseworkers(intake)


# 403 for every id alike, so the answer never tells whether an intake exists.
@role_required(TEAMLEIDER)
@require_http_methods(["GET"])
def team_intakes(request: HttpRequest) -> HttpResponse:
    """ "Intakes van mijn team": who has which intake, and its state; no scores, no notes."""
    intakes = (
        team_intakes_for(request.user)
        .select_related("caseworker", "team", "resident")
        .only(
            "pk",
            "framework",
            "status",
            "created_at",
            "updated_at",
            "finalised_at",
            "caseworker__username",
            "caseworker__first_name",
            "caseworker__last_name",
            "team__name",
            # The lead identifies an intake by the resident's name and its date; nothing else
            # of the resident is read.
            "resident__name",
        )
        .order_by("-updated_at")
    )
    return render(request, "intake/team_intakes.html", {"intakes": intakes})


@role_required(TEAMLEIDER)
@require_http_methods(["GET", "POST"])
def reassign_intake(request: HttpRequest, pk: int) -> HttpResponse:
    intake = get_intake_for(
        request.user,
        pk,
        VIEW_INTAKE,
        queryset=team_intakes_for(request.user).select_related("caseworker", "team", "resident"),
    )
    form = ReassignForm(request.POST or None, intake=intake)
    if request.method == "POST" and form.is_valid():
        try:
            reassign(
                intake,
                form.cleaned_data["caseworker"],
                context=AuditContext.for_request(request),
            )
        except ReassignmentError as error:
            form.add_error("caseworker", str(error))
        else:
            messages.success(
                request,
                _("De intake van %(resident)s is toegewezen aan %(user)s.")
                % {
                    "resident": intake.resident_label,
                    "user": staff_name(form.cleaned_data["caseworker"]),
                },
            )
            return redirect("team:intakes")
    return render(request, "intake/reassign.html", {"intake": intake, "form": form})
