"""The retention sweep: expired drafts and kept data past retention, destroyed in batches.

A batch is a set of whole resident groups: a resident with a doomed intake, every
intake of that resident, and every reassessment of a doomed intake (destroying an
intake writes its reassessments: `previous` becomes NULL). Each batch locks its
residents and then their intakes with SELECT ... FOR UPDATE SKIP LOCKED, and destroys
only the groups it holds whole. So the sweep never waits for a row: two sweeps never
take the same group, a sweep never meets another sweep's group halfway (the
reassessment chains of issue 17), and a caseworker's save or finalise that holds one
of the intakes makes the sweep pass that group by instead of forming a cycle of waits
with it (the lock order in intake/services.py). Groups passed by are tried once more at
the end of the run; what is still busy then is counted in the summary and waits for
the next run.

A batch that still meets a transient database error (a deadlock with something
outside this order, a serialisation failure, a dropped connection) is run again,
a bounded number of times with a growing wait (audit.transient.retrying). Destruction
goes through minimisation.destruction.destroy_intakes, one batch at a time.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.context import AuditContext
from audit.events import record
from audit.models import Action
from audit.transient import retrying
from intake.models import Intake, IntakeStatus, Resident
from minimisation.destruction import destroy_intakes, destroy_orphan_resident
from minimisation.policy import POLICY, Policy

DRAFT_EXPIRED_RULE = POLICY.draft_expired.id
RETENTION_PASSED_RULE = POLICY.retention_passed.id
ORPHAN_RESIDENT_RULE = POLICY.orphan_resident.id
SWEEP = AuditContext.system("command:purge")
# Tables a sweep deletes from; VACUUM (ANALYZE) runs on these on PostgreSQL.
TOUCHED_MODELS = ("intake.Intake", "intake.DomainAssessment", "intake.Resident")


@dataclass
class PurgeResult:
    expired_drafts: list[int] = field(default_factory=list)
    past_retention: list[int] = field(default_factory=list)
    orphan_residents: list[str] = field(default_factory=list)
    residents_deleted: int = 0
    assessments_deleted: int = 0
    busy_residents: int = 0  # groups another writer held through both passes
    vacuumed: bool = False

    @property
    def intakes(self) -> int:
        return len(self.expired_drafts) + len(self.past_retention)

    def summary(self, dry_run: bool) -> str:
        verb = "zou vernietigen" if dry_run else "vernietigd"
        return (
            f"purge {verb}: {len(self.expired_drafts)} verlopen concepten, "
            f"{len(self.past_retention)} intakes na bewaartermijn, "
            f"{self.assessments_deleted} domeinscores, "
            f"{self.residents_deleted + len(self.orphan_residents)} inwoners"
            + (
                ""
                if dry_run
                else f", {self.busy_residents} inwoners in gebruik (volgende run)"
                f"; vacuum {'uitgevoerd' if self.vacuumed else 'niet nodig'}"
            )
        )


def draft_cutoff(now: dt.datetime, policy: Policy) -> dt.datetime:
    """Drafts (and residents without an intake) created before this moment have expired:
    the start of the first local day whose drafts are still live. By the day, as
    Policy.draft_expires_on counts, so the date the privacy officer is shown holds."""
    first_live = policy.first_live_draft_day(timezone.localdate(now))
    return timezone.make_aware(dt.datetime.combine(first_live, dt.time.min))


def expired_drafts(now: dt.datetime, policy: Policy = POLICY) -> QuerySet[Intake]:
    return Intake.objects.filter(
        status=IntakeStatus.DRAFT, created_at__lt=draft_cutoff(now, policy)
    )


def past_retention(today: dt.date) -> QuerySet[Intake]:
    return Intake.objects.filter(status=IntakeStatus.FINALISED, decision__retention_until__lt=today)


def orphan_residents(now: dt.datetime, policy: Policy = POLICY) -> QuerySet[Resident]:
    return Resident.objects.filter(intakes__isnull=True, created_at__lt=draft_cutoff(now, policy))


def purge(
    *,
    now: dt.datetime,
    batch_size: int = 200,
    dry_run: bool = False,
    policy: Policy = POLICY,
    context: AuditContext = SWEEP,
) -> PurgeResult:
    today = timezone.localdate(now)
    result = PurgeResult()
    if dry_run:
        for intake in expired_drafts(now, policy).order_by("pk"):
            result.expired_drafts.append(intake.pk)
            result.assessments_deleted += intake.assessments.count()
        for intake in past_retention(today).order_by("pk"):
            result.past_retention.append(intake.pk)
            result.assessments_deleted += intake.assessments.count()
        doomed = result.expired_drafts + result.past_retention
        of_doomed = set(Intake.objects.filter(pk__in=doomed).values_list("resident_id", flat=True))
        result.residents_deleted = sum(
            1
            for resident_id in of_doomed
            if not Intake.objects.filter(resident_id=resident_id).exclude(pk__in=doomed).exists()
        )
        result.orphan_residents = [
            str(r) for r in orphan_residents(now, policy).values_list("ref", flat=True)
        ]
        return result
    selections = {
        DRAFT_EXPIRED_RULE: (expired_drafts(now, policy), result.expired_drafts),
        RETENTION_PASSED_RULE: (past_retention(today), result.past_retention),
    }
    # The candidates once, by resident; then batches of whole residents, each re-checked
    # and locked. (A batch query of its own, "the first 200 expired by id", walked the
    # id index past every live and every destroyed row again for each batch; make bench.)
    doomed_per_resident: dict[int, int] = {}
    for selection, _bucket in selections.values():
        for resident_id in selection.order_by().values_list("resident_id", flat=True):
            doomed_per_resident[resident_id] = doomed_per_resident.get(resident_id, 0) + 1
    pending = sorted(doomed_per_resident)
    for _pass in range(2):
        busy: list[int] = []
        for group in _batches(pending, doomed_per_resident, batch_size):
            busy += retrying(
                functools.partial(_sweep_groups, group, selections, today, context, result),
                what="purge batch",
            )
        pending = busy
        if not pending:
            break
    result.busy_residents = len(pending)
    while True:
        residents = retrying(
            lambda: _sweep_orphans(now, policy, batch_size, context), what="purge orphans"
        )
        result.orphan_residents += residents
        if len(residents) < batch_size:
            break
    touched = result.intakes or result.orphan_residents
    if touched:
        record(
            Action.PURGE,
            context,
            detail={
                "expired_drafts": len(result.expired_drafts),
                "past_retention": len(result.past_retention),
                "assessments_deleted": result.assessments_deleted,
                "residents_deleted": result.residents_deleted + len(result.orphan_residents),
            },
        )
        result.vacuumed = vacuum_touched_tables()
    return result


def _sweep_orphans(
    now: dt.datetime, policy: Policy, batch_size: int, context: AuditContext
) -> list[str]:
    """One batch of residents without any intake, destroyed; their refs."""
    with transaction.atomic():
        residents = list(
            Resident.objects.select_for_update(skip_locked=True)
            .filter(pk__in=orphan_residents(now, policy).values("pk"))
            .order_by("pk")[:batch_size]
        )
        for resident in residents:
            destroy_orphan_resident(resident, rule_id=ORPHAN_RESIDENT_RULE, context=context)
    return [str(r.ref) for r in residents]


def _batches(resident_ids: list[int], weight: dict[int, int], size: int) -> list[list[int]]:
    """Residents in id order, cut into batches of about `size` doomed intakes; a resident
    is never split (a resident with more doomed intakes than `size` is a batch alone)."""
    batches: list[list[int]] = [[]]
    count = 0
    for resident_id in resident_ids:
        if batches[-1] and count + weight[resident_id] > size:
            batches.append([])
            count = 0
        batches[-1].append(resident_id)
        count += weight[resident_id]
    return [b for b in batches if b]


def _sweep_groups(
    resident_ids: list[int],
    selections: dict[str, tuple[QuerySet[Intake], list[int]]],
    today: dt.date,
    context: AuditContext,
    result: PurgeResult,
) -> list[int]:
    """One batch, one transaction: destroy what is still doomed in every resident group
    this sweep can take whole without waiting; returns the residents passed by."""
    counts = {"intakes": 0, "assessments": 0, "residents": 0}
    destroyed_by_rule: dict[str, list[int]] = {}
    with transaction.atomic():
        held = list(
            Resident.objects.select_for_update(skip_locked=True)
            .filter(pk__in=resident_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        group = Intake.objects.filter(Q(resident_id__in=held) | Q(previous__resident_id__in=held))
        wanted = dict(group.values_list("pk", "resident_id"))
        locked = set(
            group.select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        busy = {resident_id for pk, resident_id in wanted.items() if pk not in locked}
        whole = [pk for pk in held if pk not in busy]
        for rule_id, (selection, _bucket) in selections.items():
            # Still matching (a draft finalised meanwhile is not destroyed).
            batch = list(selection.filter(resident_id__in=whole, pk__in=locked).order_by("pk"))
            for destroyed in destroy_intakes(batch, rule_id=rule_id, today=today, context=context):
                destroyed_by_rule.setdefault(rule_id, []).append(destroyed.intake_id)
                counts["assessments"] += destroyed.assessments
                counts["residents"] += int(destroyed.resident_deleted)
    # Counted once committed: a batch that is retried is not counted twice.
    for rule_id, ids in destroyed_by_rule.items():
        selections[rule_id][1].extend(ids)
    result.assessments_deleted += counts["assessments"]
    result.residents_deleted += counts["residents"]
    not_held = set(resident_ids) - set(held)
    skipped = set(Resident.objects.filter(pk__in=not_held).values_list("pk", flat=True))
    return sorted(busy | skipped)  # destroyed meanwhile by another sweep: not busy


def vacuum_touched_tables() -> bool:
    """VACUUM (ANALYZE) on PostgreSQL; a no-op elsewhere or inside a transaction.

    Plain VACUUM marks dead rows reusable but does not rewrite the file: physical
    erasure needs VACUUM FULL or per-intake encryption (README, DESIGN.md section 9).
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    from django.apps import apps

    from minimisation.models import DecisionRecord, KeptField

    models = [apps.get_model(label) for label in TOUCHED_MODELS] + [DecisionRecord, KeptField]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
    return True
