"""Writing audit events: the one entry point every other module calls."""

import datetime as dt
import ipaddress
import json
import secrets
import uuid
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest

from audit.chain import GENESIS_HASH, canonical, canonical_ts, event_hash
from audit.models import Action, AuditEvent, Outcome

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


def record(
    action: Action | str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    obj: Any = None,
    resident_ref: str = "",
    purpose: str = "",
    outcome: Outcome | str = Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
    on_behalf_of: str = "",
    object_type: str = "",
    object_id: str | int = "",
) -> AuditEvent:
    """Append one event to the chain.

    `actor`: a user (default: request.user), or a plain string naming a system
    actor such as "command:prune_audit" (no user id, no role).
    `detail` must hold names, ids and counts only, never a field value.
    `obj` gives object type and id (or pass `object_type`/`object_id` for an object
    that no longer exists); `resident_ref` the pseudonymous reference.
    """
    fields = _event_fields(
        action,
        request=request,
        actor=actor,
        obj=obj,
        resident_ref=resident_ref,
        purpose=purpose,
        outcome=outcome,
        detail=detail,
        on_behalf_of=on_behalf_of,
        object_type=object_type,
        object_id=object_id,
    )
    # savepoint=False: inside a caller's transaction a savepoint would cost two round trips
    # (SAVEPOINT, RELEASE) per event and buy nothing: nothing here catches a database error
    # to carry on, so a failed INSERT dooms the caller's transaction either way.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            return _append_postgresql([fields])[0]
        prev = _lock_chain_head()
        fields["prev_hash"] = prev
        # Microsecond precision survives every backend, so the hash is re-computable.
        fields["ts"] = _now()
        fields["hash"] = event_hash(fields)
        return AuditEvent.objects.create(**fields)


def record_together(events: list[dict[str, Any]]) -> list[AuditEvent]:
    """Append a few events that belong to one action (finalise: FINALISE and DISCARD),
    each dict holding record()'s keyword arguments with `action`. The same events and
    chain as record() once per event; on PostgreSQL one lock and one INSERT for all of
    them. (record_many() has the same contract and the three statements of the retention
    sweep's batches; it could move onto this write too.)"""
    if not events:
        return []
    rows = [_event_fields(**event) for event in events]
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            return _append_postgresql(rows)
        stored = []
        for fields in rows:
            fields["prev_hash"] = _lock_chain_head()
            fields["ts"] = _now()
            fields["hash"] = event_hash(fields)
            stored.append(AuditEvent.objects.create(**fields))
        return stored


# Stands for prev_hash while the canonical bytes are built, so they can be cut in two
# around it; random per process, so no detail can contain it by design.
_PREV_MARK = secrets.token_hex(32)
_PREV_MARK_JSON = json.dumps(_PREV_MARK).encode()
_COLUMNS = (
    "ts, actor_id, actor, actor_role, on_behalf_of, action, object_type, object_id, "
    "resident_ref, purpose, outcome, source_ip, request_id, detail, prev_hash, hash"
)
_VALUES = (
    "(%(ts{n})s, %(actor_id{n})s, %(actor{n})s, %(actor_role{n})s, %(on_behalf_of{n})s, "
    "%(action{n})s, %(object_type{n})s, %(object_id{n})s, %(resident_ref{n})s, "
    "%(purpose{n})s, %(outcome{n})s, %(source_ip{n})s::inet, %(request_id{n})s, "
    "%(detail{n})s::jsonb, (SELECT prev FROM link{n}), (SELECT hash FROM link{n}))"
)
# link{n}: event n's prev_hash (the head, or event n-1's hash) and its own hash: SHA-256
# over the canonical bytes audit.chain.event_hash() hashes, which are Python's canonical
# form with the previous hash, as its JSON string, put in where _PREV_MARK was. A previous
# hash that is not 64 lowercase hex digits (only a tampered head could be) would need JSON
# escaping: the hash is then NULL and the NOT NULL column refuses the events instead of
# writing a wrong link.
_LINK = (
    "link{n} AS (SELECT prev, CASE WHEN prev ~ '^[0-9a-f]{{64}}$' THEN encode(sha256("
    "%(before{n})s || convert_to('\"' || prev || '\"', 'UTF8') || %(after{n})s), 'hex') END "
    "AS hash FROM (SELECT hash AS prev FROM link{p}) AS previous)"
)


