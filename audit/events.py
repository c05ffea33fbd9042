"""Writing audit events: the one entry point every other module calls."""

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest

from audit.chain import GENESIS_HASH, event_hash
from audit.models import Action, AuditEvent, Outcome

# Arbitrary but fixed key for the PostgreSQL advisory lock that serialises the
# chain head across every worker and host sharing the database.
CHAIN_LOCK_KEY = 7_513_000_001


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
) -> AuditEvent:
    """Append one event to the chain.

    `detail` must hold names, ids and counts only, never a field value.
    `obj` gives object type and id; `resident_ref` the pseudonymous reference.
    """
    from intake.roles import role_of  # avoid an import cycle at app loading

    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    fields: dict[str, Any] = {
        "actor_id": actor.pk if authenticated else None,
        "actor": actor.get_username() if authenticated else "",
        "actor_role": role_of(actor) if authenticated else "",
        "on_behalf_of": on_behalf_of,
        "action": str(action),
        "object_type": obj._meta.model_name if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None and obj.pk is not None else "",
        "resident_ref": str(resident_ref or ""),
        "purpose": str(purpose or ""),
        "outcome": str(outcome),
        "source_ip": _source_ip(request),
        "request_id": getattr(request, "request_id", "") if request is not None else "",
        "detail": detail or {},
    }
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        fields["prev_hash"] = last or GENESIS_HASH
        # Microsecond precision survives every backend, so the hash is re-computable.
        fields["ts"] = dt.datetime.now(dt.UTC).replace(tzinfo=dt.UTC)
        fields["hash"] = event_hash(fields)
        return AuditEvent.objects.create(**fields)


def _source_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None
