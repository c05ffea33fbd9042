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
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.gates import role_required
from accounts.middleware import seconds_left
from accounts.roles import CASEWORK_ROLES, CONSULENT, has_role
from audit.context import AuditContext
from audit.events import record
from audit.models import Action
from audit.models import Outcome as AuditOutcome
from intake.access import (
    CHANGE_INTAKE,
    VIEW_INTAKE,
    count_intakes_with_content,
    get_intake_for,
    get_resident_for,
    intakes_with_content_for,
    may_reassign,
    visible_intakes,
    visible_residents,
    with_content_access,
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
from intake.models import DomainAssessment, Intake, IntakeStatus, Resident
from intake.paging import IntakePaginator
from intake.parking import take_parked
from intake.progress import domain_progress, draft_expiry
from intake.services import (
    DuplicateResident,
    IntakeGone,
    ResidentGone,
    SaveOutcome,
    create_intake,
    save_assessment,
    start_reassessment,
)

PAGE_SIZE = 20
RESIDENT_RESULTS = 20
USED_TOKENS = "intake_new_tokens"  # session key: form token -> intake pk
MAY_CHANGE = "user_may_change"  # the detail query's annotation: may this user change it?
SEES_CONTENT = "user_sees_content"  # and may this user see its content (need to know)?


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
    # Need to know (intake/access.py): the intakes whose content this user may see; a team
    # lead's other team intakes are on the team page, without content.
    intakes = intakes_with_content_for(request.user).newest_first()
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
    count = None if used else count_intakes_with_content(request.user)
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
        open_drafts = _open_drafts(request, resident)
        if forms_valid and open_drafts and not request.POST.get(ANOTHER_DRAFT):
            # Warn and offer the existing draft; a deliberate tick makes a second one.
            forms_valid = False
        intake = None
        if forms_valid:
            try:
                intake = create_intake(
                    resident or _new_resident(resident_form),
                    _signed_in(request),
                    framework=intake_form.cleaned_data["framework"],
                    instrument_version=intake_form.cleaned_data["instrument_version"],
                    context=AuditContext.for_request(request),
                )
            except DuplicateResident as duplicate:
                _refuse_duplicate(request, resident_form, duplicate.existing)
            except ResidentGone:
                messages.error(request, _("Deze inwoner is intussen vernietigd of gewist."))
                return redirect("intake:new")
        if intake is not None:
            tokens = request.session.get(USED_TOKENS, {})
            tokens[token] = intake.pk
            request.session[USED_TOKENS] = dict(list(tokens.items())[-20:])
            messages.success(request, _("De intake is aangemaakt als concept."))
            return redirect("intake:edit", pk=intake.pk)
    else:
        intake_form = NewIntakeForm(initial={"token": uuid.uuid4()})
        resident_form = ResidentForm() if resident is None else None
        open_drafts = _open_drafts(request, resident)
    return render(
        request,
        "intake/intake_new.html",
        {
            "search": search,
            "found": found,
            "resident": resident,
            "resident_form": resident_form,
            "intake_form": intake_form,
            "open_drafts": open_drafts,
        },
    )


ANOTHER_DRAFT = "toch_nieuw"  # the tick that makes a second open draft deliberately


def _open_drafts(request: HttpRequest, resident: Resident | None) -> list[Intake]:
    """The chosen resident's open drafts this user may change: offered instead of a new one."""
    if resident is None:
        return []
    return list(
        visible_intakes(request.user, CHANGE_INTAKE)
        .filter(resident=resident, status=IntakeStatus.DRAFT)
        .order_by("created_at")
    )


def _refuse_duplicate(request: HttpRequest, form: ResidentForm | None, existing: Resident) -> None:
    """One BSN, one resident: say so. A resident this user may not see stays unseen: only
    that it is known, and how to get access; the refusal is audited (no BSN, no name)."""
    visible = visible_residents(request.user).filter(pk=existing.pk).exists()
    if form is not None:
        if visible:
            form.add_error(
                "bsn",
                _(
                    "Er is al een inwoner met dit BSN. Zoek de inwoner hierboven op (op BSN) "
                    "en kies hem of haar; dan hoort de nieuwe intake bij dezelfde inwoner."
                ),
            )
        else:
            form.add_error(
                "bsn",
                _(
                    "Deze inwoner is al bekend bij de gemeente, maar u hebt geen toegang tot "
                    "zijn of haar gegevens. Vraag uw teamleider om de intake aan u toe te "
                    "wijzen of u toegang te geven; de gegevens worden hier niet getoond."
                ),
            )
    record(
        Action.ACCESS_DENIED,
        AuditContext.for_request(request),
        **existing.audit_subject(),
        outcome=AuditOutcome.DENIED,
        detail={"page": "intake_new", "reason": "bsn_already_known", "visible": visible},
    )


def _new_resident(form: ResidentForm | None) -> Resident:
    """The resident typed into the new-intake form, not saved: create_intake() saves it."""
    if form is None:
        raise ValueError("no resident chosen and no resident form")
    resident: Resident = form.save(commit=False)
    return resident


@login_required
def intake_detail(request: HttpRequest, pk: str) -> HttpResponse:
    with_change = with_content_access(
        with_intake_permission(_with_assessments(), request.user, CHANGE_INTAKE, MAY_CHANGE),
        request.user,
        SEES_CONTENT,
    )
    intake = get_intake_for(request.user, pk, VIEW_INTAKE, queryset=with_change)
    sees_content = bool(getattr(intake, SEES_CONTENT))
    record(
        Action.READ,
        AuditContext.for_request(request),
        **intake.audit_subject(),
        detail={"page": "detail" if sees_content else "summary"},
    )
    if not sees_content:
        # A team lead: who has it, its state, framework and deadlines; no content.
        return render(
            request,
            "intake/intake_summary.html",
            {"intake": intake, "may_reassign": may_reassign(request.user, intake)},
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
    destroyed, destroyed_on = _destroyed_at_finalising(intake)
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
                # {"score": "WMO-JUSTITIE", ...}: what finalising destroyed, by which rule
                "destroyed": destroyed.get(domain.code, {}),
                "destroyed_on": destroyed_on,
            }
        )
    return rows


