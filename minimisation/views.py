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
from intake.instrument import instrument
from intake.models import Intake
from minimisation.decide import Decision, FieldDecision, IntakeNotReady, decide, snapshot_of
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
    today = timezone.localdate()
    context: dict[str, object] = {"intake": intake, "form_url": intake_form_url(intake.pk)}
    try:
        decision = decide(snapshot_of(intake, today), POLICY, today)
    except IntakeNotReady as exc:
        context["problem"] = exc.message
        context["problem_domains"] = [
            domain_name(intake.instrument_version, code) for code in exc.domains
        ]
    else:
        context.update(
            decision=decision,
            sections=_domain_sections(decision, intake.instrument_version),
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


def _finalise(request: HttpRequest, intake: Intake) -> HttpResponse:
    """Finalise what the preview showed: its form carries the decision's digest."""
    user = request.user
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


def _rows(fields: tuple[FieldDecision, ...]) -> tuple[FieldRow, ...]:
    return tuple(
        FieldRow(field_label(f.field), f.keep, f.rule_id, f.reason, f.retention_until)
        for f in fields
    )


def _rows_of_model(decision: Decision, model_name: str) -> tuple[FieldRow, ...]:
    return _rows(tuple(f for f in decision.fields if f.field.startswith(f"{model_name}.")))


def _domain_sections(decision: Decision, instrument_version: str) -> list[DomainSection]:
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
            )
        )
    return sections


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
