"""PostgreSQL: the audit table is partitioned by month; the triggers and the chain hold
across partitions, and a prune drops whole months."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.models import Action, AuditEvent
from audit.partitions import ensure_ahead, monthly_partitions
from tests.audit.conftest import verify

pytestmark = pytest.mark.postgres

OLD = dt.datetime(2015, 2, 10, 12, tzinfo=dt.UTC)


def partition_of(event: AuditEvent) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM audit_auditevent WHERE id = %s", [event.pk]
        )
        return str(cursor.fetchone()[0])


def test_an_event_lands_in_its_months_partition_or_else_the_default(write_events) -> None:
    (now,) = write_events(1)
    assert partition_of(now) == f"audit_auditevent_p{now.ts:%Y%m}"
    (far,) = write_events(1, at=dt.datetime(2090, 5, 1, tzinfo=dt.UTC))
    assert partition_of(far) == "audit_auditevent_default"
    assert verify()[0] == 0  # one chain across partitions


def test_next_months_partitions_are_made_ahead_and_only_once(db: None) -> None:
    created = ensure_ahead(now=dt.datetime(2031, 11, 20, tzinfo=dt.UTC))
    assert created == [
        "audit_auditevent_p203111",
        "audit_auditevent_p203112",
        "audit_auditevent_p203201",
    ]
    assert ensure_ahead(now=dt.datetime(2031, 11, 20, tzinfo=dt.UTC)) == []
    out = io.StringIO()
    call_command("audit_partitions", stdout=out)
    assert "Month partitions:" in out.getvalue()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE {p} SET action = 'create'",
        "DELETE FROM {p}",
        "TRUNCATE {p}",
    ],
)
def test_a_partition_named_directly_refuses_changes_too(write_events, sql: str) -> None:
    (event,) = write_events(1)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL zrm.audit_truncate = 'off'")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql.format(p=partition_of(event)))
    assert AuditEvent.objects.get(pk=event.pk).action == "read"


def test_prune_detaches_and_drops_whole_months_after_its_anchor_event(write_events) -> None:
    ensure_ahead(now=OLD - dt.timedelta(days=40), months=3)  # 2015-01 .. 2015-04
    february = write_events(3, at=OLD)
    march = write_events(2, at=OLD + dt.timedelta(days=30))
    assert partition_of(february[0]) == "audit_auditevent_p201502"
    assert partition_of(march[0]) == "audit_auditevent_p201503"
    recent = write_events(2)
    out = io.StringIO()
    call_command("prune_audit", "--before", "2016-01-01", stdout=out)
    names = {p.name for p in monthly_partitions()}
    assert not names & {f"audit_auditevent_p2015{m:02}" for m in range(1, 5)}
    assert "Dropped whole months: audit_auditevent_p201501" in out.getvalue()
    assert f"audit_auditevent_p{recent[0].ts:%Y%m}" in names  # positive control
    prune = AuditEvent.objects.get(action=Action.PRUNE)
    assert prune.detail["removed_count"] == 5
    assert prune.detail["continues_from"] == march[-1].hash
    assert verify()[0] == 0


def test_a_month_with_an_event_that_stays_is_not_dropped(write_events) -> None:
    ensure_ahead(now=dt.datetime(2015, 1, 15, tzinfo=dt.UTC), months=2)  # 2015-01 .. 03
    write_events(2, at=dt.datetime(2015, 1, 10, tzinfo=dt.UTC))
    first_kept = write_events(1, at=dt.datetime(2015, 3, 10, tzinfo=dt.UTC))
    # A host whose clock ran back: chained after the cutoff, but with a February time.
    clock_back = write_events(1, at=dt.datetime(2015, 2, 20, tzinfo=dt.UTC))
    out = io.StringIO()
    call_command("prune_audit", "--before", "2015-03-01", stdout=out)
    names = {p.name for p in monthly_partitions()}
    assert "audit_auditevent_p201501" not in names  # wholly removed: dropped
    assert "audit_auditevent_p201502" in names
    remaining = set(AuditEvent.objects.values_list("id", flat=True))
    assert {first_kept[0].pk, clock_back[0].pk} <= remaining
    assert "Removed 2 events" in out.getvalue()
    assert verify()[0] == 0


def test_events_removed_from_the_end_leave_a_gap_the_next_event_shows(write_events) -> None:
    """The head comes from the one-row table the insert trigger keeps, not from the newest
    row left: a tail deleted behind the application's back is not papered over."""
    kept, removed = write_events(2)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL zrm.audit_prune = 'on'")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [removed.pk])
        cursor.execute("SET LOCAL zrm.audit_prune = 'off'")
    assert verify()[0] == 0  # the chain alone cannot see a missing tail
    (after,) = write_events(1)
    assert after.prev_hash == removed.hash != kept.hash
    code, _, err = verify()
    assert code == 1
    assert f"first bad event id {after.pk} (prev_hash does not match" in err
