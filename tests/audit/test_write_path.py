"""record()'s write path: what it returns is what it stored, the stored hash is what
audit.chain computes, and on PostgreSQL it costs two statements (test_round_trips
in tests/minimisation counts a whole finalise)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from audit.chain import event_hash
from audit.events import record, record_together
from audit.models import Action, AuditEvent
from tests.audit.conftest import RESIDENT_REF, verify

DETAIL = {
    "zoekterm_lengte": 3,
    "velden": ["résumé", "naïef", "€"],
    "geneste": {"b": [1, None, True], "a": {"ü": "ß"}, "aa": ""},
    "quote": 'a "quoted" \\ value',
}


def _columns(event: AuditEvent) -> dict:
    return {f.attname: getattr(event, f.attname) for f in AuditEvent._meta.concrete_fields}


def test_the_returned_event_is_the_stored_row_and_its_hash_recomputes(demo_users) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="::ffff:10.1.2.3")
    request.user = demo_users["consulent"]
    request.request_id = "req-1"
    first = record(Action.READ, request=request, obj=demo_users["consulent"], detail=DETAIL)
    second = record(
        Action.UPDATE,
        actor="command:test",
        resident_ref=RESIDENT_REF,
        purpose="wmo",
        detail={"n": 1},
        on_behalf_of="teamleider",
    )
    for event in (first, second):
        stored = AuditEvent.objects.get(pk=event.pk)
        assert _columns(event) == _columns(stored)
        assert not event._state.adding
        assert event_hash(stored.__dict__) == stored.hash
    assert first.source_ip == "10.1.2.3"
    assert first.detail == DETAIL
    assert second.prev_hash == first.hash
    assert verify()[0] == 0


def test_events_recorded_together_are_chained_as_one_by_one_and_are_what_was_stored(
    db: None,
) -> None:
    first = record(Action.READ)
    together = record_together(
        [
            {"action": Action.FINALISE, "resident_ref": RESIDENT_REF, "detail": DETAIL},
            {"action": Action.DISCARD, "resident_ref": RESIDENT_REF, "detail": {"n": 2}},
            {"action": Action.READ, "actor": "command:test", "object_id": 7},
        ]
    )
    after = record(Action.READ)
    stored = list(AuditEvent.objects.order_by("id"))
    assert [e.pk for e in stored] == [e.pk for e in (first, *together, after)]
    for event, row in zip((first, *together, after), stored, strict=True):
        assert _columns(event) == _columns(row)
        assert event_hash(row.__dict__) == row.hash
    assert [e.prev_hash for e in stored[1:]] == [e.hash for e in stored[:-1]]
    assert [e.action for e in together] == [Action.FINALISE, Action.DISCARD, Action.READ]
    assert record_together([]) == []
    assert verify()[0] == 0


@pytest.mark.postgres
@pytest.mark.django_db
def test_record_inside_a_transaction_is_the_lock_then_one_insert() -> None:
    record(Action.READ)
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        record(Action.READ, detail=DETAIL)
    statements = [q["sql"] for q in captured]
    # Two round trips, the lock in a statement of its own before the one that reads the
    # head (a READ COMMITTED statement sees what was committed when it started). A third
    # statement here (a savepoint, a separate head read) is a round trip added back.
    assert len(statements) == 2, statements
    assert statements[0].startswith("SELECT pg_advisory_xact_lock(")
    assert "INSERT INTO audit_auditevent" in statements[1]
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        record_together([{"action": Action.READ}, {"action": Action.DISCARD}])
    assert len(captured) == 2, [q["sql"] for q in captured]
    assert verify()[0] == 0


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_head_whose_hash_is_not_hex_is_refused_rather_than_linked_wrongly() -> None:
    # Only a tampered row could hold such a hash; its JSON form would need escaping,
    # which the SQL splice does not do, so the next event must not be written.
    AuditEvent(
        ts=record(Action.READ).ts, action=Action.READ, prev_hash="0" * 64, hash='"' * 64
    ).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        record(Action.READ)
    with pytest.raises(IntegrityError), transaction.atomic():
        record_together([{"action": Action.READ}, {"action": Action.READ}])
    assert AuditEvent.objects.count() == 2
