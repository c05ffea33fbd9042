"""apply() and destroy_intake(): the one place in the code base that destroys intake data.

Both run inside one database transaction with the intake row locked. Discarded
values are deleted (rows) or overwritten (columns of a row that stays for kept
fields): no soft delete, no history table, no copy in the audit event, which
names fields and rules only. An exception anywhere rolls everything back.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.context import AuditContext
from audit.events import Event, append, record
from audit.models import Action
from intake.models import (
    DomainAssessment,
    HelpNeed,
    Intake,
    IntakeGroupObjectPermission,
    IntakeStatus,
    IntakeUserObjectPermission,
    Resident,
    ResidentGroupObjectPermission,
    ResidentUserObjectPermission,
)
from minimisation.decide import SHARED_RULE_ID, Decision, IntakeNotReady, decide
from minimisation.models import DecisionRecord, KeptField
from minimisation.policy import POLICY, RESIDENT_FIELDS, Policy
from minimisation.snapshot import resident_fields_needed_elsewhere, snapshot_of

logger = logging.getLogger(__name__)

# The value a destroyed column gets when its row stays for other, kept fields.
RESIDENT_BLANK: dict[str, Any] = {
    "name": "",
    "date_of_birth": None,
    "bsn": "",
    "address": "",
    "phone": "",
    "email": "",
}
DOMAIN_BLANK: dict[str, Any] = {"score": None, "help_need": HelpNeed.UNKNOWN, "notes": ""}


class FinaliseError(Exception):
    """Finalising did not happen; `message` is a Dutch sentence for the caseworker."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AlreadyFinalised(FinaliseError):  # noqa: N818 - the name is the message
    pass


class IntakeChanged(FinaliseError):  # noqa: N818
    pass


@dataclass(frozen=True)
class Destroyed:
    intake_id: int
    resident_ref: str
    assessments: int
    resident_deleted: bool


def apply(
    decision: Decision,
    *,
    context: AuditContext,
    decided_by: AbstractBaseUser | None,
    policy: Policy = POLICY,
) -> DecisionRecord:
    """Carry out `decision`: keep what it keeps, destroy the rest, record the decision."""
    with transaction.atomic():
        intake = (
            Intake.objects.select_for_update()
            .select_related("resident")
            .filter(pk=decision.intake_id)
            .first()
        )
        if intake is None:
            raise FinaliseError(_("Deze intake bestaat niet meer."))
        if intake.status != IntakeStatus.DRAFT:
            raise AlreadyFinalised(
                _("Deze intake is al afgerond. Er is niets gewijzigd; bekijk het besluit.")
            )
        # Re-decide under the lock: whatever was captured after the preview must not slip by.
        try:
            current = decide(snapshot_of(intake, decision.decided_on), policy, decision.decided_on)
        except IntakeNotReady as exc:
            raise FinaliseError(exc.message) from None
        if current != decision:
            raise IntakeChanged(
                _(
                    "De intake is gewijzigd sinds het voorbeeld. Bekijk het voorbeeld opnieuw "
                    "voordat u afrondt."
                )
            )
        _destroy_discarded(intake, decision)
        intake.status = IntakeStatus.FINALISED
        intake.outcome = decision.outcome
        intake.finalised_at = timezone.now()
        intake.version += 1
        intake.save(update_fields=["status", "outcome", "finalised_at", "version", "updated_at"])
        decision_record = _write_record(intake, decision, decided_by)
        _audit(decision, intake, decision_record, context)
    logger.info(
        "intake %s finalised: %d kept, %d discarded",
        intake.pk,
        len(decision.kept),
        len(decision.discarded),
    )
    return decision_record


def _destroy_discarded(intake: Intake, decision: Decision) -> None:
    """Set-based: one DELETE for the domains nothing is kept of, one UPDATE per distinct
    set of blanked columns (usually one), instead of reading the rows back and touching
    each in its own statement. The rows are the ones snapshot_of() read under the same
    intake lock, so the same rows go and the same columns are blanked as row by row."""
    by_domain: dict[str, set[str]] = {}
    for f in decision.kept:
        if f.domain:
            by_domain.setdefault(f.domain, set()).add(f.field.split(".", 1)[1])
    assessments = DomainAssessment.objects.filter(intake_id=intake.pk)
    assessments.exclude(domain__in=by_domain).delete()
    by_blanks: dict[tuple[str, ...], list[str]] = {}
    for domain, kept in by_domain.items():
        blanked = tuple(name for name in DOMAIN_BLANK if name not in kept)
        if blanked:
            by_blanks.setdefault(blanked, []).append(domain)
    for blanked, domains in by_blanks.items():
        assessments.filter(domain__in=domains).update(
            **{name: DOMAIN_BLANK[name] for name in blanked}
        )
    resident_discards = {
        f.field.split(".", 1)[1]: RESIDENT_BLANK[f.field.split(".", 1)[1]]
        for f in decision.discarded
        if f.field in RESIDENT_FIELDS
    }
    if resident_discards:
        Resident.objects.filter(pk=intake.resident_id).update(**resident_discards)


