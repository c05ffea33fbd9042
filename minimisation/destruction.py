"""Destruction: the one path by which intake and resident data leave the database.

Finalising blanks what its decision discards (destroy_discarded); the retention sweep
and an erasure request destroy whole intakes and residents (destroy_intakes,
destroy_orphan_resident, erase_resident). All of it runs inside the caller's
transaction with the rows locked. Discarded values are deleted (rows) or overwritten
(columns of a row that stays for kept fields): no soft delete, no history table, no copy
in the audit event, which names fields and rules only.

Every captured value is sealed under a data key of its own (vault/): destroying a value
destroys its key, here, in the same transaction as the row change; its blind-index
digests go with it. Old copies of the ciphertext (dead tuples, WAL, backups) then wait
only for the next `rotate_keys` to be unreadable everywhere (README, "Vernietigen op
PostgreSQL"). The audit events count the keys destroyed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.models import Count

from audit.context import AuditContext
from audit.events import Event, append, record
from audit.models import Action
from intake.models import (
    DomainAssessment,
    HelpNeed,
    Intake,
    IntakeGroupObjectPermission,
    IntakeUserObjectPermission,
    ParkedSave,
    Resident,
    ResidentGroupObjectPermission,
    ResidentNameToken,
    ResidentUserObjectPermission,
)
from minimisation.decide import SHARED_RULE_ID, Decision, resident_fields_needed_elsewhere
from minimisation.models import DecisionRecord, DiscardedField, KeptField
from minimisation.policy import POLICY, RESIDENT_FIELDS
from vault.fields import destroy_keys_of, key_ids_of, sealed_fields
from vault.keys import destroy as destroy_keys

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


@dataclass(frozen=True)
class Destroyed:
    intake_id: int
    resident_ref: str
    assessments: int
    resident_deleted: bool


# ---- What goes with an intake or a resident, declared once ------------------------------
#
# Why not `Intake.objects.filter(...).delete()`: Django's delete collector loads every
# intake, decision record and resident as a model instance and filters each relation by
# a list of those instances, half of the sweep's time (make bench). The tables nothing
# refers to (permission rows, assessments, kept fields) Django deletes itself with one
# statement each (a "fast delete"). Only a table that others refer to (decision records,
# intakes, residents) is deleted with plain SQL, after its dependents, below in
# _delete_where(). tests/minimisation/test_destroy.py holds the result to the collector's,
# row for row, and checks that every relation to an intake or a resident is listed here.


@dataclass(frozen=True)
class Dependent:
    """Rows of `model` that name the parent through the lookup `via`. They are deleted
    with it, children before parents; with `set_null` the row stays without the reference."""

    model: type[models.Model]
    via: str
    set_null: bool = False


INTAKE_DEPENDENTS: tuple[Dependent, ...] = (
    Dependent(IntakeUserObjectPermission, "content_object"),
    Dependent(IntakeGroupObjectPermission, "content_object"),
    Dependent(DomainAssessment, "intake"),
    Dependent(ParkedSave, "intake"),
    # The decision's kept and discarded fields name the decision record, not the intake.
    Dependent(KeptField, "decision__intake"),
    Dependent(DiscardedField, "decision__intake"),
    Dependent(DecisionRecord, "intake"),
    # A reassessment of a destroyed intake stays, without the reference (SET_NULL).
    Dependent(Intake, "previous", set_null=True),
)
RESIDENT_DEPENDENTS: tuple[Dependent, ...] = (
    Dependent(ResidentUserObjectPermission, "content_object"),
    Dependent(ResidentGroupObjectPermission, "content_object"),
    Dependent(ResidentNameToken, "resident"),
)
# The blind-index columns that go with a resident field when it is blanked.
RESIDENT_INDEX: dict[str, str] = {"bsn": "bsn_index", "date_of_birth": "birth_date_index"}


def _destroy_rows(
    parent: type[models.Model], dependents: Sequence[Dependent], ids: list[int]
) -> int:
    """Delete the `parent` rows `ids` and everything `dependents` lists with them, and
    the data keys of every sealed value among them. Returns the number of keys destroyed."""
    destroyed = 0
    for dependent in dependents:
        rows = dependent.model._base_manager.filter(**{f"{dependent.via}__in": ids})
        if dependent.set_null:
            rows.update(**{dependent.via: None})
            continue
        if sealed_fields(dependent.model):
            destroyed += destroy_keys_of(rows)
        if dependent.model._meta.related_objects:
            _delete_where(dependent.model, dependent.via, ids)
        else:
            rows.delete()  # a fast delete: nothing refers to these rows
    if sealed_fields(parent):
        destroyed += destroy_keys_of(parent._base_manager.filter(pk__in=ids))
    _delete_where(parent, "id", ids)
    return destroyed


def _delete_where(model: type[models.Model], field: str, ids: list[int]) -> None:
    """DELETE FROM model WHERE field IN ids, as SQL (see the header above). Table and
    column names come from the model (quoted); every value is a parameter. PostgreSQL
    gets `= ANY(%s)` with one array: the same short text for every batch."""
    named = model._meta.get_field(field)
    # A column of this table, not a reverse relation or a lookup across tables.
    assert isinstance(named, models.Field) and named.column
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(named.column)
    params: list[Any]
    if connection.vendor == "postgresql":
        condition, params = "= ANY(%s)", [ids]
    else:
        condition, params = f"IN ({', '.join(['%s'] * len(ids))})", list(ids)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {column} {condition}", params)  # noqa: S608


def _require_transaction(name: str) -> None:
    if not connection.in_atomic_block:
        raise RuntimeError(f"{name} must run inside a transaction with its rows locked")


# ---- Finalising: the columns and rows a decision discards -------------------------------


def destroy_discarded(intake: Intake, decision: Decision) -> int:
    """Set-based: one DELETE for the domains nothing is kept of, one UPDATE per distinct
    set of blanked columns (usually one), and one DELETE of the data keys of everything
    that goes. The rows are the ones the decision's snapshot read under the same intake
    lock. Returns the number of data keys destroyed."""
    _require_transaction("destroy_discarded")
    # A save parked after a session ended holds captured values of this draft: it goes now,
    # whatever the decision keeps (the kept values are in the rows below).
    parked = ParkedSave.objects.filter(intake_id=intake.pk)
    parked_keys = key_ids_of(parked)
    parked.delete()
    by_domain: dict[str, set[str]] = {}
    for f in decision.kept:
        if f.domain:
            by_domain.setdefault(f.domain, set()).add(f.field.split(".", 1)[1])
    assessments = DomainAssessment.objects.filter(intake_id=intake.pk)
    doomed_rows = assessments.exclude(domain__in=by_domain)
    doomed_keys = parked_keys + key_ids_of(doomed_rows)
    doomed_rows.delete()
    by_blanks: dict[tuple[str, ...], list[str]] = {}
    for domain, kept in by_domain.items():
        blanked = tuple(name for name in DOMAIN_BLANK if name not in kept)
        if blanked:
            by_blanks.setdefault(blanked, []).append(domain)
    for blanked, domains in by_blanks.items():
        rows = assessments.filter(domain__in=domains)
        doomed_keys += key_ids_of(rows, blanked)
        rows.update(**{name: DOMAIN_BLANK[name] for name in blanked})
    destroyed = destroy_keys(doomed_keys)
    resident_discards = [
        f.field.split(".", 1)[1] for f in decision.discarded if f.field in RESIDENT_FIELDS
    ]
    return destroyed + blank_resident_fields(intake.resident_id, resident_discards)


def blank_resident_fields(resident_id: int, names: Sequence[str]) -> int:
    """Blank these fields of the resident: their data keys and blind-index digests go
    too. Returns the number of data keys destroyed."""
    if not names:
        return 0
    rows = Resident.objects.filter(pk=resident_id)
    destroyed = destroy_keys_of(rows, names)
    updates: dict[str, Any] = {name: RESIDENT_BLANK[name] for name in names}
    updates.update({RESIDENT_INDEX[name]: None for name in names if name in RESIDENT_INDEX})
    rows.update(**updates)
    if "name" in names:
        ResidentNameToken.objects.filter(resident_id=resident_id).delete()
    return destroyed


def record_discarded(decision_record: DecisionRecord, decision: Decision) -> None:
    """Which fields of a discussed domain finalising destroyed, under which rule (names
    only), for the profile's "vernietigd op <datum> (regel …)". A domain not discussed held
    nothing, so it gets no row."""
    _require_transaction("record_discarded")
    DiscardedField.objects.bulk_create(
        DiscardedField(decision=decision_record, field=f.field, domain=f.domain, rule_id=f.rule_id)
        for f in decision.discarded
        if f.domain and f.rule_id != POLICY.not_discussed.id
    )


# ---- Whole intakes and residents: the sweep and erasure ---------------------------------


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
    each table touched by one set-based statement per batch.

    The caller holds the intake rows locked inside a transaction.
    """
    _require_transaction("destroy_intakes")
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
    assessments: dict[int, int] = dict(
        DomainAssessment.objects.filter(intake_id__in=intake_ids)
        .order_by()
        .values("intake_id")
        .annotate(n=Count("pk"))
        .values_list("intake_id", "n")
    )
    keys_by_intake = _keys_per(
        DomainAssessment.objects.filter(intake_id__in=intake_ids), "intake_id"
    )
    _destroy_rows(Intake, INTAKE_DEPENDENTS, intake_ids)
    still_used = set(
        Intake.objects.filter(resident_id__in=list(refs))
        .order_by()
        .values_list("resident_id", flat=True)
        .distinct()
    )
    unused = [pk for pk in refs if pk not in still_used]
    resident_keys_of = _keys_per(Resident.objects.filter(pk__in=unused), "pk")
    if unused:
        _destroy_rows(Resident, RESIDENT_DEPENDENTS, unused)
    for resident_id in sorted(still_used):
        release_fields_not_needed(resident_id, today)
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
                    # Counts only: the data keys of this intake's values (and of the
                    # resident's, on the event that deletes the resident).
                    "keys_destroyed": keys_by_intake.get(intake.pk, 0)
                    + (resident_keys_of.get(intake.resident_id, 0) if resident_deleted else 0),
                },
            )
        )
        destroyed.append(Destroyed(intake.pk, resident_ref, count, resident_deleted))
    # One DISCARD event per intake, chained in one statement.
    append(events)
    return destroyed


