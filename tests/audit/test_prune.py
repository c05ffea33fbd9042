import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from audit.models import Action, AuditEvent
from audit.prune import PruneRefusedError, prune_before
from tests.audit.conftest import verify

LONG_AGO = dt.datetime(2015, 3, 1, 12, 0, tzinfo=dt.UTC)


def prune(before: str) -> str:
    out = io.StringIO()
    call_command("prune_audit", "--before", before, stdout=out)
    return out.getvalue()


def test_prune_removes_old_events_and_verification_still_passes(write_events) -> None:
    old = write_events(4, at=LONG_AGO)
    recent = write_events(3)
    output = prune("2016-01-01")
    remaining = list(AuditEvent.objects.order_by("id"))
    assert [e.pk for e in remaining[:3]] == [e.pk for e in recent]
    assert "Removed 4 events" in output
    prune_event = remaining[-1]
    assert prune_event.action == Action.PRUNE
    assert prune_event.detail["continues_from"] == old[-1].hash == recent[0].prev_hash
    assert prune_event.detail["first_removed_id"] == old[0].pk
    assert prune_event.detail["last_removed_id"] == old[-1].pk
    assert prune_event.detail["removed_count"] == 4
    code, out, _ = verify()
    assert code == 0
    assert "OK: 4 events verified." in out


def test_prune_of_everything_leaves_a_prune_event_that_anchors_itself(write_events) -> None:
    write_events(3, at=LONG_AGO)
    prune("2016-01-01")
    only = AuditEvent.objects.get()
    assert only.action == Action.PRUNE
    assert only.prev_hash == only.detail["continues_from"]
    assert verify()[0] == 0


def test_a_chain_whose_first_event_links_to_no_anchor_fails_verification(write_events) -> None:
    write_events(3, at=LONG_AGO)
    write_events(2)
    prune("2016-01-01")
    # Remove the prune event behind prune_audit's back: the anchor is gone.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL zrm.audit_prune = 'on'")
        cursor.execute("DELETE FROM audit_auditevent WHERE action = 'prune'")
    code, _, err = verify()
    assert code == 1
    assert "no known anchor" in err


def test_prune_refuses_events_younger_than_the_retention_term(write_events) -> None:
    write_events(2)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    with pytest.raises(CommandError) as exc:
        prune(tomorrow)
    assert exc.value.returncode == 2
    assert "retention" in str(exc.value)
    assert AuditEvent.objects.count() == 2


@override_settings(AUDIT_RETENTION_DAYS=10)
def test_the_retention_term_comes_from_the_settings(write_events) -> None:
    write_events(2, at=dt.datetime.now(dt.UTC) - dt.timedelta(days=30))
    with pytest.raises(PruneRefusedError):
        prune_before(dt.datetime.now(dt.UTC) - dt.timedelta(days=5))
    prune((dt.date.today() - dt.timedelta(days=11)).isoformat())
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [Action.PRUNE]


def test_prune_with_nothing_old_enough_removes_nothing_and_writes_nothing(write_events) -> None:
    write_events(2)
    assert "Nothing to remove" in prune("2016-01-01")
    assert AuditEvent.objects.count() == 2


def test_prune_refuses_to_hide_a_broken_link(write_events) -> None:
    write_events(2, at=LONG_AGO)
    recent = write_events(2)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE audit_auditevent SET prev_hash = %s WHERE id = %s", ["f" * 64, recent[0].pk]
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    with pytest.raises(CommandError) as exc:
        prune("2016-01-01")
    assert exc.value.returncode == 1
    assert AuditEvent.objects.count() == 4


def test_prune_with_an_impossible_date_exits_2(db: None) -> None:
    with pytest.raises(CommandError) as exc:
        prune("2016-13-01")
    assert exc.value.returncode == 2
