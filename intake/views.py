"""The caseworker's pages: list, new intake, assessment form, detail, reassessment.

Thin function views: access through intake/access.py (404 for anything not
visible), every write through intake/services.py (which audits it in its own
transaction); the views audit what they read and search.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.gates import role_required
from accounts.roles import CASEWORK_ROLES, CONSULENT, has_role
from audit.context import AuditContext
from audit.events import record
from audit.models import Action
from intake.access import (
    CHANGE_INTAKE,
    VIEW_INTAKE,
    count_visible_intakes,
    get_intake_for,
    get_resident_for,
    visible_intakes,
    visible_residents,
    with_intake_permission,
)
from intake.chart import profile_chart
from intake.definitions import definitions_by_domain
from intake.forms import (
    AssessmentForm,
    IntakeFilterForm,
    NewIntakeForm,
    ResidentForm,
    ResidentSearchForm,
)
from intake.instrument import SCALE_LABELS
from intake.models import DomainAssessment, Intake, Resident
from intake.paging import IntakePaginator
from intake.services import SaveOutcome, create_intake, save_assessment, start_reassessment

PAGE_SIZE = 20
RESIDENT_RESULTS = 20
USED_TOKENS = "intake_new_tokens"  # session key: form token -> intake pk
MAY_CHANGE = "user_may_change"  # the detail query's annotation: may this user change it?


def _signed_in(request: HttpRequest) -> User:
    """The signed-in user; the view's gate has already sent anyone else away."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user


def _with_assessments() -> Any:
    return Intake.objects.select_related("resident", "previous").prefetch_related(
        Prefetch("assessments", queryset=DomainAssessment.objects.order_by("pk")),
        Prefetch("previous__assessments", queryset=DomainAssessment.objects.order_by("pk")),
    )


@role_required(*CASEWORK_ROLES)
@require_http_methods(["GET", "POST"])
def intake_list(request: HttpRequest) -> HttpResponse:
    """The list; a search or filter arrives as POST so a name never appears in a URL.

    Paging through search results posts the same form again with another page number.
    """
    searching = request.method == "POST"
    form = IntakeFilterForm(request.POST if searching else None)
    intakes = visible_intakes(request.user).newest_first()
    used: list[str] = []
    if searching and form.is_valid():
        if form.cleaned_data["q"]:
            intakes = intakes.search(form.cleaned_data["q"])
            used.append("q")
        for name in ("status", "framework"):
            if form.cleaned_data[name]:
                intakes = intakes.filter(**{name: form.cleaned_data[name]})
                used.append(name)
    source = request.POST if searching else request.GET
    # Unfiltered, the permission rows alone give the count (flat as the table grows).
    count = None if used else count_visible_intakes(request.user)
    page = IntakePaginator(intakes, PAGE_SIZE, count=count).get_page(source.get("pagina"))
    # Never the search term: it can be a name. Only whether and how was searched.
    record(
        Action.SEARCH,
        AuditContext.for_request(request),
        detail={
            "page": "intake_list",
            "searched": "q" in used,
            "filters": [f for f in used if f != "q"],
            "results": page.paginator.count,
        },
    )
    return render(
        request,
        "intake/intake_list.html",
        {"form": form, "page": page, "searching": searching},
    )


@role_required(CONSULENT)
@require_http_methods(["GET", "POST"])
def intake_new(request: HttpRequest) -> HttpResponse:
    resident: Resident | None = None
    ref = request.POST.get("inwoner") or request.GET.get("inwoner")
    if ref:
        resident = get_resident_for(request.user, ref)
    # The resident search posts (a name, birth date or BSN never goes into a URL);
    # its submit button "zoek" tells it apart from creating the intake.
    searching = request.method == "POST" and "zoek" in request.POST
    search = ResidentSearchForm(request.POST if searching else None)
    found: list[Resident] | None = None
    if resident is None and searching and search.is_valid() and search.cleaned_data["q"]:
        found = list(
            visible_residents(request.user)
            .matching(search.cleaned_data["q"])
            .order_by("name", "pk")[:RESIDENT_RESULTS]
        )
        record(
            Action.SEARCH,
            AuditContext.for_request(request),
            detail={"page": "resident_search", "searched": True, "results": len(found)},
        )

    if request.method == "POST" and not searching:
        intake_form = NewIntakeForm(request.POST)
        resident_form = ResidentForm(request.POST) if resident is None else None
        token = str(request.POST.get("token", ""))
        earlier = request.session.get(USED_TOKENS, {}).get(token)
        if earlier:
            # The same form again (double click, resend): show what the first one made.
            return redirect("intake:edit", pk=earlier)
        forms_valid = intake_form.is_valid() and (resident_form is None or resident_form.is_valid())
        if forms_valid:
            intake = create_intake(
                resident or _new_resident(resident_form),
                _signed_in(request),
                framework=intake_form.cleaned_data["framework"],
                instrument_version=intake_form.cleaned_data["instrument_version"],
                context=AuditContext.for_request(request),
            )
            tokens = request.session.get(USED_TOKENS, {})
            tokens[token] = intake.pk
            request.session[USED_TOKENS] = dict(list(tokens.items())[-20:])
            messages.success(request, _("De intake is aangemaakt als concept."))
            return redirect("intake:edit", pk=intake.pk)
    else:
        intake_form = NewIntakeForm(initial={"token": uuid.uuid4()})
        resident_form = ResidentForm() if resident is None else None
    return render(
        request,
        "intake/intake_new.html",
        {
            "search": search,
            "found": found,
            "resident": resident,
            "resident_form": resident_form,
            "intake_form": intake_form,
        },
    )


