"""Read-only admin review for the privacy officer (privacyfunctionaris).

Per intake every stored field, the rule that kept it, its legal basis in words and its
retention date; the decision record with its policy version and the counts destroyed per
domain. Nothing here can be added, changed or deleted by hand: only apply(), the sweep
and the privacy officer's erasure page (all through minimisation/destruction.py) do.

Only the privacy officer sees these pages, whatever model permissions anyone holds:
the application admin (functioneel beheerder) and even a superuser without the role get
a 403 (logged by AccessAuditMiddleware) and no entry on the admin index. Every page view
and export is written to the audit log (AuditedAdminMixin).
"""

import csv
import datetime as dt
import io
from typing import Any

from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from accounts.roles import PRIVACY_OFFICER, has_role
from audit.admin import AuditedAdminMixin
from audit.context import AuditContext
from audit.events import record
from audit.models import Action
from audit.refs import as_uuid
from intake.models import Intake
from minimisation.models import DecisionRecord, KeptField
from minimisation.policy import POLICY
from privacy.stored import stored_intake, with_stored_data


class PrivacyOfficerReadOnly(BaseModelAdmin[Any]):
    """View only, and only for the privacy officer role (on top of the model permission)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_role(request.user, PRIVACY_OFFICER) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return has_role(request.user, PRIVACY_OFFICER) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def exact_ref_search(
    queryset: QuerySet[Any], search_term: str, field: str
) -> tuple[QuerySet[Any], bool]:
    """Exact match on a resident reference; no LIKE over anything else (names stay unsearched)."""
    if not search_term.strip():
        return queryset, False
    ref = as_uuid(search_term)
    if ref is None:
        return queryset.none(), False
    return queryset.filter(**{field: ref if field.endswith("__ref") else str(ref)}), False


class RetentionWithinFilter(admin.SimpleListFilter):
    """Retention date within N days from today (or already past: the sweep is due)."""

    title = _("bewaartermijn verloopt")
    parameter_name = "bewaren_binnen"
    field = "retention_until"
    PAST = "verlopen"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [
            ("30", _("binnen 30 dagen")),
            ("90", _("binnen 90 dagen")),
            ("365", _("binnen een jaar")),
            (self.PAST, _("al verlopen")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        today = timezone.localdate()
        if value == self.PAST:
            return queryset.filter(**{f"{self.field}__lt": today})
        # Only the choices offered: a hand-typed ?retention=99999999999 would overflow.
        if value in {choice for choice, _label in self.lookups(request, None)} - {self.PAST}:
            end = today + dt.timedelta(days=int(value))
            return queryset.filter(**{f"{self.field}__gte": today, f"{self.field}__lte": end})
        return queryset


class IntakeRetentionWithinFilter(RetentionWithinFilter):
    field = "decision__retention_until"


def _export_response(rows: list[list[str]], name: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@admin.register(Intake)
class IntakeReviewAdmin(AuditedAdminMixin, PrivacyOfficerReadOnly, admin.ModelAdmin[Intake]):
    list_display = (
        "id",
        "resident_ref",
        "framework",
        "status",
        "outcome",
        "policy_version",
        "retention_until",
    )
    list_filter = ("framework", "status", "outcome", IntakeRetentionWithinFilter)
    list_select_related = ("resident", "decision")
    search_fields = ("resident__ref",)
    search_help_text = _("Zoek op inwonerreferentie (UUID, exact).")
    fields = (
        "id",
        "resident_ref",
        "framework",
        "status",
        "outcome",
        "created_at",
        "finalised_at",
        "decision_summary",
        "stored_fields",
    )
    readonly_fields = fields
    actions = ["export_stored_fields"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return with_stored_data().order_by("-pk")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        return exact_ref_search(queryset, search_term, "resident__ref")

    @admin.display(description=_("inwonerreferentie"))
    def resident_ref(self, intake: Intake) -> str:
        return str(intake.resident.ref)

    @admin.display(description=_("beleidsversie"))
    def policy_version(self, intake: Intake) -> str:
        decision = getattr(intake, "decision", None)
        return decision.policy_version if decision else "–"

    @admin.display(description=_("bewaren tot en met"), ordering="decision__retention_until")
    def retention_until(self, intake: Intake) -> str:
        until = stored_intake(intake).retention_until if intake.is_draft else None
        decision = getattr(intake, "decision", None)
        until = decision.retention_until if decision else until
        return until.strftime("%d-%m-%Y") if until else "–"

    @admin.display(description=_("besluit"))
    def decision_summary(self, intake: Intake) -> str:
        decision = getattr(intake, "decision", None)
        if decision is None:
            return _(
                "Nog geen besluit: concept, vervalt na %(term)s als het niet wordt afgerond."
            ) % {"term": POLICY.draft_term.label()}
        counts = format_html_join(", ", "{}: {}", sorted(decision.discarded_counts.items())) or _(
            "niets"
        )
        return format_html(
            "{} {}; {} {}; {} {}; {} {}",
            _("beleidsversie"),
            decision.policy_version,
            _("besloten op"),
            decision.decided_on.strftime("%d-%m-%Y"),
            _("bewaren tot en met"),
            decision.retention_until.strftime("%d-%m-%Y"),
            _("vernietigd per domein"),
            counts,
        )

    @admin.display(description=_("bewaarde gegevens"))
    def stored_fields(self, intake: Intake) -> str:
        stored = stored_intake(intake)
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td><td><code>{}</code></td>"
            "<td>{}</td><td>{}</td></tr>",
            (
                (
                    f.label,
                    f.value or "–",
                    f.rule_id,
                    f.legal_basis,
                    f.retention_until.strftime("%d-%m-%Y") if f.retention_until else "–",
                )
                for f in stored.fields
            ),
        )
        return format_html(
            "<table class='stored-fields'><thead><tr><th scope='col'>{}</th><th scope='col'>{}"
            "</th><th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            _("gegeven"),
            _("waarde"),
            _("regel"),
            _("grondslag"),
            _("bewaren tot en met"),
            rows,
        )

    @admin.action(
        description=_("Exporteer bewaarde velden (CSV, zonder waarden)"), permissions=["view"]
    )
    def export_stored_fields(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse:
        """Field names, rules and dates of the selected intakes; never a value."""
        rows = [["intake", "inwonerreferentie", "kader", "gegeven", "domein", "regel", "tot"]]
        count = 0
        for intake in queryset:
            count += 1
            for f in stored_intake(intake).fields:
                until = f.retention_until.isoformat() if f.retention_until else ""
                rows.append(
                    [str(intake.pk), str(intake.resident.ref), intake.framework]
                    + [f.field, f.domain, f.rule_id, until]
                )
        record(
            Action.EXPORT,
            AuditContext.for_request(request),
            detail={"page": "admin_intake_review", "format": "csv", "intakes": count},
        )
        return _export_response(rows, "bewaarde-velden.csv")


class KeptFieldInline(PrivacyOfficerReadOnly, admin.TabularInline[KeptField, DecisionRecord]):
    model = KeptField
    fields = ("field", "domain", "rule_id", "ground", "retention_until")
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("grondslag"))
    def ground(self, kept: KeptField) -> str:
        return POLICY.basis(kept.rule_id)


@admin.register(DecisionRecord)
class DecisionRecordAdmin(
    AuditedAdminMixin, PrivacyOfficerReadOnly, admin.ModelAdmin[DecisionRecord]
):
    list_display = (
        "intake_id",
        "resident_ref",
        "framework",
        "outcome",
        "policy_version",
        "decided_on",
        "retention_until",
    )
    list_filter = ("framework", "outcome", "policy_version", RetentionWithinFilter)
    search_fields = ("resident_ref",)
    search_help_text = _("Zoek op inwonerreferentie (UUID, exact).")
    readonly_fields = (
        "intake",
        "resident_ref",
        "framework",
        "outcome",
        "policy_version",
        "decided_on",
        "decided_by",
        "retention_until",
        "discarded_counts",
    )
    inlines = [KeptFieldInline]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        return exact_ref_search(queryset, search_term, "resident_ref")
