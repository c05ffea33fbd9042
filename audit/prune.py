"""Removing events older than the retention term, without breaking verification.

The PRUNE event is appended first, with the range it is about to remove and
`continues_from`: the hash of the last removed event, which is the prev_hash of
the first event that stays. Then the range is deleted (raw SQL, with
`SET LOCAL zrm.audit_prune = 'on'` so the PostgreSQL trigger lets this one
transaction delete). verify_audit accepts a first event whose prev_hash is
GENESIS or the `continues_from` of a PRUNE event that is still in the chain,
and walks every link from there on.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.chain import canonical_ts
from audit.context import AuditContext
from audit.events import CHAIN_LOCK_KEY, record
from audit.models import Action, AuditEvent
from audit.partitions import drop_whole_months, ensure_ahead


class PruneRefusedError(Exception):
    """The requested prune would break the retention term or the chain."""


@dataclass(frozen=True)
class PruneResult:
    removed: int
    event: AuditEvent | None
    dropped_partitions: list[str] = field(default_factory=list)


def earliest_allowed_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Events before this moment may be removed; nothing younger."""
    now = now or timezone.now()
    return now - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)


def prune_before(cutoff: dt.datetime, *, actor: str = "command:prune_audit") -> PruneResult:
    """Remove the events chained before the first event at or after `cutoff`."""
    if cutoff > earliest_allowed_cutoff():
        raise PruneRefusedError(
            f"events younger than the retention term ({settings.AUDIT_RETENTION_DAYS} days) "
            "may not be removed"
        )
    table = AuditEvent._meta.db_table
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
        events = AuditEvent.objects.order_by("id")
        # By id, not by timestamp: hosts' clocks may disagree slightly, and the
        # chain is in id order. Keep everything from the first event at/after cutoff.
        first_kept = events.filter(ts__gte=cutoff).values("id", "prev_hash").first()
        doomed = events.filter(id__lt=first_kept["id"]) if first_kept else events
        last_removed = doomed.order_by("-id").values("id", "hash", "ts").first()
        if last_removed is None:
            return PruneResult(0, None)
        if first_kept is not None and first_kept["prev_hash"] != last_removed["hash"]:
            raise PruneRefusedError(
                f"the chain is broken at event {first_kept['id']}; run verify_audit first"
            )
        first_removed = doomed.values("id", "ts").first()
        if first_removed is None:  # the last removed event is there, so the first is too
            raise PruneRefusedError("the events to remove changed while pruning")
        before = _newest_prune_detail(last_removed["id"])
        offset = removed_total(before)
        # Counted on from the newest checkpoint: constant time, however large the range.
        count = chain_size(through_id=last_removed["id"]) - offset
        event = record(
            Action.PRUNE,
            AuditContext.system(actor),
            detail={
                "before": canonical_ts(cutoff),
                "first_removed_id": first_removed["id"],
                "last_removed_id": last_removed["id"],
                "removed_count": count,
                "oldest_removed_ts": canonical_ts(first_removed["ts"]),
                "newest_removed_ts": canonical_ts(last_removed["ts"]),
                "continues_from": last_removed["hash"],
                "removed_total": offset + count,
                "checkpoints": [
                    *before.get("checkpoints", []),
                    *_checkpoints_through(last_removed["id"]),
                ],
            },
        )
        # Whole months go at once (PostgreSQL: detach and drop, whatever their size); the
        # rest of the range (a month it ends in, the default partition) row by row.
        dropped = drop_whole_months(last_removed_id=last_removed["id"], before=cutoff)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL zrm.audit_prune = 'on'")
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(table)} WHERE id <= %s",  # noqa: S608
                [last_removed["id"]],
            )
            if connection.vendor == "postgresql":
                # Inside an outer transaction SET LOCAL would outlive this function.
                cursor.execute("SET LOCAL zrm.audit_prune = 'off'")
        if AuditEvent.objects.filter(id__lte=last_removed["id"]).exists():
            raise PruneRefusedError("events of the removed range are still there")
        ensure_ahead()
    return PruneResult(count, event, dropped)


def removed_total(prune_detail: dict[str, Any]) -> int:
    """Events removed by this prune and every prune before it (older prune events, written
    before checkpoints existed, count only their own)."""
    return int(prune_detail.get("removed_total", prune_detail.get("removed_count", 0)))


def _newest_prune_detail(through_id: int | None = None) -> dict[str, Any]:
    prunes = AuditEvent.objects.filter(action=Action.PRUNE)
    if through_id is not None:
        prunes = prunes.filter(id__lte=through_id)
    detail = prunes.order_by("-id").values_list("detail", flat=True).first()
    return detail or {}


def chain_size(*, through_id: int) -> int:
    """The tree size at event `through_id`: the events up to it, removed ones included.

    Counted on from the newest checkpoint event before it (which records its own size),
    so the count covers at most the events since then, however large the log; without
    one, from the newest prune (every prune removes from the start, so it holds the
    number removed before the first event that is left)."""
    base = (
        AuditEvent.objects.filter(action__in=[Action.CHECKPOINT, Action.PRUNE], id__lte=through_id)
        .order_by("-id")
        .values("id", "action", "detail")
        .first()
    )
    events = AuditEvent.objects.filter(id__lte=through_id)
    if base is not None and base["action"] == Action.CHECKPOINT and "size" in base["detail"]:
        return int(base["detail"]["size"]) + events.filter(id__gt=base["id"]).count()
    offset = removed_total(base["detail"]) if base is not None else 0
    return offset + events.count()


def _checkpoints_through(last_id: int) -> list[list[object]]:
    """[id, tree size, hash] of each checkpoint event up to `last_id` (each records its size)."""
    checkpoints = AuditEvent.objects.filter(action=Action.CHECKPOINT, id__lte=last_id)
    return [
        [pk, detail["size"], digest]
        for pk, detail, digest in checkpoints.order_by("id").values_list("id", "detail", "hash")
    ]


def is_anchor(prev_hash: str) -> bool:
    """Does a PRUNE event still in the chain record `prev_hash` as its continuation point?"""
    return anchor_detail(prev_hash) is not None


def anchor_detail(prev_hash: str) -> dict[str, Any] | None:
    """The detail of the PRUNE event that records `prev_hash` as its continuation point."""
    detail: dict[str, Any] | None = (
        AuditEvent.objects.filter(action=Action.PRUNE, detail__continues_from=prev_hash)
        .order_by("-id")
        .values_list("detail", flat=True)
        .first()
    )
    return detail
