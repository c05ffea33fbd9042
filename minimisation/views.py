"""Preview and finalise, the decision page, and the processing register. Thin on purpose."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.gates import role_required
from accounts.roles import PRIVACY_OFFICER
from audit.context import AuditContext
from audit.events import record
from audit.models import Action
from intake.access import CHANGE_INTAKE, VIEW_INTAKE, get_intake_for
from intake.instrument import SCALE_LABELS, instrument
from intake.models import HelpNeed, Intake
from minimisation.decide import (
    Decision,
    FieldDecision,
    IntakeNotReady,
    IntakeSnapshot,
    decide,
    snapshot_of,
    undecided_domains,
)
from minimisation.finalising import AlreadyFinalised, FinaliseError, finalise
from minimisation.labels import domain_name, field_label
from minimisation.models import DecisionRecord
from minimisation.policy import POLICY
from minimisation.register import register_rows
from minimisation.register import render as render_register


# The intake app's form page; looked up by name so this app does not import its views.
def intake_form_url(pk: int) -> str:
    return reverse("intake:edit", args=[pk])


@login_required
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: field by field, keep or discard and why, and a form carrying the decision's
    digest. POST: finalise, refused when the decision is no longer the one shown."""
    intake = get_intake_for(request.user, pk, CHANGE_INTAKE)
    if not intake.is_draft:
        if request.method == "POST":
            messages.error(request, _("Deze intake is al afgerond. Er is niets gewijzigd."))
        else:
            messages.info(request, _("Deze intake is afgerond; dit is het besluit."))
        return redirect("minimisation:decision", pk=intake.pk)
    if request.method == "POST":
        return _finalise(request, intake)
    context, decision = _decision_context(intake)
    if decision is not None:
        context.update(
            sections=_domain_sections(decision, intake.instrument_version, intake.framework),
            resident_rows=_rows_of_model(decision, "resident"),
            intake_rows=_rows_of_model(decision, "intake"),
            unserved=[
                domain_name(intake.instrument_version, code) for code in decision.unserved_domains
            ],
        )
    record(
        Action.PREVIEW,
        AuditContext.for_request(request),
        obj=intake,
        resident_ref=str(intake.resident.ref),
        purpose=intake.framework,
        detail={"ready": "problem" not in context},
    )
    return render(request, "minimisation/preview.html", context)


def _decision_context(intake: Intake) -> tuple[dict[str, object], Decision | None]:
    """What the preview and the confirmation share: the decision on the SAVED data (the
    form's unsaved input never reaches it), or why there is none yet."""
    today = timezone.localdate()
    context: dict[str, object] = {
        "intake": intake,
        "form_url": intake_form_url(intake.pk),
        "saved_at": intake.updated_at,
    }
    snapshot = snapshot_of(intake, today)
    try:
        decision = decide(snapshot, POLICY, today)
    except IntakeNotReady as exc:
        context["problem"] = exc.message
        context["problem_domains"] = [
            domain_name(intake.instrument_version, code) for code in exc.domains
        ]
        return context, None
    context.update(
        decision=decision,
        undecided=_undecided_names(intake, snapshot),
        # The alert names what stays: with the shared-field rule some resident data do.
        resident_kept=any(f.keep for f in decision.fields if f.field.startswith("resident.")),
    )
    return context, decision


def _undecided_names(intake: Intake, snapshot: IntakeSnapshot) -> list[str]:
    return [domain_name(intake.instrument_version, c) for c in undecided_domains(snapshot)]


CONFIRMED_FIELD = "bevestigd"  # the deliberate confirm: a checkbox, not a second click
UNKNOWN_ACCEPTED_FIELD = "onbekend_geaccepteerd"


