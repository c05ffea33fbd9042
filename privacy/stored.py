"""What is stored about a resident, field by field, with the rule that keeps it and until when.

One description used by the admin review, the access report (GDPR art. 15) and the
correction and erasure pages (arts. 16, 17), so all three tell the same story.

A finalised intake stores exactly its KeptField rows (apply() destroyed the rest).
A draft stores what the caseworker captured, under the policy's draft rule (an
application broken off expires after the draft term): that is what the resident may
see, correct or have erased too. Every rule's sentence, and whether it blocks erasure,
comes from the policy (Policy.basis, Rule.blocks_erasure).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.instrument import SCALE_LABELS
from intake.models import DomainAssessment, Intake, Resident
from minimisation.labels import domain_name, field_label
from minimisation.models import KeptField
from minimisation.policy import POLICY, RESIDENT_FIELDS


@dataclass(frozen=True)
class StoredField:
    field: str  # "resident.name", "domainassessment.notes", ...
    domain: str
    label: str
    value: Any  # the stored value, for the access report and the admin; never logged
    rule_id: str
    legal_basis: str
    retention_until: dt.date | None

    @property
    def key(self) -> str:
        return f"{self.domain}:{self.field}" if self.domain else self.field

    @property
    def blocks_erasure(self) -> bool:
        return POLICY.blocks_erasure(self.rule_id)


@dataclass(frozen=True)
class StoredIntake:
    intake: Intake
    fields: tuple[StoredField, ...]
    retention_until: dt.date | None
    policy_version: str

    def blocking(self, today: dt.date) -> tuple[StoredField, ...]:
        return tuple(
            f
            for f in self.fields
            if f.blocks_erasure and f.retention_until is not None and f.retention_until >= today
        )


def display_value(model_field: str, value: Any, domain: str = "") -> str:
    if value is None or value == "":
        return ""
    if model_field == "domainassessment.score":
        return f"{value} ({SCALE_LABELS.get(value, '')})"
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def with_stored_data() -> QuerySet[Intake]:
    """Intakes with everything stored_intake() reads, in a constant number of queries."""
    return Intake.objects.select_related(
        "resident", "caseworker", "team", "decision", "previous"
    ).prefetch_related(
        Prefetch("assessments", queryset=DomainAssessment.objects.order_by("domain")),
        Prefetch("decision__kept_fields", queryset=KeptField.objects.order_by("domain", "field")),
    )


def destroyed_key() -> str:
    """A stored value whose data key is gone (a restored backup after rotate_keys)."""
    return _("vernietigd (de sleutel bestaat niet meer)")


def _value_of(
    intake: Intake, field: str, assessments: dict[str, DomainAssessment], domain: str
) -> str:
    model, name = field.split(".", 1)
    if model == "resident":
        value = getattr(intake.resident, name)
        if name in intake.resident.unreadable_fields():
            return destroyed_key()
    elif model == "intake":
        value = getattr(intake, name)
        if name in ("caseworker", "team", "resident", "previous"):
            value = _ref_label(name, value)
        elif name in ("framework", "status", "outcome", "instrument_version"):
            value = getattr(intake, f"get_{name}_display")()
    else:
        row = assessments.get(domain)
        value = getattr(row, name) if row is not None else None
        if name == "help_need" and row is not None:
            value = row.get_help_need_display()
        if row is not None and name in row.unreadable_fields():
            return destroyed_key()
    return display_value(field, value)


def _ref_label(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name == "caseworker":
        return str(value.get_username())
    if name == "team":
        return str(value.name)
    if name == "resident":
        return str(value.ref)
    return f"intake {value.pk}"


def draft_kept_until(intake: Intake) -> dt.date:
    """The last day a draft is kept ("tot en met"): the day before the sweep destroys it."""
    created = timezone.localdate(intake.created_at)
    return POLICY.draft_expires_on(created) - dt.timedelta(days=1)


def stored_intake(intake: Intake) -> StoredIntake:
    """Every stored field of one intake (use with_stored_data() for the queryset)."""
    assessments = {a.domain: a for a in intake.assessments.all()}
    decision = getattr(intake, "decision", None) if not intake.is_draft else None
    fields: list[StoredField] = []
    if decision is not None:
        for kept in decision.kept_fields.all():
            fields.append(
                StoredField(
                    field=kept.field,
                    domain=kept.domain,
                    label=_label(kept.field, kept.domain, intake),
                    value=_value_of(intake, kept.field, assessments, kept.domain),
                    rule_id=kept.rule_id,
                    legal_basis=POLICY.basis(kept.rule_id),
                    retention_until=kept.retention_until,
                )
            )
        return StoredIntake(
            intake, tuple(fields), decision.retention_until, decision.policy_version
        )
    until = draft_kept_until(intake)
    names = [f for f in RESIDENT_FIELDS if getattr(intake.resident, f.split(".", 1)[1])]
    for name in names:
        fields.append(_draft_field(intake, name, "", assessments, until))
    for code, row in assessments.items():
        for name, present in (
            ("domainassessment.score", row.score is not None),
            ("domainassessment.help_need", row.score is not None),
            ("domainassessment.notes", bool(row.notes)),
        ):
            if present:
                fields.append(_draft_field(intake, name, code, assessments, until))
    return StoredIntake(intake, tuple(fields), until, "")


def _draft_field(
    intake: Intake,
    name: str,
    domain: str,
    assessments: dict[str, DomainAssessment],
    until: dt.date,
) -> StoredField:
    return StoredField(
        field=name,
        domain=domain,
        label=_label(name, domain, intake),
        value=_value_of(intake, name, assessments, domain),
        rule_id=POLICY.draft.id,
        legal_basis=POLICY.draft.legal_basis,
        retention_until=until,
    )


def _label(field: str, domain: str, intake: Intake) -> str:
    label = field_label(field)
    if domain:
        return f"{domain_name(intake.instrument_version, domain)}: {label}"
    return label


def stored_for_resident(resident: Resident) -> list[StoredIntake]:
    intakes = with_stored_data().filter(resident=resident).order_by("created_at", "pk")
    return [stored_intake(i) for i in intakes]


def resident_fields_stored(resident: Resident) -> list[tuple[str, str, str]]:
    """(field name, label, display value) of the resident's columns that hold a value
    (or held one whose key is gone: then it says so)."""
    values = {name: getattr(resident, name.split(".", 1)[1]) for name in RESIDENT_FIELDS}
    unreadable = resident.unreadable_fields()
    return [
        (
            name,
            field_label(name),
            destroyed_key()
            if name.split(".", 1)[1] in unreadable
            else display_value(name, values[name]),
        )
        for name in RESIDENT_FIELDS
        if values[name] not in (None, "") or name.split(".", 1)[1] in unreadable
    ]
