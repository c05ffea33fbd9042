"""Preview and finalise, the decision page, and the processing register. Thin on purpose."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
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
from intake.models import Intake
from minimisation.apply import AlreadyFinalised, FinaliseError, apply
from minimisation.decide import IntakeNotReady, decide
from minimisation.models import DecisionRecord
from minimisation.policy import POLICY
from minimisation.presentation import (
    domain_name,
    domain_sections,
    field_label,
    intake_rows,
    resident_rows,
)
from minimisation.register import register_rows
from minimisation.register import render as render_register
from minimisation.snapshot import snapshot_of


# The intake app's form page; looked up by name so this app does not import its views.
def intake_form_url(pk: int) -> str:
    return reverse("intake:edit", args=[pk])


@login_required
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: field by field, keep or discard and why. POST: finalise (apply the decision)."""
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
            sections=domain_sections(decision, intake.instrument_version),
            resident_rows=resident_rows(decision),
            intake_rows=intake_rows(decision),
            unserved=[
                domain_name(intake.instrument_version, code) for code in decision.unserved_domains
            ],
        )
    record(
        Action.PREVIEW,
        AuditContext.for_request(request),
        **intake.audit_subject(),
        detail={"ready": "problem" not in context},
    )
    return render(request, "minimisation/preview.html", context)


def _finalise(request: HttpRequest, intake: Intake) -> HttpResponse:
    if request.POST.get("version") != str(intake.version):
        messages.error(
            request,
            _("De intake is gewijzigd sinds het voorbeeld. Bekijk het voorbeeld opnieuw."),
        )
        return redirect("minimisation:preview", pk=intake.pk)
    today = timezone.localdate()
    try:
        decision = decide(snapshot_of(intake, today), POLICY, today)
        apply(decision, context=AuditContext.for_request(request), decided_by=request.user)
    except IntakeNotReady as exc:
        messages.error(request, exc.message)
        return redirect("minimisation:preview", pk=intake.pk)
    except AlreadyFinalised as exc:
        messages.error(request, exc.message)
        return redirect("minimisation:decision", pk=intake.pk)
    except FinaliseError as exc:
        messages.error(request, exc.message)
        return redirect("minimisation:preview", pk=intake.pk)
    messages.success(request, _("De intake is afgerond. Alleen wat de regels toestaan is bewaard."))
    return redirect("minimisation:decision", pk=intake.pk)


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