@login_required
@require_http_methods(["GET"])
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation step: what will be destroyed, with what the caseworker typed (their
    own draft), a deliberate confirm, and the undecided help needs to accept or decide."""
    intake = get_intake_for(request.user, pk, CHANGE_INTAKE)
    if not intake.is_draft:
        return redirect("minimisation:decision", pk=intake.pk)
    context, decision = _decision_context(intake)
    if decision is None:
        return redirect("minimisation:preview", pk=intake.pk)
    context["destroyed"] = _destroyed_values(intake, decision)
    record(
        Action.READ,
        AuditContext.for_request(request),
        **intake.audit_subject(),
        detail={"page": "finalise_confirm"},
    )
    return render(request, "minimisation/confirm.html", context)


@dataclass(frozen=True)
class DestroyedValue:
    section: str
    label: str
    value: str
    rule_id: str


def _destroyed_values(intake: Intake, decision: Decision) -> list[DestroyedValue]:
    """Each field the decision destroys with its current value, for the caseworker's
    confirmation only (never logged, never stored). A domain not discussed holds nothing."""
    rows = {a.domain: a for a in intake.assessments.all()}
    resident = intake.resident
    out = []
    for f in decision.discarded:
        if f.field.startswith("resident."):
            value = getattr(resident, f.field.split(".", 1)[1])
            section = _("Inwoner")
        elif f.domain and f.domain in rows and rows[f.domain].discussed:
            row = rows[f.domain]
            section = domain_name(intake.instrument_version, f.domain)
            name = f.field.split(".", 1)[1]
            if name == "score":
                value = f"{row.score} – {SCALE_LABELS.get(row.score or 0, '')}"
            elif name == "help_need":
                value = HelpNeed(row.help_need).label
            else:
                value = row.notes
        else:
            continue
        text = value.strftime("%d-%m-%Y") if isinstance(value, dt.date) else str(value or "")
        out.append(DestroyedValue(str(section), field_label(f.field), text, f.rule_id))
    return out


def _finalise(request: HttpRequest, intake: Intake) -> HttpResponse:
    """Finalise what the confirmation showed: its form carries the decision's digest, the
    deliberate confirm and, where a discussed domain's help need is still "onbekend", the
    caseworker's acceptance of that."""
    user = request.user
    if not request.POST.get(CONFIRMED_FIELD):
        messages.error(
            request,
            _("Niet afgerond: vink aan dat u hebt gecontroleerd wat vernietigd wordt."),
        )
        return redirect("minimisation:confirm", pk=intake.pk)
    undecided = _undecided_names(intake, snapshot_of(intake, timezone.localdate()))
    if undecided and not request.POST.get(UNKNOWN_ACCEPTED_FIELD):
        messages.error(
            request,
            _(
                "Niet afgerond: de hulpvraag staat nog op 'onbekend' in %(domains)s. Kies "
                "'bevestigd' of 'geen' in het formulier, of vink aan dat u zo afrondt."
            )
            % {"domains": ", ".join(undecided)},
        )
        return redirect("minimisation:confirm", pk=intake.pk)
    try:
        finalise(
            intake.pk,
            digest=request.POST.get("digest", ""),
            context=AuditContext.for_request(request),
            decided_by=user if isinstance(user, User) else None,
            today=timezone.localdate(),
        )
    except AlreadyFinalised as exc:
        messages.error(request, exc.message)
        return redirect("minimisation:decision", pk=intake.pk)
    except FinaliseError as exc:
        messages.error(request, exc.message)
        return redirect("minimisation:preview", pk=intake.pk)
    messages.success(request, _("De intake is afgerond. Alleen wat de regels toestaan is bewaard."))
    return redirect("minimisation:decision", pk=intake.pk)


# ---- The preview's rows: labels, keep or discard, why; never a value -------------------


@dataclass(frozen=True)
class FieldRow:
    label: str
    keep: bool
    rule_id: str
    reason: str
    retention_until: dt.date | None


@dataclass(frozen=True)
class DomainSection:
    code: str
    name: str
    special_category: str
    rows: tuple[FieldRow, ...]
    instruction: str = ""  # the form's instruction for this domain, the same text


def _rows(fields: tuple[FieldDecision, ...]) -> tuple[FieldRow, ...]:
    return tuple(
        FieldRow(field_label(f.field), f.keep, f.rule_id, f.reason, f.retention_until)
        for f in fields
    )


def _rows_of_model(decision: Decision, model_name: str) -> tuple[FieldRow, ...]:
    return _rows(tuple(f for f in decision.fields if f.field.startswith(f"{model_name}.")))


def _domain_sections(
    decision: Decision, instrument_version: str, framework: str
) -> list[DomainSection]:
    """One section per domain of the instrument, in the instrument's order."""
    sections = []
    known = instrument(instrument_version).domain_codes
    for code in sorted({f.domain for f in decision.fields if f.domain} - set(known)):
        # A domain the instrument does not know still shows, so nothing is destroyed unseen.
        sections.append(DomainSection(code, code, "", _rows(decision.for_domain(code))))
    for domain in instrument(instrument_version).domains:
        sections.append(
            DomainSection(
                code=domain.code,
                name=str(domain.name),
                special_category=domain.special_category,
                rows=_rows(decision.for_domain(domain.code)),
                instruction=_instruction_text(framework, domain.code),
            )
        )
    return sections


def _instruction_text(framework: str, code: str) -> str:
    found = POLICY.instruction(framework, "domainassessment.notes", code)
    return found.text if found is not None else ""


@login_required
@require_http_methods(["GET"])
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What was kept, under which rule and until when; counts of what was destroyed."""
    intake = get_intake_for(request.user, pk, VIEW_INTAKE)
    decision = DecisionRecord.objects.filter(intake=intake).first()
    if decision is None:
        return redirect("minimisation:preview", pk=intake.pk)
    kept = [
        {
            "label": field_label(k.field),
            "domain": k.domain,
            "rule_id": k.rule_id,
            "legal_basis": POLICY.basis(k.rule_id),
            "retention_until": k.retention_until,
        }
        for k in decision.kept_fields.all()
    ]
    record(
        Action.READ,
        AuditContext.for_request(request),
        obj=decision,
        resident_ref=decision.resident_ref,
        purpose=decision.framework,
    )
    return render(
        request,
        "minimisation/decision.html",
        {"intake": intake, "decision": decision, "kept": kept},
    )


@role_required(PRIVACY_OFFICER, hide=True)
@require_http_methods(["GET"])
def processing_register(request: HttpRequest) -> HttpResponse:
    """The GDPR art. 30 register for the privacy officer; everyone else gets a 404."""
    fmt = request.GET.get("format", "")
    if fmt in ("md", "csv", "json"):
        content_types = {"md": "text/markdown", "csv": "text/csv", "json": "application/json"}
        response = HttpResponse(
            render_register(fmt), content_type=f"{content_types[fmt]}; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="verwerkingsregister-{POLICY.version}.{fmt}"'
        )
        record(Action.EXPORT, AuditContext.for_request(request), detail={"register": fmt})
        return response
    return render(
        request,
        "privacy/register.html",
        {"rows": register_rows(), "policy_version": POLICY.version},
    )
