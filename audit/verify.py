"""Walking the chain from its start to its head, alone or against a signed checkpoint.

Memory stays bounded whatever the size: events stream from one COPY on PostgreSQL (from
a cursor on SQLite), and nothing is kept of an event once the next one is checked. A
checkpoint adds two checks to the walk: the event it names has the hash and tree size it
signed, and the walk goes on validly to the head. When that event was pruned, the PRUNE
event that anchors the chain's start lists it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection

from audit.chain import (
    GENESIS_HASH,
    HASHED_FIELDS,
    PG_CANONICAL_TS,
    Verification,
    event_hash,
    event_hash_of_text_ts,
    verify_events,
)
from audit.checkpoint import Checkpoint
from audit.models import Action, AuditEvent
from audit.prune import anchor_detail, removed_total

CHUNK_SIZE = 2000
PROGRESS_EVERY_SECONDS = 5.0
# How many events pass between two looks at the clock.
_CLOCK_EVERY = 10_000

Progress = Callable[[int, int], None]  # (events verified so far, last event id)


@dataclass
class _Watch:
    """Counts the walk (the tree size) and watches it for the checkpoint's event, if any;
    `observe` for verify_events(). A checkpoint event's recorded size must be its place."""

    checkpoint: Checkpoint | None
    # The PRUNE event's detail whose continues_from the first event links to (read before
    # the walk: on PostgreSQL the walk is one COPY, and the connection is busy meanwhile).
    anchor: dict[str, Any] | None
    counting: bool = True
    offset: int = 0
    seen: int = 0
    matched: bool = False

    def observe(self, event: Mapping[str, Any]) -> str:
        if self.seen == 0:
            reason = self._start(event)
            if reason:
                return reason
        self.seen += 1
        size = event["detail"].get("size") if event["action"] == Action.CHECKPOINT else None
        if self.counting and size is not None and size != self.offset + self.seen:
            return (
                f"checkpoint event {event['id']} records tree size {size}, "
                f"it is number {self.offset + self.seen}"
            )
        cp = self.checkpoint
        if cp is None or self.matched:
            return ""
        if event["id"] == cp.event_id:
            return self._match(cp, event["hash"], self.offset + self.seen, "")
        if event["id"] > cp.event_id:
            return f"the checkpoint's event {cp.event_id} is missing from the chain"
        return ""

    def _start(self, first: Mapping[str, Any]) -> str:
        if first["prev_hash"] == GENESIS_HASH or not self.counting:
            return ""
        anchor = self.anchor or {}
        self.offset = removed_total(anchor)
        cp = self.checkpoint
        if cp is None or first["id"] <= cp.event_id:
            return ""
        # The checkpoint's event was pruned: its prune recorded [id, size, hash].
        for pk, size, digest in anchor.get("checkpoints", []):
            if pk == cp.event_id:
                return self._match(cp, digest, size, " (as the prune event recorded it)")
        return (
            f"the checkpoint's event {cp.event_id} was removed, and the prune event does "
            "not record it"
        )

    def _match(self, cp: Checkpoint, digest: str, size: int, how: str) -> str:
        if digest != cp.head_hash:
            return f"the hash of event {cp.event_id}{how} is not the checkpoint's head hash"
        if size != cp.size:
            return (
                f"event {cp.event_id}{how} is number {size} of the chain, the checkpoint "
                f"says {cp.size}"
            )
        self.matched = True
        return ""

    def finish(self) -> str:
        if self.checkpoint is None or self.matched:
            return ""
        return f"the chain ends before the checkpoint's event {self.checkpoint.event_id}"


def verify_chain(
    *,
    first_id: int | None = None,
    checkpoint: Checkpoint | None = None,
    progress: Progress | None = None,
) -> Verification:
    """Walk every event (from `first_id` on, trusting its prev_hash, if given)."""
    events = AuditEvent.objects.order_by("id")
    if first_id is not None:
        events = events.filter(id__gte=first_id)
    first = events.values("id", "prev_hash").first()
    anchor = anchor_detail(first["prev_hash"]) if first and first_id is None else None
    trusted = first_id is not None or first is None or first["prev_hash"] == GENESIS_HASH

    def start_is_valid(prev_hash: str) -> bool:
        return trusted or anchor is not None

    rows, hasher = (
        _rows_postgresql(first_id)
        if connection.vendor == "postgresql"
        else (
            events.values("id", "hash", *HASHED_FIELDS).iterator(chunk_size=CHUNK_SIZE),
            event_hash,
        )
    )
    if progress is not None:
        rows = _reporting(rows, progress)
    watch = _Watch(checkpoint, anchor, counting=first_id is None)
    result = verify_events(
        rows, start_is_valid=start_is_valid, observe=watch.observe, hasher=hasher
    )
    if result.ok and (reason := watch.finish()):
        return Verification(result.verified, checkpoint.event_id if checkpoint else 0, reason)
    return result


# The walk on PostgreSQL: one `COPY (SELECT ...) TO STDOUT`, which the server streams
# while Python hashes (two processes on two cores), parsed by psycopg; ts rendered as
# canonical_ts() text by the database (the export's expression) instead of a datetime
# built and formatted again per event.
_COLUMNS = ("id", "hash", *HASHED_FIELDS)
_TYPES = {"id": "int8", "actor_id": "int8"}


def _rows_postgresql(
    first_id: int | None,
) -> tuple[Iterator[dict[str, Any]], Callable[[Mapping[str, Any]], str]]:
    quote = connection.ops.quote_name
    special = {
        "ts": PG_CANONICAL_TS % {"expressions": quote("ts")},
        # inet::text adds the netmask ("/32"); host() is the address as Django reads it.
        "source_ip": f"host({quote('source_ip')})",
    }
    cells = ", ".join(
        special.get(name) or (quote(name) if name in _TYPES else f"{quote(name)}::text")
        for name in _COLUMNS
    )
    where = "WHERE id >= %s " if first_id is not None else ""
    sql = (
        f"COPY (SELECT {cells} FROM {quote(AuditEvent._meta.db_table)} "  # noqa: S608
        f"{where}ORDER BY id) TO STDOUT"
    )
    return _copy_rows(sql, [first_id] if first_id is not None else []), event_hash_of_text_ts


def _copy_rows(sql: str, params: list[Any]) -> Iterator[dict[str, Any]]:
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 under Django's wrapper
        with raw.copy(sql, params or None) as copy:
            copy.set_types([_TYPES.get(name, "text") for name in _COLUMNS])
            for row in copy.rows():
                event = dict(zip(_COLUMNS, row, strict=True))
                event["detail"] = json.loads(event["detail"])
                yield event


def _reporting(rows: Iterator[dict[str, Any]], progress: Progress) -> Iterator[dict[str, Any]]:
    """Pass rows through, calling `progress` every few seconds (the clock is read rarely)."""
    next_report = time.monotonic() + PROGRESS_EVERY_SECONDS
    for count, row in enumerate(rows, start=1):
        yield row
        if count % _CLOCK_EVERY == 0 and time.monotonic() >= next_report:
            progress(count, row["id"])
            next_report = time.monotonic() + PROGRESS_EVERY_SECONDS
