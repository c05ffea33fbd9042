"""Walking the chain from its start to its head, alone or against a signed checkpoint.

Memory stays bounded whatever the size: events come from a server-side cursor in chunks
(on PostgreSQL; SQLite's cursor fetches as it goes), and nothing is kept of an event once
the next one is checked. A checkpoint adds two checks to the walk: the event it names
has the hash and tree size it signed, and the walk goes on validly to the head. When
that event was pruned, the PRUNE event that anchors the chain's start lists it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from audit.chain import GENESIS_HASH, HASHED_FIELDS, Verification, verify_events
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
        anchor = anchor_detail(first["prev_hash"]) or {}
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

        def start_is_valid(prev_hash: str) -> bool:
            return True
    else:

        def start_is_valid(prev_hash: str) -> bool:
            return prev_hash == GENESIS_HASH or anchor_detail(prev_hash) is not None

    rows: Iterator[dict[str, Any]] = events.values("id", "hash", *HASHED_FIELDS).iterator(
        chunk_size=CHUNK_SIZE
    )
    if progress is not None:
        rows = _reporting(rows, progress)
    watch = _Watch(checkpoint, counting=first_id is None)
    result = verify_events(rows, start_is_valid=start_is_valid, observe=watch.observe)
    if result.ok and (reason := watch.finish()):
        return Verification(result.verified, checkpoint.event_id if checkpoint else 0, reason)
    return result


def _reporting(rows: Iterator[dict[str, Any]], progress: Progress) -> Iterator[dict[str, Any]]:
    """Pass rows through, calling `progress` every few seconds (the clock is read rarely)."""
    next_report = time.monotonic() + PROGRESS_EVERY_SECONDS
    for count, row in enumerate(rows, start=1):
        yield row
        if count % _CLOCK_EVERY == 0 and time.monotonic() >= next_report:
            progress(count, row["id"])
            next_report = time.monotonic() + PROGRESS_EVERY_SECONDS
