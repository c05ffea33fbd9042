import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AppendOnlyError, AuditEvent


def test_a_stored_event_cannot_be_saved_again(write_events) -> None:
    event = write_events(1)[0]
    event.action = "create"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get().action == "read"


def test_a_stored_event_cannot_be_deleted(write_events) -> None:
    event = write_events(1)[0]
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.count() == 1


def test_queryset_update_and_delete_are_refused(write_events) -> None:
    write_events(2)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(action="create")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(action="read").delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create([AuditEvent(hash="x", prev_hash="y")])
    assert AuditEvent.objects.filter(action="read").count() == 2


def test_an_event_not_written_by_record_is_refused(db: None) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent(action="read", prev_hash="0" * 64).save()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'create'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
    ],
)
def test_postgresql_refuses_to_change_the_audit_table(write_events, sql: str) -> None:
    write_events(2)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL zrm.audit_truncate = 'off'")  # the test suite turns it on
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.filter(action="read").count() == 2


@pytest.mark.postgres
def test_postgresql_refuses_an_update_even_during_a_prune(write_events) -> None:
    write_events(1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL zrm.audit_prune = 'on'")
        cursor.execute("UPDATE audit_auditevent SET action = 'create'")


@pytest.mark.postgres
def test_postgresql_allows_a_delete_only_with_the_prune_setting(write_events) -> None:
    write_events(2)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL zrm.audit_prune = 'on'")
        cursor.execute("DELETE FROM audit_auditevent")
        cursor.execute("SET LOCAL zrm.audit_prune = 'off'")
    assert not AuditEvent.objects.exists()
