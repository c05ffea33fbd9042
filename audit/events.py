"""Writing audit events: one typed event, one write.

Every other module describes what happened as an `Event` (a frozen value with named
fields) and hands it to `append()`; `record()` is the one-line convenience for a single
event. `append()` takes the chain lock, reads the head, hashes each event in Python
(audit.chain, the one place that hashes) and stores all of them with one multi-row
INSERT, inside the caller's transaction: a change that is rolled back takes its event
with it.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction

from audit.chain import GENESIS_HASH, HASHED_FIELDS, canonical_ts, event_hash
from audit.context import AuditContext
from audit.models import Action, AuditEvent, Outcome
from audit.nen7513 import classify

# Arbitrary but fixed key for the PostgreSQL advisory lock that serialises the
# chain head across every worker and host sharing the database. Transaction-scoped:
# inside an outer atomic() block it is held until that block commits, so events
# are chained in commit order.
CHAIN_LOCK_KEY = 7_513_000_001

# A detail is a small structure of names, ids and counts. Floats are refused:
# PostgreSQL's jsonb may give them back in another notation, which would break
# re-computing the hash; and a measured value does not belong in the audit log.
_DETAIL_SCALARS = (str, int, bool, type(None))
MAX_DETAIL_BYTES = 8_000
# A PRUNE event lists the checkpoints it removes (audit/prune.py): years of hourly ones.
MAX_PRUNE_DETAIL_BYTES = 16_000_000


@dataclass(frozen=True, kw_only=True)
class Event:
    """One thing that happened. `detail` holds names, ids and counts only, never a value
    of a personal-data field; `resident_ref` is the resident's pseudonymous UUID."""

    action: Action
    context: AuditContext
    object_type: str = ""
    object_id: str = ""
    resident_ref: str = ""
    purpose: str = ""
    outcome: Outcome = Outcome.SUCCESS
    detail: Mapping[str, Any] = field(default_factory=dict)

    @staticmethod
    def subject(obj: models.Model) -> dict[str, str]:
        """object_type and object_id of a stored model instance."""
        return {"object_type": obj._meta.model_name or "", "object_id": str(obj.pk)}


def record(
    action: Action,
    context: AuditContext,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    resident_ref: str = "",
    purpose: str = "",
    outcome: Outcome = Outcome.SUCCESS,
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event: `obj` names the object (or `object_type`/`object_id` for one that
    no longer exists)."""
    subject = Event.subject(obj) if obj is not None else {}
    event = Event(
        action=action,
        context=context,
        object_type=subject.get("object_type", object_type),
        object_id=subject.get("object_id", str(object_id)),
        resident_ref=resident_ref,
        purpose=purpose,
        outcome=outcome,
        detail=detail or {},
    )
    return append([event])[0]


def append(events: Sequence[Event]) -> list[AuditEvent]:
    """Chain and store `events` in this order, in the caller's transaction."""
    if not events:
        return []
    rows = [_row(event) for event in events]
    # savepoint=False: nothing here catches a database error to carry on, so a savepoint
    # would cost two round trips (SAVEPOINT, RELEASE) and buy nothing.
    with transaction.atomic(savepoint=False):
        prev = _lock_chain_head()
        now = _now()
        for row in rows:
            row.prev_hash = prev
            # Microsecond precision survives every backend, so the hash is re-computable.
            row.ts = now
            row.hash = prev = event_hash(_hashed(row))
        if connection.vendor == "postgresql":
            return _insert_postgresql(rows)
        # The base manager: AuditEventQuerySet refuses bulk_create, which would skip the
        # lock held here. One INSERT, ids drawn in list order, so id order is chain order.
        return AuditEvent._base_manager.bulk_create(rows)


def _insert_postgresql(rows: list[AuditEvent]) -> list[AuditEvent]:
    """One INSERT of every row from one JSON document (jsonb_to_recordset), in list order.

    Django's bulk_create sends each value as a parameter of its own, which psycopg quotes one
    by one in Python (client-side binding): a third of a sweep batch's time (make bench,
    sweep: 0.25x against 0.32x a raw DELETE with it). One JSON document is encoded in C and
    parsed by the server. The values stored are the values hashed: the timestamp as ISO text
    with microseconds, the detail as the same JSON. Ids are drawn in the order written.
    """
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    payload = json.dumps(
        [
            {
                f.column: canonical_ts(row.ts) if f.attname == "ts" else getattr(row, f.attname)
                for f in fields
            }
            for row in rows
        ],
        ensure_ascii=False,
    )
    with connection.cursor() as cursor:
        cursor.execute(_json_insert_sql(fields), [payload])
        ids = sorted(pk for (pk,) in cursor.fetchall())
    for row, pk in zip(rows, ids, strict=True):
        row.pk = pk
        row._state.adding = False
        row._state.db = connection.alias
    return rows


def _json_insert_sql(fields: list[Any]) -> str:
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    # A JSON record's text columns are `text`; the others as the table declares them.
    types = ", ".join(
        f"{quote(f.column)} "
        + ("text" if f.get_internal_type() == "CharField" else str(f.db_type(connection)))
        for f in fields
    )
    # Names and types come from the model; the rows are the one parameter.
    return (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({names}) "  # noqa: S608
        f"SELECT {names} FROM ROWS FROM (jsonb_to_recordset(%s::jsonb) AS ({types})) "
        f"WITH ORDINALITY AS r({names}, n) ORDER BY n "
        f"RETURNING {quote('id')}"
    )


def lock_chain() -> int | None:
    """Take the chain lock for the rest of the outer transaction; the head event's id.
    (append() takes it again, which a transaction-scoped lock allows.)"""
    if connection.vendor == "postgresql":
        return _lock_and_read_head_postgresql()[0]
    head: int | None = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    return head


def _lock_chain_head() -> str:
    """Take the chain lock (until the outer transaction ends); return the head's hash."""
    if connection.vendor == "postgresql":
        return _lock_and_read_head_postgresql()[1]
    # SQLite: the connection opens transactions IMMEDIATE, so the write lock
    # is already held and no other writer can read the same head.
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    return last or GENESIS_HASH


# The head must be read by a statement of its own, after the lock was granted: under READ
# COMMITTED each statement takes its snapshot when it starts, so only a later statement sees
# what the lock's previous holder committed. Sent as one query string the two statements
# cost one round trip instead of two (make bench, audit write: one of the three round trips
# of a logged change). The head comes from the one-row table a trigger keeps (audit
# migration 0008): on the partitioned table `ORDER BY id DESC LIMIT 1` would be planned
# over every month's partition (1.3 ms at 64 partitions).
# No parameters (the key is our constant, written into the text): PostgreSQL's extended
# protocol, which server-side binding uses for every statement with parameters, refuses
# two statements in one string; without parameters psycopg sends it as a simple query.
_LOCK_THEN_HEAD = "SELECT pg_advisory_xact_lock({key}); SELECT id, hash FROM audit_chainhead"


def _lock_and_read_head_postgresql() -> tuple[int | None, str]:
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_THEN_HEAD.format(key=int(CHAIN_LOCK_KEY)))
        cursor.nextset()  # past the lock's result, to the head's
        row = cursor.fetchone()
    if not row or not row[0]:
        return None, GENESIS_HASH
    return int(row[0]), str(row[1])