def _keys_per(rows: models.QuerySet[Any], group: str) -> dict[int, int]:
    """How many data keys the sealed values of these rows hold, per `group` column."""
    counts: dict[int, int] = {}
    names = [f.name for f in sealed_fields(rows.model)]
    for row_group, *values in rows.order_by().values_list(group, *names):
        held = sum(1 for v in values if getattr(v, "key_id", None) is not None)
        counts[row_group] = counts.get(row_group, 0) + held
    return counts


def release_fields_not_needed(resident_id: int, today: dt.date) -> None:
    """Blank the resident fields no remaining intake needs."""
    needed = resident_fields_needed_elsewhere(resident_id, None, today)
    blanks = [name.split(".", 1)[1] for name in RESIDENT_FIELDS if name not in needed]
    if blanks:
        blank_resident_fields(resident_id, blanks)
        # Fields another decision kept only for this intake's sake are gone now.
        KeptField.objects.filter(
            decision__intake__resident_id=resident_id,
            rule_id=SHARED_RULE_ID,
            field__in=[f"resident.{name}" for name in blanks],
        ).delete()


def destroy_orphan_resident(resident: Resident, *, rule_id: str, context: AuditContext) -> None:
    """Delete a resident no intake refers to (an intake form abandoned before saving)."""
    _require_transaction("destroy_orphan_resident")
    resident_ref = str(resident.ref)
    _destroy_rows(Resident, RESIDENT_DEPENDENTS, [resident.pk])
    record(
        Action.DISCARD,
        context,
        resident_ref=resident_ref,
        detail={"rule": rule_id, "resident_deleted": True},
    )


def erase_resident(
    resident: Resident, *, rule_id: str, today: dt.date, context: AuditContext
) -> int:
    """Erase a resident on request (GDPR art. 17): every intake, then the resident.

    Goes through destroy_intake() and destroy_orphan_resident(), so an erasure
    destroys exactly the way the retention sweep does. The caller runs this inside a
    transaction and has checked (under the same locks) that no retention duty blocks it
    (privacy/resident_requests.py). Returns the number of intakes destroyed.
    """
    _require_transaction("erase_resident")
    intakes = list(Intake.objects.select_for_update().filter(resident=resident).order_by("pk"))
    for intake in intakes:
        destroy_intake(intake, rule_id=rule_id, today=today, context=context)
    left = Resident.objects.select_for_update().filter(pk=resident.pk).first()
    if left is not None:  # no intake referred to it (or none was left to delete it)
        destroy_orphan_resident(left, rule_id=rule_id, context=context)
    return len(intakes)
