"""The resident's requests (GDPR arts. 15, 16, 17), answered by the privacy officer.

Access: everything still stored about one resident, with the rule and retention date of
each field, and who accessed their data (from the audit log). Correction: only fields
that are stored (kept), never re-filling a destroyed one. Erasure: through
minimisation.destruction.erase_resident(), the single destroy path, unless a legal retention
duty blocks it (a rule's `blocks_erasure` in minimisation.policy says which rules do).

Reasons are a choice of category, not free text: a free-text reason ("moved in with
her sister after ...") is itself personal data that would need its own ground and
retention; the category is enough to account for the decision, and it is what the
audit log records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.context import AuditContext
from audit.events import record
from audit.models import Action, AuditEvent
from audit.refs import as_uuid
from intake import services
from intake.locking import lock_intakes, lock_residents
from intake.models import Resident
from minimisation.destruction import erase_resident
from minimisation.policy import POLICY
from privacy.stored import (
    StoredField,
    StoredIntake,
    resident_fields_stored,
    stored_for_resident,
)

ERASURE_RULE_ID = POLICY.erasure.id
ERASE_ATTEMPTS = 3
MAX_RESULTS = 20


class CorrectionReason(models.TextChoices):
    INACCURATE = "inaccurate", _("Gegeven is onjuist (AVG art. 16)")
    INCOMPLETE = "incomplete", _("Gegeven is onvolledig (AVG art. 16)")
    CHANGED = "changed", _("Gegeven is veranderd (bijv. verhuisd, nieuw nummer)")


class ErasureReason(models.TextChoices):
    NO_LONGER_NEEDED = "no_longer_needed", _("Niet meer nodig voor het doel (art. 17 lid 1a)")
    WITHDRAWN = "withdrawn", _("Aanvraag ingetrokken door de inwoner (art. 17 lid 1a)")
    OBJECTION = "objection", _("Bezwaar van de inwoner gegrond (art. 17 lid 1c)")
    UNLAWFUL = "unlawful", _("Onrechtmatig verwerkt (art. 17 lid 1d)")


def find_residents(term: str) -> list[Resident]:
    """By name (contains), birth date, BSN, or reference (exact)."""
    term = term.strip()
    if not term:
        return []
    found = Resident.objects.matching(term)
    ref = as_uuid(term)
    if ref is not None:
        found = found | Resident.objects.filter(ref=ref)
    return list(found.order_by("name", "pk")[:MAX_RESULTS])


@dataclass(frozen=True)
class HistoryRow:
    ts: dt.datetime
    role: str
    action: str
    action_label: str
    outcome: str


@dataclass(frozen=True)
class AccessReport:
    resident: Resident
    resident_fields: list[tuple[str, str, str]]
    intakes: list[StoredIntake]
    history: list[HistoryRow]
    produced_on: dt.date


def access_history(resident_ref: str) -> list[HistoryRow]:
    """This resident's audit events only (matched on the indexed resident_ref)."""
    labels = dict(Action.choices)
    return [
        HistoryRow(ts, role, action, str(labels.get(action, action)), outcome)
        for ts, role, action, outcome in AuditEvent.objects.filter(resident_ref=resident_ref)
        .order_by("id")
        .values_list("ts", "actor_role", "action", "outcome")
    ]


def access_report(resident: Resident, *, context: AuditContext, fmt: str) -> AccessReport:
    """Audit first, then read: the history the resident gets includes this very report."""
    record(
        Action.EXPORT if fmt == "json" else Action.READ,
        context,
        obj=resident,
        resident_ref=str(resident.ref),
        detail={"gdpr": "art15", "format": fmt},
    )
    return AccessReport(
        resident=resident,
        resident_fields=resident_fields_stored(resident),
        intakes=stored_for_resident(resident),
        history=access_history(str(resident.ref)),
        produced_on=timezone.localdate(),
    )


def report_as_json(report: AccessReport) -> dict[str, Any]:
    def field(f: StoredField) -> dict[str, Any]:
        return {
            "field": f.field,
            "domain": f.domain,
            "label": str(f.label),
            "value": f.value,
            "rule": f.rule_id,
            "legal_basis": f.legal_basis,
            "retention_until": f.retention_until.isoformat() if f.retention_until else None,
        }

    return {
        "format": "zrm-inzageverzoek/1",
        "produced_on": report.produced_on.isoformat(),
        "resident": {
            "ref": str(report.resident.ref),
            "fields": [
                {"field": name, "label": str(label), "value": value}
                for name, label, value in report.resident_fields
            ],
        },
        "intakes": [
            {
                "id": s.intake.pk,
                "framework": s.intake.get_framework_display(),
                "status": s.intake.get_status_display(),
                "outcome": s.intake.get_outcome_display(),
                "policy_version": s.policy_version,
                "retention_until": s.retention_until.isoformat() if s.retention_until else None,
                "fields": [field(f) for f in s.fields],
            }
            for s in report.intakes
        ],
        "access_history": [
            {
                "ts": h.ts.isoformat(),
                "role": h.role,
                "action": h.action,
                "outcome": h.outcome,
            }
            for h in report.history
        ],
    }