def _write_record(intake: Intake, decision: Decision, decided_by: Any) -> DecisionRecord:
    authenticated = decided_by is not None and getattr(decided_by, "is_authenticated", False)
    decision_record = DecisionRecord.objects.create(
        intake=intake,
        resident_ref=decision.resident_ref,
        framework=decision.framework,
        outcome=decision.outcome,
        policy_version=decision.policy_version,
        decided_on=decision.decided_on,
        decided_by=decided_by if authenticated else None,
        retention_until=decision.retention_until,
        discarded_counts=decision.discarded_counts(),
    )
    KeptField.objects.bulk_create(
        KeptField(
            decision=decision_record,
            field=f.field,
            domain=f.domain,
            rule_id=f.rule_id,
            retention_until=f.retention_until,
        )
        for f in decision.kept
    )
    return decision_record


def _audit(
    decision: Decision, intake: Intake, decision_record: DecisionRecord, context: AuditContext
) -> None:
    def event(action: Action, detail: dict[str, Any]) -> Event:
        return Event(
            action=action,
            context=context,
            **Event.subject(intake),
            resident_ref=decision.resident_ref,
            purpose=decision.framework,
            detail=detail,
        )

    events = [
        event(
            Action.FINALISE,
            {
                "outcome": decision.outcome,
                "policy_version": decision.policy_version,
                "retention_until": decision_record.retention_until.isoformat(),
                "kept": [[f.key, f.rule_id] for f in decision.kept],
            },
        )
    ]
    if decision.discarded:
        events.append(
            event(
                Action.DISCARD,
                {
                    "discarded": [[f.key, f.rule_id] for f in decision.discarded],
                    "counts": decision.discarded_counts(),
                },
            )
        )
    append(events)


def destroy_intake(
    intake: Intake, *, rule_id: str, today: dt.date, context: AuditContext
) -> Destroyed:
    """Destroy a whole intake, and its resident when no other intake refers to it.

    The caller holds the intake row locked inside a transaction (the sweep does).
    """
    return destroy_intakes([intake], rule_id=rule_id, today=today, context=context)[0]