def _new_resident(form: ResidentForm | None) -> Resident:
    """The resident typed into the new-intake form, not saved: create_intake() saves it."""
    if form is None:
        raise ValueError("no resident chosen and no resident form")
    resident: Resident = form.save(commit=False)
    return resident


@login_required
def intake_detail(request: HttpRequest, pk: str) -> HttpResponse:
    with_change = with_intake_permission(
        _with_assessments(), request.user, CHANGE_INTAKE, MAY_CHANGE
    )
    intake = get_intake_for(request.user, pk, VIEW_INTAKE, queryset=with_change)
    record(
        Action.READ,
        AuditContext.for_request(request),
        **intake.audit_subject(),
        detail={"page": "detail"},
    )
    rows = _profile_rows(intake)
    previous_on = intake.previous.measured_on() if intake.previous is not None else None
    previous = {row["name"]: row["previous_score"] for row in rows if row["previous_score"]}
    return render(
        request,
        "intake/intake_detail.html",
        {
            "intake": intake,
            "rows": rows,
            "chart": profile_chart(
                [(row["name"], row["score"]) for row in rows], previous, previous_on
            ),
            "previous_on": previous_on,
            "has_previous_scores": bool(previous),
            "may_change": getattr(intake, MAY_CHANGE) and intake.is_draft,
            "may_reassess": has_role(request.user, CONSULENT),
            "has_previous": intake.previous is not None,
        },
    )


def _profile_rows(intake: Intake) -> list[dict[str, Any]]:
    """One row per domain: score, help need, notes and the change since the previous intake.

    The change only counts domains whose previous data were kept (a score is still stored).
    """
    previous = {}
    if intake.previous is not None:
        previous = {a.domain: a for a in intake.previous.assessments.all() if a.score}
    rows = []
    by_domain = {a.domain: a for a in intake.assessments.all()}
    for domain in intake.instrument.domains:
        row = by_domain.get(domain.code)
        score = row.score if row else None
        before = previous.get(domain.code)
        change = score - before.score if (score and before and before.score) else None
        rows.append(
            {
                "code": domain.code,
                "name": str(domain.name),
                "score": score,
                "label": SCALE_LABELS.get(score, "") if score else "",
                "help_need": row.get_help_need_display() if row else "",
                "notes": row.notes if row else "",
                "previous_score": before.score if before else None,
                "change": change,
            }
        )
    return rows


STALE_FORM = gettext_lazy(
    "Iemand anders (of u in een ander tabblad) heeft deze intake intussen "
    "opgeslagen. Uw wijzigingen zijn NIET opgeslagen en staan hieronder nog. "
    "Bekijk de opgeslagen versie; sla daarna opnieuw op om uw invoer te bewaren."
)


@login_required
@require_http_methods(["GET", "POST"])
def intake_edit(request: HttpRequest, pk: str) -> HttpResponse:
    intake = get_intake_for(request.user, pk, CHANGE_INTAKE, queryset=_with_assessments())
    if request.method == "GET" and not intake.is_draft:
        messages.info(request, _("Deze intake is afgerond en kan niet meer worden gewijzigd."))
        return redirect("intake:detail", pk=intake.pk)
    # A POST to an intake finalised since the form was opened still reaches the service:
    # it answers FINALISED, and the form comes back with the typed input and that message.
    definitions = definitions_by_domain(intake.instrument_version)
    conflict_domains: list[str] = []
    if request.method == "POST":
        form = AssessmentForm(request.POST, intake=intake, definitions=definitions)
        if form.is_valid():
            result = save_assessment(
                intake,
                form.cleaned_data["version"],
                form.domain_values(),
                context=AuditContext.for_request(request),
            )
            if result.outcome is SaveOutcome.SAVED:
                messages.success(request, _("Het concept is opgeslagen."))
                return redirect("intake:edit", pk=intake.pk)
            if result.outcome is SaveOutcome.UNCHANGED:
                messages.info(request, _("Er was niets gewijzigd; het concept is bewaard."))
                return redirect("intake:edit", pk=intake.pk)
            if result.outcome is SaveOutcome.FINALISED:
                form.add_error(
                    None,
                    _("Deze intake is intussen afgerond; uw wijzigingen zijn niet opgeslagen."),
                )
            else:
                # Stale form: keep every value the user typed, take the new version so a
                # deliberate second save (after checking) may overwrite; nothing is written.
                data = request.POST.copy()
                data["version"] = str(result.version)
                form = AssessmentForm(data, intake=intake, definitions=definitions)
                form.is_valid()
                conflict_domains = [
                    str(intake.instrument.domain(c).name) for c in result.changed_domains
                ]
                form.add_error(None, STALE_FORM)
    else:
        form = AssessmentForm(
            initial=AssessmentForm.initial_for(intake, intake.assessments_in_instrument_order()),
            intake=intake,
            definitions=definitions,
        )
        record(
            Action.READ,
            AuditContext.for_request(request),
            **intake.audit_subject(),
            detail={"page": "form"},
        )
    return render(
        request,
        "intake/intake_form.html",
        {"intake": intake, "form": form, "conflict_domains": conflict_domains},
    )


@role_required(CONSULENT)
@require_POST
def intake_reassess(request: HttpRequest, pk: str) -> HttpResponse:
    previous = get_intake_for(
        request.user, pk, VIEW_INTAKE, queryset=Intake.objects.select_related("resident")
    )
    intake, created = start_reassessment(
        previous, _signed_in(request), context=AuditContext.for_request(request)
    )
    if created:
        messages.success(request, _("Een nieuwe meting is aangemaakt als concept."))
    return redirect("intake:edit", pk=intake.pk)