def _insert_sql(count: int) -> str:
    """One statement that reads the chain head and appends `count` events linked to it
    and to each other. Its snapshot is taken when it starts, after the advisory lock was
    granted by the statement before it, so it sees every event committed by the previous
    holder of the lock."""
    head = (
        "link0 AS (SELECT COALESCE((SELECT hash FROM audit_auditevent "
        "ORDER BY id DESC LIMIT 1), %(genesis)s) AS hash)"
    )
    links = ", ".join([head, *(_LINK.format(n=n, p=n - 1) for n in range(1, count + 1))])
    values = ", ".join(_VALUES.format(n=n) for n in range(1, count + 1))
    # VALUES rows are inserted, and their ids drawn, in the order written: the chain's order.
    return (
        f"WITH {links} INSERT INTO audit_auditevent ({_COLUMNS}) VALUES {values} "  # noqa: S608
        "RETURNING id, prev_hash, hash"
    )


def _append_postgresql(rows: list[dict[str, Any]]) -> list[AuditEvent]:
    """The write on PostgreSQL: two round trips whatever the number of events (the lock,
    then one INSERT that reads the head and links to it) instead of five per event inside
    a caller's transaction (SAVEPOINT, lock, head read, INSERT, RELEASE). The same rows
    and hashes as the SQLite path's."""
    params: dict[str, Any] = {"genesis": GENESIS_HASH}
    with connection.cursor() as cursor:
        # Its own statement, before the head is read: see _insert_sql().
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
        for n, fields in enumerate(rows, start=1):
            # Microsecond precision survives every backend, so the hash is re-computable.
            fields["ts"] = _now()
            fields["prev_hash"] = _PREV_MARK
            before, after = canonical(fields).split(_PREV_MARK_JSON)
            params.update({f"{name}{n}": value for name, value in fields.items()})
            params.update(
                {
                    f"detail{n}": json.dumps(fields["detail"]),
                    f"before{n}": before,
                    f"after{n}": after,
                }
            )
        cursor.execute(_insert_sql(len(rows)), params)
        stored = cursor.fetchall()
    events = []
    prev = stored[0][1]
    for fields, (pk, prev_hash, digest) in zip(rows, stored, strict=True):
        fields["prev_hash"], fields["hash"] = prev_hash, digest
        # What verify_audit will compute: a disagreement rolls the events back.
        if prev_hash != prev or digest != event_hash(fields):
            raise RuntimeError("the database's chain link differs from audit.chain.event_hash()")
        prev = digest
        event = AuditEvent(pk=pk, **fields)
        event._state.adding = False  # noqa: SLF001 - stored, as after objects.create()
        event._state.db = connection.alias  # noqa: SLF001
        events.append(event)
    return events


def record_many(events: list[dict[str, Any]]) -> list[AuditEvent]:
    """Append several events at once: each dict holds record()'s keyword arguments
    (with `action`). One chain-head lock, one read of the head and one multi-row
    INSERT, instead of three statements per event: what a batch job (the retention
    sweep) uses. The chain is the same as from record() called once per event."""
    if not events:
        return []
    rows = [_event_fields(**event) for event in events]
    with transaction.atomic():
        prev = _lock_chain_head()
        for fields in rows:
            fields["prev_hash"] = prev
            fields["ts"] = _now()
            fields["hash"] = prev = event_hash(fields)
        if connection.vendor == "postgresql":
            ids = _insert_as_json(rows)
            return [_returned_event(pk, fields) for pk, fields in zip(ids, rows, strict=True)]
        # The plain base manager: AuditEventQuerySet refuses bulk_create because it
        # would skip the lock above, which is held here.
        return AuditEvent._base_manager.bulk_create([AuditEvent(**fields) for fields in rows])


def _insert_as_json(rows: list[dict[str, Any]]) -> list[int]:
    """PostgreSQL: INSERT the rows from one JSON array (jsonb_to_recordset), in list order.

    Django's bulk_create sends one array per column, which psycopg quotes value by value
    in Python (client-side binding): most of a sweep batch's audit time. One JSON
    document is encoded in C and parsed by the server. The stored values are the ones
    hashed: timestamps as ISO text with microseconds, the detail as the same JSON.
    Ids are taken in the order the rows were written, so id order stays chain order.
    """
    columns = _json_columns()
    payload = json.dumps(
        [{**fields, "ts": canonical_ts(fields["ts"])} for fields in rows], ensure_ascii=False
    )
    with connection.cursor() as cursor:
        cursor.execute(_json_insert_sql(columns), [payload])
        return sorted(row[0] for row in cursor.fetchall())


