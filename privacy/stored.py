"""What is stored about a resident, field by field, with the rule that keeps it and until when.

One description used by the admin review, the access report (GDPR art. 15) and the
correction and erasure pages (arts. 16, 17), so all three tell the same story.

A finalised intake stores exactly its KeptField rows (apply() destroyed the rest).
A draft stores what the caseworker captured, under the draft term (an application
broken off expires after 42 days): that is what the resident may see, correct or
have erased too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from intake.instrument import SCALE_LABELS
from intake.models import DomainAssessment, Intake, Resident
from minimisation.decide import SHARED_RULE_ID
from minimisation.labels import domain_name, field_label
from minimisation.models import KeptField
from minimisation.policy import DRAFT_TERM, POLICY, RESIDENT_FIELDS

DRAFT_RULE_ID = "CONCEPT"
DRAFT_BASIS = (
    "Een intake die nog niet is afgerond is een lopende aanvraag; wordt zij niet binnen "
    f"{DRAFT_TERM.label()} afgerond, dan wordt alles vernietigd (afgebroken aanvraag, "
    "Selectielijst gemeenten 2020)."
)
SHARED_BASIS = (
    "Blijft staan: een andere lopende intake van deze inwoner heeft dit gegeven nog nodig; "
    "die intake bepaalt hoe lang."
)

# Rules that only say how long the resident can be reached: contact data are no part
# of the archival record the Selectielijst obliges us to keep (see blocking_rule()).
NON_ARCHIVAL_SUFFIXES = ("-CONTACT",)


def rule_basis(rule_id: str) -> str:
    if rule_id == DRAFT_RULE_ID:
        return DRAFT_BASIS
    if rule_id == SHARED_RULE_ID:
        return SHARED_BASIS
    try:
        return POLICY.rule_by_id(rule_id).legal_basis
    except KeyError:
        return ""


def rule_blocks_erasure(rule_id: str) -> bool:
    """Whether a field kept under this rule is under a legal retention duty.

    The framework rules and the refused-application rule carry out the retention
    terms of the VNG Selectielijst gemeenten 2020 (Archiefwet 1995): the municipality
    must keep that record, so GDPR art. 17(3)(b) (a legal obligation) blocks erasure
    until the retention date. Not blocking: a draft (an application the resident may
    withdraw), a shared field (its other intake decides), and contact data (kept to
    reach the resident, not part of the archival record).
    """
    if rule_id in (DRAFT_RULE_ID, SHARED_RULE_ID):
        return False
    try:
        rule = POLICY.rule_by_id(rule_id)
    except KeyError:
        return False
    return rule.keeps and not rule.id.endswith(NON_ARCHIVAL_SUFFIXES)


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
        return rule_blocks_erasure(self.rule_id)


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


def with_stored_data() -> Any:
    """Intakes with everything stored_intake() reads, in a constant number of queries."""
    return Intake.objects.select_related(
        "resident", "caseworker", "team", "decision", "previous"
    ).prefetch_related(
        Prefetch("assessments", queryset=DomainAssessment.objects.order_by("domain")),
        Prefetch("decision__kept_fields", queryset=KeptField.objects.order_by("domain", "field")),
    )


def _value_of(
    intake: Intake, field: str, assessments: dict[str, DomainAssessment], domain: str
) -> str:
    model, name = field.split(".", 1)
    if model == "resident":
        value = getattr(intake.resident, name)
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
    return display_value(field, value)


def _ref_label(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name == "caseworker":
        return value.get_username()
    if name == "team":
        return value.name
    if name == "resident":
        return str(value.ref)
    return f"intake {value.pk}"


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
                    legal_basis=rule_basis(kept.rule_id),
                    retention_until=kept.retention_until,
                )
            )
        return StoredIntake(
            intake, tuple(fields), decision.retention_until, decision.policy_version
        )
    until = DRAFT_TERM.after(intake.created_at.date())
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
        rule_id=DRAFT_RULE_ID,
        legal_basis=DRAFT_BASIS,
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
    """(field name, label, display value) of the resident's columns that hold a value."""
    return [
        (name, field_label(name), display_value(name, getattr(resident, name.split(".", 1)[1])))
        for name in RESIDENT_FIELDS
        if getattr(resident, name.split(".", 1)[1]) not in (None, "")
    ]