def destroy_intakes(
    intakes: list[Intake], *, rule_id: str, today: dt.date, context: AuditContext
) -> list[Destroyed]:
    """destroy_intake() for a batch: the same rows go, the same DISCARD event per intake,
    but each table is touched with one set-based statement per batch instead of one
    statement per intake.

    The rows go through explicit DELETEs, children before parents (_INTAKE_ROWS,
    _RESIDENT_ROWS), not through Django's delete collector: the collector loads every
    intake and decision record as a model instance and filters each relation by a list
    of instances first, half of the sweep's time. tests/minimisation/test_destroy.py
    checks that the result is the collector's, row for row, and that every relation to
    an intake or a resident is listed here (a new foreign key must be added here too).

    The caller holds the intake rows locked inside a transaction.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("destroy_intake must run inside a transaction with the intake locked")
    if not intakes:
        return []
    intakes = sorted(intakes, key=lambda i: i.pk)
    intake_ids = [i.pk for i in intakes]
    # Lock the residents too, in a fixed order: two sweeps destroying two intakes of one
    # resident then serialise here, and the second sees the first one's intake gone.
    refs: dict[int, str] = {
        pk: str(ref)
        for pk, ref in Resident.objects.select_for_update()
        .filter(pk__in={i.resident_id for i in intakes})
        .order_by("pk")
        .values_list("pk", "ref")
    }
    with connection.cursor() as cursor:
        in_intakes, params = _in_ids(intake_ids)
        cursor.execute(
            f"SELECT {_column(DomainAssessment, 'intake')}, COUNT(*)"  # noqa: S608 - see _in_ids
            f" FROM {_table(DomainAssessment)}"
            f" WHERE {_column(DomainAssessment, 'intake')} {in_intakes}"
            f" GROUP BY {_column(DomainAssessment, 'intake')}",
            params,
        )
        assessments: dict[int, int] = dict(cursor.fetchall())
        # A reassessment of a destroyed intake stays, without the reference (SET_NULL).
        previous = _column(Intake, "previous")
        cursor.execute(
            f"UPDATE {_table(Intake)} SET {previous} = NULL WHERE {previous} {in_intakes}",  # noqa: S608
            params,
        )
        # The decision's kept fields name the decision record, not the intake.
        cursor.execute(
            f"DELETE FROM {_table(KeptField)} WHERE {_column(KeptField, 'decision')} IN"  # noqa: S608
            f" (SELECT {_column(DecisionRecord, 'id')} FROM {_table(DecisionRecord)}"
            f" WHERE {_column(DecisionRecord, 'intake')} {in_intakes})",
            params,
        )
        for model, field in _INTAKE_ROWS:
            cursor.execute(
                f"DELETE FROM {_table(model)} WHERE {_column(model, field)} {in_intakes}",  # noqa: S608
                params,
            )
        in_residents, params = _in_ids(list(refs))
        resident = _column(Intake, "resident")
        cursor.execute(
            f"SELECT DISTINCT {resident} FROM {_table(Intake)} WHERE {resident} {in_residents}",  # noqa: S608
            params,
        )
        still_used = {row[0] for row in cursor.fetchall()}
        unused = [pk for pk in refs if pk not in still_used]
        if unused:
            in_unused, params = _in_ids(unused)
            for model, field in _RESIDENT_ROWS:
                cursor.execute(
                    f"DELETE FROM {_table(model)} WHERE {_column(model, field)} {in_unused}",  # noqa: S608
                    params,
                )
    for resident_id in sorted(still_used):
        _release_fields_not_needed(resident_id, today)
    # The resident counts as deleted once: with its last intake of the batch.
    last_of_resident = {i.resident_id: i.pk for i in intakes}
    destroyed = []
    events = []
    for intake in intakes:
        resident_deleted = (
            intake.resident_id not in still_used
            and last_of_resident[intake.resident_id] == intake.pk
        )
        resident_ref = refs[intake.resident_id]
        count = assessments.get(intake.pk, 0)
        events.append(
            Event(
                action=Action.DISCARD,
                context=context,
                resident_ref=resident_ref,
                purpose=intake.framework,
                detail={
                    "intake": intake.pk,
                    "rule": rule_id,
                    "assessments_deleted": count,
                    "resident_deleted": resident_deleted,
                },
            )
        )
        destroyed.append(Destroyed(intake.pk, resident_ref, count, resident_deleted))
    # One DISCARD event per intake, chained in one statement.
    append(events)
    return destroyed


# What destroy_intakes() deletes with an intake, children before parents (PostgreSQL
# checks foreign keys at commit, SQLite too, but the order holds either way): (model,
# the field that names the intake). KeptField goes first, through its decision record.
_INTAKE_ROWS: tuple[tuple[type[models.Model], str], ...] = (
    (IntakeUserObjectPermission, "content_object"),
    (IntakeGroupObjectPermission, "content_object"),
    (DecisionRecord, "intake"),
    (DomainAssessment, "intake"),
    (Intake, "id"),
)
# ... and with a resident no intake refers to any more.
_RESIDENT_ROWS: tuple[tuple[type[models.Model], str], ...] = (
    (ResidentUserObjectPermission, "content_object"),
    (ResidentGroupObjectPermission, "content_object"),
    (Resident, "id"),
)


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[models.Model], field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)


def _in_ids(ids: list[int]) -> tuple[str, list[Any]]:
    """`IN (ids)` as SQL and its parameters. PostgreSQL gets `= ANY(%s)` with one array:
    a short statement, the same text for every batch, instead of one placeholder per id.

    The SQL built around it holds table and column names from the models only (quoted);
    every value is a parameter."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [ids]
    return f"IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _release_fields_not_needed(resident_id: int, today: dt.date) -> None:
    """Blank the resident fields no remaining intake needs."""
    needed = resident_fields_needed_elsewhere(resident_id, None, today)
    blanks = {
        name.split(".", 1)[1]: RESIDENT_BLANK[name.split(".", 1)[1]]
        for name in RESIDENT_FIELDS
        if name not in needed
    }
    if blanks:
        Resident.objects.filter(pk=resident_id).update(**blanks)
        # Fields another decision kept only for this intake's sake are gone now.
        KeptField.objects.filter(
            decision__intake__resident_id=resident_id,
            rule_id=SHARED_RULE_ID,
            field__in=[f"resident.{name}" for name in blanks],
        ).delete()


def destroy_orphan_resident(resident: Resident, *, rule_id: str, context: AuditContext) -> None:
    """Delete a resident no intake refers to (an intake form abandoned before saving)."""
    if not connection.in_atomic_block:
        raise RuntimeError("destroy_orphan_resident must run inside a transaction")
    resident_ref = str(resident.ref)
    _delete_resident(resident)
    record(
        Action.DISCARD,
        context,
        resident_ref=resident_ref,
        detail={"rule": rule_id, "resident_deleted": True},
    )


def _delete_resident(resident: Resident) -> None:
    ResidentUserObjectPermission.objects.filter(content_object=resident).delete()
    ResidentGroupObjectPermission.objects.filter(content_object=resident).delete()
    resident.delete()


def erase_resident(
    resident: Resident, *, rule_id: str, today: dt.date, context: AuditContext
) -> int:
    """Erase a resident on request (GDPR art. 17): every intake, then the resident.

    Goes through destroy_intake() and destroy_orphan_resident(), so an erasure
    destroys exactly the way the retention sweep does. The caller runs this inside a
    transaction and has checked (under the same locks) that no retention duty blocks it
    (minimisation/resident_requests.py). Returns the number of intakes destroyed.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("erase_resident must run inside a transaction")
    intakes = list(Intake.objects.select_for_update().filter(resident=resident).order_by("pk"))
    for intake in intakes:
        destroy_intake(intake, rule_id=rule_id, today=today, context=context)
    left = Resident.objects.select_for_update().filter(pk=resident.pk).first()
    if left is not None:  # no intake referred to it (or none was left to delete it)
        destroy_orphan_resident(left, rule_id=rule_id, context=context)
    return len(intakes)
