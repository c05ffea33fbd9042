"""Read-only admin: for the privacy officer, which fields are stored, under which rule, until
when. Nothing here can be added, changed or deleted by hand: only apply() and the sweep do."""

from django.contrib import admin
from django.http import HttpRequest

from minimisation.models import DecisionRecord, KeptField
from minimisation.policy import POLICY


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class KeptFieldInline(ReadOnly, admin.TabularInline):
    model = KeptField
    fields = ("field", "domain", "rule_id", "ground", "retention_until")
    readonly_fields = fields
    extra = 0

    @admin.display(description="grondslag")
    def ground(self, kept: KeptField) -> str:
        try:
            return POLICY.rule_by_id(kept.rule_id).legal_basis
        except KeyError:
            return ""


@admin.register(DecisionRecord)
class DecisionRecordAdmin(ReadOnly, admin.ModelAdmin):
    list_display = (
        "intake_id",
        "resident_ref",
        "framework",
        "outcome",
        "policy_version",
        "decided_on",
        "retention_until",
    )
    list_filter = ("framework", "outcome", "policy_version")
    search_fields = ("resident_ref",)
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
