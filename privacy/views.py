"""The privacy officer's pages: minimisation overview and the resident's requests.

Everyone but the privacyfunctionaris gets a 404 (the page's existence does not leak);
AccessAuditMiddleware logs that refusal. Thin views: the work is in
minimisation/overview.py and minimisation/resident_requests.py.
"""

import json
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.gates import role_required
from accounts.roles import PRIVACY_OFFICER
from audit.context import AuditContext
from audit.events import record
from audit.models import Action
from intake.models import Resident
from intake.services import VersionConflict
from privacy import overview as ov
from privacy.forms import CorrectionForm, ErasureForm, PeriodForm, ResidentLookupForm
from privacy.resident_requests import (
    ErasureBlocked,
    ErasureRetry,
    access_report,
    correct,
    correctable_fields,
    erase,
    erasure_blockers,
    find_residents,
    report_as_json,
)
from privacy.stored import stored_for_resident

privacy_officer_only = role_required(PRIVACY_OFFICER, hide=True)


def _resident(ref: uuid.UUID) -> Resident:
    # The URL converter gives a UUID already: no parsing here.
    resident: Resident | None = Resident.objects.filter(ref=ref).first()
    if resident is None:
        raise Http404
    return resident


@privacy_officer_only
@require_GET
def minimisation_overview(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    frameworks = ov.overview(start, end)
    if request.GET.get("format") == "csv" and not form.errors:
        record(
            Action.EXPORT,
            AuditContext.for_request(request),
            detail={"page": "minimisation_overview", "format": "csv"},
        )
        response = HttpResponse(ov.as_csv(frameworks), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="minimalisatie-{start.isoformat()}-{end.isoformat()}.csv"'
        )
        return response
    record(Action.READ, AuditContext.for_request(request), detail={"page": "minimisation_overview"})
    top = ov.scale_max(frameworks)
    return render(
        request,
        "privacy/overview.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "frameworks": [(fw, ov.chart(fw, top)) for fw in frameworks],
            "csv_query": f"van={start.isoformat()}&tot={end.isoformat()}&format=csv",
        },
    )


@privacy_officer_only
@require_http_methods(["GET", "POST"])
def resident_lookup(request: HttpRequest) -> HttpResponse:
    searching = request.method == "POST"
    form = ResidentLookupForm(request.POST if searching else None)
    found = None
    if searching and form.is_valid():
        found = find_residents(form.cleaned_data["q"])
        # Never the search term: it can be a name or a BSN.
        record(
            Action.SEARCH,
            AuditContext.for_request(request),
            detail={"page": "privacy_resident_lookup", "searched": True, "results": len(found)},
        )
    return render(
        request,
        "privacy/resident_lookup.html",
        {"form": form, "found": found},
        status=400 if searching and form.errors else 200,
    )


@privacy_officer_only
@require_GET
def access_request(request: HttpRequest, ref: uuid.UUID) -> HttpResponse:
    resident = _resident(ref)
    fmt = "json" if request.GET.get("format") == "json" else "html"
    report = access_report(resident, context=AuditContext.for_request(request), fmt=fmt)
    if fmt == "json":
        response = HttpResponse(
            json.dumps(report_as_json(report), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="inzage-{resident.ref}.json"'
        return response
    return render(
        request,
        "privacy/access_report.html",
        {
            "report": report,
            "blockers": erasure_blockers(resident, timezone.localdate()),
        },
    )


@privacy_officer_only
@require_http_methods(["GET", "POST"])
def correction(request: HttpRequest, ref: uuid.UUID) -> HttpResponse:
    resident = _resident(ref)
    items = correctable_fields(resident)
    form = CorrectionForm(request.POST if request.method == "POST" else None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            changed = correct(
                resident,
                changes=form.changes(),
                items=form.items_as_shown(),
                reason=form.cleaned_data["reason"],
                context=AuditContext.for_request(request),
            )
        except VersionConflict:
            form.add_error(
                None,
                _(
                    "Een intake van deze inwoner is intussen gewijzigd; de correctie is niet "
                    "opgeslagen. Controleer de gegevens en sla opnieuw op."
                ),
            )
        else:
            if changed:
                messages.success(
                    request, _("De correctie is opgeslagen (%d gegevens).") % len(changed)
                )
            else:
                messages.info(request, _("Er was niets gewijzigd."))
            return redirect("privacy:access", ref=resident.ref)
    return render(
        request,
        "privacy/correction.html",
        {"resident": resident, "form": form, "has_items": bool(items)},
        status=400 if form.errors else 200,
    )


@privacy_officer_only
@require_http_methods(["GET", "POST"])
def erasure(request: HttpRequest, ref: uuid.UUID) -> HttpResponse:
    resident = _resident(ref)
    today = timezone.localdate()
    form = ErasureForm(request.POST if request.method == "POST" else None)
    blockers = erasure_blockers(resident, today)
    if request.method == "POST" and form.is_valid():
        try:
            count = erase(
                resident,
                reason=form.cleaned_data["reason"],
                context=AuditContext.for_request(request),
                today=today,
            )
        except ErasureBlocked as exc:
            blockers = exc.blockers
        except ErasureRetry:
            form.add_error(
                None,
                _(
                    "Er werden intussen intakes voor deze inwoner aangemaakt; er is niets "
                    "gewist. Probeer het opnieuw."
                ),
            )
        else:
            messages.success(
                request,
                ngettext(
                    "De inwoner en %d intake zijn gewist. Alleen de auditlog noemt nog "
                    "de referentie.",
                    "De inwoner en %d intakes zijn gewist. Alleen de auditlog noemt nog "
                    "de referentie.",
                    count,
                )
                % count,
            )
            return redirect("privacy:lookup")
    return render(
        request,
        "privacy/erasure.html",
        {
            "resident": resident,
            "form": form,
            "blockers": blockers,
            "what_goes": stored_for_resident(resident),
            "drafts_of_colleagues": [
                s.intake for s in stored_for_resident(resident) if s.intake.is_draft
            ],
        },
        status=400 if form.errors or (request.method == "POST" and blockers) else 200,
    )
