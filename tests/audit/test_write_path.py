"""The one audit write, append(): events given together are chained in the order given,
what it returns is what it stored, the stored hash is what audit.chain computes, and on
PostgreSQL it costs two round trips whatever the number of events (test_round_trips in
tests/minimisation counts a whole finalise)."""

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from audit.chain import GENESIS_HASH, event_hash
from audit.context import AuditContext
from audit.events import Event, append, record
from audit.models import Action, AuditEvent, Outcome
from tests.audit.conftest import NOBODY, RESIDENT_REF, verify

DETAIL = {
    "zoekterm_lengte": 3,
    "velden": ["résumé", "naïef", "€"],
    "geneste": {"b": [1, None, True], "a": {"ü": "ß"}, "aa": ""},
    "quote": 'a "quoted" \\ value',
}


def _columns(event: AuditEvent) -> dict:
    return {f.attname: getattr(event, f.attname) for f in AuditEvent._meta.concrete_fields}


def _contents(event: AuditEvent) -> dict:
    """The columns that do not depend on when and after what the event was written."""
    skip = {"id", "ts", "prev_hash", "hash"}
    return {name: value for name, value in _columns(event).items() if name not in skip}


def _stored() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("id"))


@pytest.fixture
def varied_events(demo_users) -> list[Event]:
    """Events as different as record() lets them be: a user through a request (an
    IPv4-mapped address, a request id), a command on someone's behalf, quotes and
    non-ASCII everywhere, an object, a denied outcome."""
    request = RequestFactory(REMOTE_ADDR="::ffff:192.0.2.7").get("/")
    request.user = demo_users["consulent"]
    request.request_id = "req-42"
    by_request = AuditContext.for_request(request)
    on_behalf = AuditContext.system("command:purge").on_behalf("één \"aanhalings\" \\ 'dat'")
    return [
        Event(action=Action.FINALISE, context=by_request, resident_ref=RESIDENT_REF, purpose="wmo"),
        Event(
            action=Action.READ,
            context=by_request,
            **Event.subject(demo_users["consulent"]),
            outcome=Outcome.DENIED,
            detail=DETAIL,
        ),
        Event(action=Action.PURGE, context=on_behalf, object_type="x", object_id="9"),
        Event(action=Action.DISCARD, context=NOBODY, detail={"n": 2}),
    ]


def test_the_returned_event_is_the_stored_row_and_its_hash_recomputes(demo_users) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="::ffff:10.1.2.3")
    request.user = demo_users["consulent"]
    request.request_id = "req-1"
    context = AuditContext.for_request(request)
    first = record(Action.READ, context, obj=demo_users["consulent"], detail=DETAIL)
    second = record(
        Action.UPDATE,
        AuditContext.system("command:test").on_behalf("teamleider"),
        resident_ref=RESIDENT_REF,
        purpose="wmo",
        detail={"n": 1},
    )
    for event in (first, second):
        stored = AuditEvent.objects.get(pk=event.pk)
        assert _columns(event) == _columns(stored)
        assert not event._state.adding
        assert event_hash(stored.__dict__) == stored.hash
    assert (first.actor, first.actor_role, first.request_id) == ("consulent", "consulent", "req-1")
    assert first.source_ip == "10.1.2.3"
    assert first.detail == DETAIL
    assert (second.actor, second.on_behalf_of) == ("command:test", "teamleider")
    assert second.prev_hash == first.hash
    assert verify()[0] == 0


def test_events_appended_together_are_chained_in_order_and_are_what_was_stored(
    varied_events,
) -> None:
    first = record(Action.READ, NOBODY)
    together = append(varied_events)
    after = record(Action.READ, NOBODY)
    stored = _stored()
    assert [e.pk for e in stored] == [e.pk for e in (first, *together, after)]
    for event, row in zip((first, *together, after), stored, strict=True):
        assert _columns(event) == _columns(row)
        assert not event._state.adding
        assert event_hash(row.__dict__) == row.hash
    assert stored[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in stored[1:]] == [e.hash for e in stored[:-1]]
    assert [e.action for e in together] == [e.action for e in varied_events]
    assert verify()[0] == 0


def test_append_stores_the_same_rows_as_record_called_once_per_event(varied_events) -> None:
    with transaction.atomic():
        for event in varied_events:
            record(
                event.action,
                event.context,
                object_type=event.object_type,
                object_id=event.object_id,
                resident_ref=event.resident_ref,
                purpose=event.purpose,
                outcome=event.outcome,
                detail=event.detail,
            )
        one_by_one = [_contents(e) for e in _stored()]
        transaction.set_rollback(True)
    append(varied_events)
    assert [_contents(e) for e in _stored()] == one_by_one
    assert one_by_one[0]["source_ip"] == "192.0.2.7"
    assert verify()[0] == 0


def test_more_events_than_one_insert_can_carry_on_sqlite_stay_in_order(db: None) -> None:
    # SQLite takes at most 999 parameters a statement: bulk_create splits 70 events of
    # 16 columns into two INSERTs, and the chain must not notice.
    events = append(
        [Event(action=Action.PURGE, context=NOBODY, detail={"n": n}) for n in range(70)]
    )
    stored = _stored()
    assert [e.detail["n"] for e in stored] == list(range(70))
    assert [e.pk for e in events] == [e.pk for e in stored]
    assert verify()[:2] == (0, f"OK: 70 events verified. head hash: {stored[-1].hash}\n")


def test_appending_nothing_writes_nothing(db: None) -> None:
    assert append([]) == []
    assert not AuditEvent.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_append_in_a_transaction_is_the_lock_with_the_head_then_one_insert() -> None:
    record(Action.READ, NOBODY)
    events = [Event(action=a, context=NOBODY, detail=DETAIL) for a in (Action.READ, Action.DISCARD)]
    for batch in (events[:1], events):
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            append(batch)
        statements = [q["sql"] for q in captured]
        # The lock and, as a statement of its own after it, the head read, sent together
        # (a READ COMMITTED statement sees what was committed when it started); then one
        # INSERT for all the events. A third round trip (a savepoint, an INSERT per event)
        # is one added back.
        assert len(statements) == 2, statements
        lock, head = statements[0].split("; ")
        assert lock.startswith("SELECT pg_advisory_xact_lock(")
        assert head.startswith("SELECT id, hash FROM audit_chainhead")
        assert statements[-1].startswith('INSERT INTO "audit_auditevent"')
        assert sum("INSERT" in s for s in statements) == 1
    assert AuditEvent.objects.count() == 4
    assert verify()[0] == 0


def test_a_tampered_head_does_not_stop_the_log_and_verification_names_it(db: None) -> None:
    """A head whose hash is not a hash at all (only a tampered row could hold one). The old
    SQL-side link could not escape it and refused every later write; hashed in Python it
    is just a string. The log goes on (refusing would turn one forged row into an outage
    of every audited page), the new events link to the row as it is, and verify_audit
    reports the forged row as the first bad event."""
    first = record(Action.READ, NOBODY)
    forged = AuditEvent(ts=first.ts, action=Action.READ, prev_hash=first.hash, hash='"\\' * 32)
    forged.save()
    later = append(
        [Event(action=Action.READ, context=NOBODY), Event(action=Action.UPDATE, context=NOBODY)]
    )
    assert [e.prev_hash for e in later] == [forged.hash, later[0].hash]
    assert all(
        event_hash(e.__dict__) == e.hash
        for e in AuditEvent.objects.filter(pk__in=[e.pk for e in later])
    )
    code, _, err = verify()
    assert code == 1
    assert f"first bad event id {forged.pk} (the stored hash does not match the contents)" in err