# --- Erasure (art. 17) ---------------------------------------------------------------


@dataclass(frozen=True)
class Blocker:
    intake_id: int
    framework: str
    rule_id: str
    legal_basis: str
    retention_until: dt.date


class ErasureRetry(Exception):  # noqa: N818
    """New intakes kept coming in for this resident while erasing; nothing changed."""


class ErasureBlocked(Exception):  # noqa: N818 - reads as a sentence
    def __init__(self, blockers: list[Blocker]) -> None:
        super().__init__("erasure blocked by a retention duty")
        self.blockers = blockers


def erasure_blockers(resident: Resident, today: dt.date) -> list[Blocker]:
    """One row per (intake, rule) whose legal retention duty still runs."""
    blockers: dict[tuple[int, str], Blocker] = {}
    for stored in stored_for_resident(resident):
        for f in stored.blocking(today):
            until = f.retention_until
            if until is None:  # blocking() yields dated fields only
                continue
            key = (stored.intake.pk, f.rule_id)
            current = blockers.get(key)
            if current is None or until > current.retention_until:
                blockers[key] = Blocker(
                    stored.intake.pk,
                    stored.intake.get_framework_display(),
                    f.rule_id,
                    f.legal_basis,
                    until,
                )
    return sorted(blockers.values(), key=lambda b: (b.intake_id, b.rule_id))


def erase(resident: Resident, *, reason: str, context: AuditContext, today: dt.date) -> int:
    """Erase the resident and every intake, or raise ErasureBlocked (nothing changes).

    Locks in the order of intake/services.py: every intake of the resident (id order),
    then the resident. An intake created for the resident between those two steps is
    not locked yet; then the transaction gives up its locks and starts again, so
    nothing of the resident survives an erasure and nothing is locked out of order.
    A resident already destroyed (erased twice, or swept meanwhile) erases nothing: 0.
    """
    ErasureReason(reason)  # ValueError for an unknown code: the form lets none through
    ref = str(resident.ref)
    for _attempt in range(ERASE_ATTEMPTS):
        with transaction.atomic():
            locked = {i.pk for i in lock_intakes(resident.intakes.values_list("pk", flat=True))}
            if not lock_residents([resident.pk]):
                return 0
            if set(resident.intakes.values_list("pk", flat=True)) != locked:
                continue  # a new intake came in between: lock again, in order
            blockers = erasure_blockers(resident, today)
            if blockers:
                raise ErasureBlocked(blockers)
            destroyed = erase_resident(
                resident,
                rule_id=ERASURE_RULE_ID,
                today=today,
                context=context,
            )
            record(
                Action.DISCARD,
                context,
                object_type="resident",
                resident_ref=ref,
                detail={"gdpr": "art17", "reason": reason, "intakes_destroyed": destroyed},
            )
            return destroyed
    raise ErasureRetry()


# --- Correction (art. 16) ------------------------------------------------------------


@dataclass(frozen=True)
class Correctable:
    key: str  # form field name: "resident-name", "a12-notes"
    field: str  # "resident.name", "domainassessment.notes"
    label: str
    current: Any
    assessment_id: int | None = None
    intake_id: int | None = None
    intake_version: int | None = None  # as read with `current`: the correction's version check


def correctable_fields(resident: Resident) -> list[Correctable]:
    """Stored (kept) fields only: a destroyed field is never filled in again."""
    items = [
        Correctable(f"resident-{name.split('.', 1)[1]}", name, label, _raw(resident, name))
        for name, label, _value in resident_fields_stored(resident)
    ]
    for stored in stored_for_resident(resident):
        rows = {a.domain: a for a in stored.intake.assessments.all()}
        for f in stored.fields:
            if f.field in ("domainassessment.score", "domainassessment.notes") and f.domain:
                row = rows.get(f.domain)
                if row is None:
                    continue
                name = f.field.split(".", 1)[1]
                items.append(
                    Correctable(
                        f"a{row.pk}-{name}",
                        f.field,
                        f"{f.label} (intake {stored.intake.pk})",
                        getattr(row, name),
                        row.pk,
                        stored.intake.pk,
                        stored.intake.version,
                    )
                )
    return items


def _raw(resident: Resident, name: str) -> Any:
    return getattr(resident, name.split(".", 1)[1])


def correct(
    resident: Resident,
    *,
    changes: dict[str, Any],
    items: list[Correctable],
    reason: str,
    context: AuditContext,
) -> list[str]:
    """Write the changed values through intake.services.correct() (the version check and
    the audit event are there); raises intake.services.VersionConflict if an intake
    changed since `items` were read."""
    CorrectionReason(reason)  # ValueError for an unknown code: the form lets none through
    by_key = {c.key: c for c in items}
    corrections = [
        services.Correction(
            field=item.field,
            value=value,
            assessment_id=item.assessment_id,
            intake_id=item.intake_id,
            expected_version=item.intake_version,
        )
        for key, value in changes.items()
        if value != (item := by_key[key]).current
    ]
    return services.correct(resident, corrections, reason=reason, context=context)