def _destroyed_at_finalising(intake: Intake) -> tuple[dict[str, dict[str, str]], Any]:
    """Per domain, which fields finalising destroyed under which rule, and the day.

    Read through the reverse relation minimisation declares (its DecisionRecord and
    DiscardedField rows: names and rule ids, never values), so this app imports
    nothing of minimisation."""
    decision = getattr(intake, "decision", None) if not intake.is_draft else None
    if decision is None:
        return {}, None
    by_domain: dict[str, dict[str, str]] = {}
    for row in decision.discarded_fields.all():
        by_domain.setdefault(row.domain, {})[row.field.split(".", 1)[1]] = row.rule_id
    return by_domain, decision.decided_on


GONE = gettext_lazy(
    "Deze intake bestaat niet meer: hij is intussen vernietigd (bewaartermijn of "
    "verzoek van de inwoner). Er is niets opgeslagen."
)
STALE_FORM = gettext_lazy(
    "Iemand anders (of u in een ander tabblad) heeft deze intake intussen "
    "opgeslagen. Uw wijzigingen zijn NIET opgeslagen en staan hieronder nog. "
    "Kies bij elk gemarkeerd domein of uw invoer of de opgeslagen versie blijft, "
    "en sla dan opnieuw op."
)
FINALISED_MEANWHILE = gettext_lazy(
    "Deze intake is intussen afgerond; uw wijzigingen zijn niet opgeslagen."
)
FINALISE_BUTTON = "afronden"  # the save bar's "Opslaan en afronden": save, then the preview


def _assessment_form(
    intake: Intake, data: Any = None, *, definitions: dict[str, dict[int, str]] | None = None
) -> AssessmentForm:
    if data is None:
        return AssessmentForm(
            initial=AssessmentForm.initial_for(intake, intake.assessments_in_instrument_order()),
            intake=intake,
            definitions=definitions,
        )
    return AssessmentForm(data, intake=intake, definitions=definitions)


def _render_form(
    request: HttpRequest, intake: Intake, form: AssessmentForm, conflict_domains: list[str]
) -> HttpResponse:
    return render(
        request,
        "intake/intake_form.html",
        {
            "intake": intake,
            "form": form,
            "conflict_domains": conflict_domains,
            "progress": domain_progress(intake, form),
            "expires_on": draft_expiry(intake),
        },
    )


