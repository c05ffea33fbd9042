"""The hash chain: canonical serialisation of an event and its SHA-256."""

import hashlib
import json
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
)


def canonical(fields: dict[str, Any]) -> bytes:
    """A byte string that is the same for equal events on every database."""
    payload = {}
    for name in HASHED_FIELDS:
        value = fields.get(name)
        if name == "ts":
            value = value.isoformat(timespec="microseconds")
        payload[name] = value
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(fields)).hexdigest()
