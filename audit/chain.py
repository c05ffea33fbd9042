"""The hash chain: canonical serialisation of an event, its SHA-256, and verification.

Each event stores `prev_hash` (the hash of the event before it in id order) and
`hash`, the SHA-256 of a canonical JSON serialisation of HASHED_FIELDS (which
include prev_hash). Changing any hashed field of a stored row changes its hash;
changing the stored hash too breaks the next event's prev_hash. The first event
links to GENESIS_HASH, or, after a prune, to the hash recorded as
`continues_from` in the PRUNE event (see audit/prune.py).
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64

# The fields that are hashed, in a fixed order. Changing this list breaks
# verification of existing chains: add new fields at the end, never reorder.
HASHED_FIELDS = (
    "ts",
    "actor_id",
    "actor",
    "actor_role",
    "on_behalf_of",
    "action",
    "object_type",
    "object_id",
    "resident_ref",
    "purpose",
    "outcome",
    "source_ip",
    "request_id",
    "detail",
    "prev_hash",
    # Added later (NEN 7513 / Logboek Dataverwerkingen): hashed only when not empty, so
    # an event written before they existed hashes to what it always did.
    "event_type",
    "event_action_code",
    "data_life_cycle",
    "sensitivity",
    "processing_activity",
    "source_system",
)
OPTIONAL_HASHED_FIELDS = frozenset(HASHED_FIELDS[HASHED_FIELDS.index("event_type") :])


def canonical_ts(value: dt.datetime) -> str:
    """UTC, microseconds, explicit offset: identical whichever backend returned it."""
    if value.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


# canonical_ts() in SQL: UTC, six digits of microseconds, "+00:00" (what Python's
# isoformat() writes for UTC); a Func template (audit/export.py) and verify's COPY.
PG_CANONICAL_TS = (
    "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
)

# json.dumps with these arguments builds a new encoder on every call; one kept encoder
# writes the same bytes.
_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def _payload(fields: Mapping[str, object]) -> dict[str, object]:
    return {
        name: value
        for name in HASHED_FIELDS
        if (value := fields.get(name)) or name not in OPTIONAL_HASHED_FIELDS
    }


def canonical(fields: Mapping[str, object]) -> bytes:
    """A byte string that is the same for equal events on every database."""
    payload = _payload(fields)
    ts = payload["ts"]
    if not isinstance(ts, dt.datetime):
        raise TypeError("an audit event's ts must be a datetime")
    payload["ts"] = canonical_ts(ts)
    return _ENCODE(payload).encode()


def event_hash(fields: Mapping[str, object]) -> str:
    return hashlib.sha256(canonical(fields)).hexdigest()


def event_hash_of_text_ts(fields: Mapping[str, object]) -> str:
    """event_hash() of an event whose `ts` is already canonical_ts() text (verify_audit
    reads it so, rendered by PostgreSQL, without building a datetime per event)."""
    if not isinstance(fields.get("ts"), str):
        raise TypeError("ts must be canonical text here")
    return hashlib.sha256(_ENCODE(_payload(fields)).encode()).hexdigest()


@dataclass(frozen=True)
class Verification:
    """What a walk over the chain found."""

    verified: int
    first_bad_id: int | None = None
    reason: str = ""
    head_hash: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def verify_events(
    events: Iterable[Mapping[str, Any]],
    *,
    start_is_valid: Callable[[str], bool],
    observe: Callable[[Mapping[str, Any]], str] | None = None,
    hasher: Callable[[Mapping[str, Any]], str] = event_hash,
) -> Verification:
    """Walk `events` (dicts with id, HASHED_FIELDS and hash, in id order).

    `start_is_valid(prev_hash)` decides whether the first event's link is
    acceptable (genesis, a prune anchor, or trusted with --since). `observe(event)` sees
    each event after its own checks and may name a reason to stop there (a checkpoint
    that does not match). Stops at the first bad event: everything after it is
    unverifiable anyway.
    """
    expected_prev: str | None = None
    count = 0
    head = ""
    for event in events:
        if expected_prev is None:
            if not start_is_valid(event["prev_hash"]):
                return Verification(count, event["id"], "the first event links to no known anchor")
        elif event["prev_hash"] != expected_prev:
            return Verification(count, event["id"], "prev_hash does not match the previous event")
        if hasher(event) != event["hash"]:
            return Verification(count, event["id"], "the stored hash does not match the contents")
        if observe is not None and (reason := observe(event)):
            return Verification(count, event["id"], reason)
        expected_prev = head = event["hash"]
        count += 1
    return Verification(count, head_hash=head)