def _save(request: HttpRequest, intake: Intake, data: Any, *, late: bool = False) -> HttpResponse:
    """Validate and save the form's fields through save_assessment (the one save)."""
    definitions = definitions_by_domain(intake.instrument_version)
    form = _assessment_form(intake, data, definitions=definitions)
    if not form.is_valid():
        if late:
            messages.warning(request, LATE_NOT_SAVED)
        return _render_form(request, intake, form, [])
    result = save_assessment(
        intake,
        form.cleaned_data["version"],
        form.domain_values(),
        context=AuditContext.for_request(request),
    )
    then = (
        redirect("minimisation:preview", pk=intake.pk)
        if FINALISE_BUTTON in data
        else redirect("intake:edit", pk=intake.pk)
    )
    if result.outcome is SaveOutcome.SAVED:
        messages.success(request, LATE_SAVED if late else _("Het concept is opgeslagen."))
        return then
    if result.outcome is SaveOutcome.UNCHANGED:
        messages.info(request, _("Er was niets gewijzigd; het concept is bewaard."))
        return then
    if result.outcome is SaveOutcome.FINALISED:
        form.add_error(None, FINALISED_MEANWHILE)
        return _render_form(request, intake, form, [])
    if result.outcome is SaveOutcome.GONE:
        messages.error(request, GONE)
        return redirect("intake:list")
    # Someone saved first. Keep every value typed; take the new version, and name the
    # differing domains: each needs a deliberate choice before a save may write it.
    fresh = _with_assessments().get(pk=intake.pk)
    again = data.copy()
    again["version"] = str(result.version)
    again["conflicten"] = ",".join(result.changed_domains)
    for code in result.changed_domains:
        again.pop(f"{code}-keuze", None)
    again.pop(FINALISE_BUTTON, None)
    form = _assessment_form(fresh, again, definitions=definitions)
    form.is_valid()
    form.add_error(None, STALE_FORM)
    conflict_domains = [str(fresh.instrument.domain(c).name) for c in result.changed_domains]
    return _render_form(request, fresh, form, conflict_domains)


LATE_SAVED = gettext_lazy(
    "Uw wijzigingen kwamen binnen nadat uw sessie was verlopen. Ze zijn bewaard en nu "
    "alsnog opgeslagen."
)
LATE_NOT_SAVED = gettext_lazy(
    "Uw wijzigingen kwamen binnen nadat uw sessie was verlopen. Ze staan hieronder, maar "
    "zijn nog niet opgeslagen: controleer de velden met een foutmelding."
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
    if request.method == "POST":
        return _save(request, intake, request.POST)
    parked = take_parked(intake, _signed_in(request))
    if parked is not None:
        # A save that arrived after the session ended: applied now, the same way.
        data = QueryDict(mutable=True)
        data.update(parked)
        return _save(request, intake, data, late=True)
    record(
        Action.READ,
        AuditContext.for_request(request),
        **intake.audit_subject(),
        detail={"page": "form"},
    )
    form = _assessment_form(intake, definitions=definitions_by_domain(intake.instrument_version))
    return _render_form(request, intake, form, [])


@login_required
@require_POST
def intake_autosave(request: HttpRequest, pk: str) -> JsonResponse:
    """The form's autosave (static/js/autosave.js): the same form, the same save_assessment,
    the same version check and audit as the Save button; answers JSON."""
    intake = get_intake_for(request.user, pk, CHANGE_INTAKE, queryset=_with_assessments())
    form = AssessmentForm(request.POST, intake=intake)
    if not form.is_valid():
        return JsonResponse({"outcome": "invalid"}, status=400)
    result = save_assessment(
        intake,
        form.cleaned_data["version"],
        form.domain_values(),
        context=AuditContext.for_request(request),
    )
    status = 200 if result.outcome in (SaveOutcome.SAVED, SaveOutcome.UNCHANGED) else 409
    return JsonResponse(
        {
            "outcome": str(result.outcome),
            "version": result.version,
            "saved_at": timezone.localtime().strftime("%H:%M"),
            "seconds_left": seconds_left(request),
        },
        status=status,
    )


@role_required(CONSULENT)
@require_POST
def intake_reassess(request: HttpRequest, pk: str) -> HttpResponse:
    previous = get_intake_for(
        request.user, pk, VIEW_INTAKE, queryset=Intake.objects.select_related("resident")
    )
    try:
        intake, created = start_reassessment(
            previous, _signed_in(request), context=AuditContext.for_request(request)
        )
    except IntakeGone:
        messages.error(request, GONE)
        return redirect("intake:list")
    if created:
        messages.success(request, _("Een nieuwe meting is aangemaakt als concept."))
    return redirect("intake:edit", pk=intake.pk)