def _json_columns() -> list[tuple[str, str]]:
    """(column, type in the JSON record) for every stored field but the id."""
    return [
        (
            field.column,
            "text" if field.get_internal_type() == "CharField" else str(field.db_type(connection)),
        )
        for field in AuditEvent._meta.concrete_fields
        if not field.primary_key
    ]


def _json_insert_sql(columns: list[tuple[str, str]]) -> str:
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column, _type in columns)
    record = ", ".join(f"{quote(column)} {sql_type}" for column, sql_type in columns)
    aliases = ", ".join(quote(column) for column, _type in columns)
    # Names and types come from the model; the rows are the one parameter.
    return (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({names}) "  # noqa: S608
        f"SELECT {names} FROM ROWS FROM (jsonb_to_recordset(%s::jsonb) AS ({record})) "
        f"WITH ORDINALITY AS r({aliases}, n) ORDER BY n "
        f"RETURNING {quote(AuditEvent._meta.pk.column)}"
    )


def _returned_event(pk: int, fields: dict[str, Any]) -> AuditEvent:
    """The AuditEvent for a row just inserted, as bulk_create would hand it back."""
    event = AuditEvent(pk=pk, **fields)
    event._state.adding = False
    event._state.db = connection.alias
    return event


def _lock_chain_head() -> str:
    """Take the chain lock (until the outer transaction ends); return the head's hash."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
    # SQLite: the connection opens transactions IMMEDIATE, so the write lock
    # is already held and no other writer can read the same head.
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    return last or GENESIS_HASH


def _event_fields(
    action: Action | str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    obj: Any = None,
    resident_ref: str = "",
    purpose: str = "",
    outcome: Outcome | str = Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
    on_behalf_of: str = "",
    object_type: str = "",
    object_id: str | int = "",
) -> dict[str, Any]:
    action = Action(str(action))  # ValueError on an unknown action: a programming error
    outcome = Outcome(str(outcome))
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    return {
        **_actor_fields(actor),
        "on_behalf_of": str(on_behalf_of or "")[:150],
        "action": action.value,
        "object_type": (obj._meta.model_name if obj is not None else str(object_type))[:40],
        "object_id": (
            str(obj.pk) if obj is not None and obj.pk is not None else str(object_id or "")
        )[:64],
        "resident_ref": _resident_ref(resident_ref),
        "purpose": str(purpose or "")[:40],
        "outcome": outcome.value,
        "source_ip": _source_ip(request),
        "request_id": str(getattr(request, "request_id", "") or "")[:64],
        "detail": _clean_detail(detail),
    }


def _now() -> dt.datetime:
    """The event's timestamp (a function, so tests can write events in the past)."""
    return dt.datetime.now(dt.UTC)


def _actor_fields(actor: Any) -> dict[str, Any]:
    from intake.roles import role_of  # avoid an import cycle at app loading

    if isinstance(actor, str):
        return {"actor_id": None, "actor": actor[:150], "actor_role": ""}
    if actor is not None and getattr(actor, "is_authenticated", False):
        return {
            "actor_id": actor.pk,
            "actor": actor.get_username()[:150],
            "actor_role": role_of(actor)[:40],
        }
    return {"actor_id": None, "actor": "", "actor_role": ""}


def _resident_ref(value: object) -> str:
    """Only a UUID may name a resident; anything else is a programming error."""
    if not value:
        return ""
    return str(uuid.UUID(str(value)))


def _clean_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    detail = detail or {}
    if not isinstance(detail, dict):
        raise TypeError("audit detail must be a dict")
    _check_detail_value(detail)
    encoded = json.dumps(detail, sort_keys=True, ensure_ascii=False)
    if len(encoded.encode()) > MAX_DETAIL_BYTES:
        raise ValueError(f"audit detail is larger than {MAX_DETAIL_BYTES} bytes")
    # Round-trip so the hashed value is exactly what the database gives back
    # (tuples become lists, and so on).
    return json.loads(encoded)


def _check_detail_value(value: object) -> None:
    if isinstance(value, dict):
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


def _source_ip(request: HttpRequest | None) -> str | None:
    """REMOTE_ADDR, normalised as the database stores it; None if absent or not an address.

    Behind a proxy this is the proxy's address unless the deployment rewrites
    REMOTE_ADDR from a header it trusts (not done here: a header anyone can set
    must not decide what the audit log says).
    """
    if request is None:
        return None
    raw = request.META.get("REMOTE_ADDR") or ""
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)
