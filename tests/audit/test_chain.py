import io

import pytest
from django.core.management import call_command
from django.db import connection

from audit.chain import GENESIS_HASH, event_hash
from audit.context import AuditContext
from audit.events import record
from audit.models import Action, AuditEvent
from tests.audit.conftest import NOBODY, RESIDENT_REF, verify


def test_events_are_chained_each_to_the_one_before(write_events) -> None:
    events = write_events(4, resident_ref=RESIDENT_REF)
    assert events[0].prev_hash == GENESIS_HASH
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    assert len({e.hash for e in events}) == 4


def test_the_stored_hash_can_be_recomputed_from_what_the_database_gives_back(
    write_events,
) -> None:
    write_events(3, detail={"kept": ["score"], "discarded": ["notes"], "count": 2, "ok": True})
    for event in AuditEvent.objects.all():
        assert event_hash(event.__dict__) == event.hash


def test_verify_audit_reports_the_count_and_succeeds_on_an_intact_chain(write_events) -> None:
    write_events(5)
    code, out, _ = verify()
    assert code == 0
    assert "OK: 5 events verified." in out


def test_verify_audit_on_an_empty_log_verifies_zero_events(db: None) -> None:
    code, out, _ = verify()
    assert (code, "OK: 0 events verified." in out) == (0, True)


@pytest.mark.sqlite
def test_a_row_changed_with_raw_sql_on_sqlite_is_found(write_events) -> None:
    events = write_events(5)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET action = 'create' WHERE id = %s", [events[2].pk]
        )
    code, _, err = verify()
    assert code == 1
    assert f"first bad event id {events[2].pk}" in err


@pytest.mark.sqlite
def test_a_row_deleted_with_raw_sql_on_sqlite_breaks_the_next_link(write_events) -> None:
    events = write_events(4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    code, _, err = verify()
    assert code == 1
    assert f"first bad event id {events[2].pk}" in err


@pytest.mark.postgres
def test_a_row_changed_by_a_superuser_with_the_trigger_disabled_is_found(write_events) -> None:
    events = write_events(5)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
        cursor.execute(
            "UPDATE audit_auditevent SET resident_ref = %s WHERE id = %s",
            ["00000000-0000-0000-0000-000000000000", events[3].pk],
        )
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")
    code, _, err = verify()
    assert code == 1
    assert f"first bad event id {events[3].pk}" in err


@pytest.mark.postgres
def test_a_row_rehashed_and_replaced_in_replica_mode_breaks_the_next_link(write_events) -> None:
    events = write_events(4)
    forged = {**AuditEvent.objects.filter(pk=events[1].pk).values().get(), "action": "create"}
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE audit_auditevent SET action = 'create', hash = %s WHERE id = %s",
            [event_hash(forged), events[1].pk],
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    code, _, err = verify()
    assert code == 1
    assert f"first bad event id {events[2].pk}" in err


def test_verify_since_a_date_starts_there_and_trusts_that_events_prev_hash(
    write_events,
) -> None:
    import datetime as dt

    old = write_events(3, at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    write_events(2)
    # Break the link before the new events: --since must not care, a full walk must.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE audit_auditevent SET action = 'create' WHERE id = %s", [old[0].pk])
    out = io.StringIO()
    call_command("verify_audit", "--since", "2021-01-01", stdout=out)
    assert "OK: 2 events verified." in out.getvalue()
    assert verify()[0] == 1


def test_verify_since_an_impossible_date_exits_2(db: None) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError) as exc:
        call_command("verify_audit", "--since", "2026-02-30")
    assert exc.value.returncode == 2


def test_a_float_in_detail_is_refused_because_it_would_not_rehash(db: None) -> None:
    with pytest.raises(TypeError):
        record(Action.READ, NOBODY, detail={"score": 2.5})
    assert not AuditEvent.objects.exists()
    assert record(Action.READ, NOBODY, detail={"score": 2}).detail == {"score": 2}


def test_a_resident_reference_must_be_a_uuid(db: None) -> None:
    with pytest.raises(ValueError):
        record(Action.READ, NOBODY, resident_ref="Jan Jansen")
    assert not AuditEvent.objects.exists()
    assert record(Action.READ, NOBODY, resident_ref=RESIDENT_REF.upper()).resident_ref == (
        RESIDENT_REF
    )


def test_an_unknown_action_is_refused(db: None) -> None:
    with pytest.raises(ValueError):
        record("peek", NOBODY)
    assert not AuditEvent.objects.exists()


def test_an_object_is_named_by_type_and_id_also_after_it_was_destroyed(demo_users) -> None:
    user = demo_users["consulent"]
    context = AuditContext.for_user(user)
    by_object = record(Action.READ, context, obj=user)
    by_name = record(Action.DISCARD, context, object_type="intake", object_id=42)
    assert (by_object.object_type, by_object.object_id) == ("user", str(user.pk))
    assert (by_name.object_type, by_name.object_id) == ("intake", "42")


def test_verify_audit_prints_progress_on_stderr_during_a_long_walk(
    write_events, monkeypatch
) -> None:
    write_events(5)
    code, _, err = verify()
    assert (code, "events verified (event id" in err) == (0, False)  # a short walk: none
    monkeypatch.setattr("audit.verify.PROGRESS_EVERY_SECONDS", 0.0)
    monkeypatch.setattr("audit.verify._CLOCK_EVERY", 2)
    code, out, err = verify()
    assert code == 0
    assert "... 2 events verified (event id" in err
    assert "... 4 events verified (event id" in err
    assert "OK: 5 events verified." in out


def test_awkward_values_verify_as_they_were_hashed(write_events) -> None:
    """verify_audit reads PostgreSQL's text of each value (COPY): an IPv6 address, a mapped
    IPv4 one, quotes, tabs, newlines and non-ASCII in the detail must hash as written."""
    for address in ("2001:db8::1", "::ffff:10.1.2.3", "10.0.0.7"):
        context = AuditContext(actor="tab\tnew\nline", source_ip=address, actor_id=None)
        write_events(
            1,
            context=context,
            detail={"naam": 'Zoë "x" \\ \t\n€', "nested": {"b": [1, None, True]}},
        )
    code, out, err = verify()
    assert (code, err) == (0, "")
    assert "OK: 3 events verified." in out