def _row(event: Event) -> AuditEvent:
    context = event.context
    action = Action(event.action)  # ValueError on an unknown action: a bug
    resident_ref = _resident_ref(event.resident_ref)
    detail = _clean_detail(
        event.detail,
        MAX_PRUNE_DETAIL_BYTES if action == Action.PRUNE else MAX_DETAIL_BYTES,
    )
    purpose = str(event.purpose)[:40]
    return AuditEvent(
        actor_id=context.actor_id,
        actor=context.actor[:150],
        actor_role=context.actor_role[:40],
        on_behalf_of=context.on_behalf_of[:150],
        action=action.value,
        object_type=str(event.object_type)[:40],
        object_id=str(event.object_id)[:64],
        resident_ref=resident_ref,
        purpose=purpose,
        outcome=Outcome(event.outcome).value,
        source_ip=context.source_ip,
        request_id=context.request_id[:64],
        detail=detail,
        **classify(action, purpose=purpose, resident_ref=resident_ref, detail=detail),
    )


def _hashed(row: AuditEvent) -> dict[str, Any]:
    return {name: getattr(row, name) for name in HASHED_FIELDS}


def _now() -> dt.datetime:
    """The events' timestamp (a function, so tests can write events in the past)."""
    return dt.datetime.now(dt.UTC)


def _resident_ref(value: object) -> str:
    """Only a UUID may name a resident; anything else is a programming error."""
    if not value:
        return ""
    return str(uuid.UUID(str(value)))


def _clean_detail(detail: Mapping[str, Any], limit: int) -> dict[str, Any]:
    if not isinstance(detail, Mapping):
        raise TypeError("audit detail must be a mapping")
    _check_detail_value(detail)
    encoded = json.dumps(detail, sort_keys=True, ensure_ascii=False)
    if len(encoded.encode()) > limit:
        raise ValueError(f"audit detail is larger than {limit} bytes")
    # Round-trip so the hashed value is exactly what the database gives back
    # (tuples become lists, and so on).
    cleaned: dict[str, Any] = json.loads(encoded)
    return cleaned


def _check_detail_value(value: object) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError("audit detail keys must be strings")
            _check_detail_value(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_detail_value(item)
    elif not isinstance(value, _DETAIL_SCALARS):
        raise TypeError(
            f"audit detail values must be str, int, bool, None, lists or dicts, "
            f"not {type(value).__name__}"
        )
