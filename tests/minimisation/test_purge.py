import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from audit.models import Action, AuditEvent
from intake.models import Intake, Resident
from minimisation.models import DecisionRecord
from tests.factories import finalise_now

ROOT = Path(__file__).resolve().parents[2]


def age(intake, days):
    Intake.objects.filter(pk=intake.pk).update(created_at=timezone.now() - dt.timedelta(days=days))


def purge(*args):
    out = io.StringIO()
    call_command("purge", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_draft_older_than_42_days_is_destroyed_with_its_resident(make_intake):
    old = make_intake(domains={"financien": (2, "none", "x")})
    fresh = make_intake(domains={"financien": (2, "none", "x")})
    age(old, 43)
    age(fresh, 41)
    output = purge()
    assert not Intake.objects.filter(pk=old.pk).exists()
    assert not Resident.objects.filter(pk=old.resident_id).exists()
    assert Intake.objects.filter(pk=fresh.pk).exists()
    assert output.strip().splitlines() == [output.strip()]  # one line
    assert "1 verlopen concepten" in output
    purge_event = AuditEvent.objects.get(action=Action.PURGE)
    assert purge_event.detail["expired_drafts"] == 1


@pytest.mark.django_db
def test_kept_data_past_retention_are_destroyed_and_the_rest_stays(make_intake):
    expired = make_intake(domains={"financien": (2, "confirmed", "x")})
    current = make_intake(domains={"financien": (2, "confirmed", "x")})
    finalise_now(expired)
    finalise_now(current)
    DecisionRecord.objects.filter(intake=expired).update(
        retention_until=timezone.localdate() - dt.timedelta(days=1)
    )
    output = purge()
    assert "1 intakes na bewaartermijn" in output
    assert not Intake.objects.filter(pk=expired.pk).exists()
    assert Intake.objects.filter(pk=current.pk).exists()


@pytest.mark.django_db
def test_a_dry_run_lists_references_and_counts_and_changes_nothing(make_intake):
    old = make_intake(domains={"financien": (2, "none", "x")}, name="KANARIE-DRYRUN")
    age(old, 50)
    output = purge("--dry-run")
    assert f"intake {old.pk}" in output
    assert "zou vernietigen: 1 verlopen concepten" in output
    assert "1 inwoners" in output
    assert "KANARIE" not in output
    assert Intake.objects.filter(pk=old.pk).exists()
    assert not AuditEvent.objects.filter(action=Action.PURGE).exists()


@pytest.mark.django_db
def test_purge_works_in_batches_and_is_idempotent(make_intake):
    drafts = [make_intake() for _ in range(5)]
    for d in drafts:
        age(d, 60)
    assert "5 verlopen concepten" in purge("--batch-size", "2")
    assert "0 verlopen concepten" in purge("--batch-size", "2")
    assert not Intake.objects.exists()
    assert AuditEvent.objects.filter(action=Action.PURGE).count() == 1


@pytest.mark.django_db
def test_a_resident_shared_with_a_live_intake_survives_the_sweep(make_intake):
    old = make_intake()
    make_intake(resident=old.resident)
    age(old, 60)
    purge()
    assert Resident.objects.get(pk=old.resident_id).name == old.resident.name


@pytest.mark.django_db
def test_a_batch_size_below_one_is_refused():
    with pytest.raises(CommandError, match="minstens 1"):
        purge("--batch-size", "0")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_purge_processes_at_once_destroy_each_intake_exactly_once(make_intake):
    drafts = [make_intake(domains={"financien": (2, "none", "x")}) for _ in range(12)]
    for d in drafts:
        age(d, 60)
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url}
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "purge", "--batch-size", "2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert not Intake.objects.exists()
    discards = AuditEvent.objects.filter(action=Action.DISCARD)
    assert sorted(e.detail["intake"] for e in discards) == sorted(d.pk for d in drafts)
    destroyed = sum(
        e.detail["expired_drafts"] for e in AuditEvent.objects.filter(action=Action.PURGE)
    )
    assert destroyed == 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_purge_vacuums_the_tables_it_deleted_from_on_postgresql(make_intake):
    old = make_intake()
    age(old, 60)
    assert connection.vendor == "postgresql"
    assert "vacuum uitgevoerd" in purge()


@pytest.mark.django_db
def test_a_shared_field_is_blanked_when_the_intake_that_needed_it_expires(make_intake):
    helped = make_intake(domains={"financien": (2, "confirmed", "x")})
    finalise_now(helped)
    refused = make_intake(resident=helped.resident, domains={"financien": (4, "none", "")})
    record = finalise_now(refused)
    assert record.kept_fields.filter(rule_id="GEDEELD", field="resident.name").exists()
    DecisionRecord.objects.filter(intake=helped).update(
        retention_until=timezone.localdate() - dt.timedelta(days=1)
    )
    purge()
    resident = Resident.objects.get(pk=refused.resident_id)
    assert (resident.name, resident.bsn, resident.date_of_birth) == ("", "", None)
    assert not record.kept_fields.filter(rule_id="GEDEELD").exists()
    assert Intake.objects.filter(pk=refused.pk).exists()


@pytest.mark.django_db
def test_two_expired_intakes_of_one_resident_in_one_batch_delete_the_resident_once(make_intake):
    first = make_intake(domains={"financien": (2, "none", "x")})
    second = make_intake(resident=first.resident, domains={"werk": (3, "none", "y")})
    age(first, 60)
    age(second, 60)
    output = purge()
    assert not Intake.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert not Resident.objects.filter(pk=first.resident_id).exists()
    assert "1 inwoners" in output
    discards = AuditEvent.objects.filter(action=Action.DISCARD).order_by("id")
    assert [e.detail["intake"] for e in discards] == [first.pk, second.pk]
    assert [e.detail["resident_deleted"] for e in discards] == [False, True]


@pytest.mark.django_db
def test_an_intake_finalised_while_the_sweep_runs_is_not_destroyed(make_intake, monkeypatch):
    """The sweep lists its candidates once, then destroys them batch by batch: each batch
    re-checks that its intakes still match (here: finalised after the listing)."""
    from minimisation import sweep

    first, second, third = (make_intake(domains={"financien": (2, "none", "x")}) for _ in "abc")
    for intake in (first, second, third):
        age(intake, 60)
    real_destroy = sweep.destroy_intakes

    def destroy_then_someone_finalises_the_second(batch, **kwargs):
        destroyed = real_destroy(batch, **kwargs)
        Intake.objects.filter(pk=second.pk).update(status="finalised")
        return destroyed

    monkeypatch.setattr(sweep, "destroy_intakes", destroy_then_someone_finalises_the_second)
    result = sweep.purge(now=timezone.now(), batch_size=1)
    assert result.expired_drafts == [first.pk, third.pk]
    assert Intake.objects.filter(pk=second.pk).exists()
    assert not Intake.objects.filter(pk__in=[first.pk, third.pk]).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("hold", ["resident", "chain"])
def test_two_sweeps_over_a_reassessment_chain_in_different_batches_neither_deadlocks(
    make_intake, hold
):
    """Issue 17: an expired draft whose previous intake is another expired draft of the
    same resident, one intake a batch. Held at the resident, each sweep used to lock one
    of the two drafts, then wait for the resident, then for the other's draft."""
    from minimisation import sweep
    from tests.audit.conftest import verify
    from tests.races import chain_hold, race, resident_hold

    older = make_intake(domains={"financien": (2, "none", "x")})
    newer = make_intake(previous=older, domains={"financien": (2, "none", "x")})
    for intake in (older, newer):
        age(intake, 60)

    def one_sweep() -> object:
        return sweep.purge(now=timezone.now(), batch_size=1)

    held = resident_hold(older.resident_id) if hold == "resident" else chain_hold()
    results = race([one_sweep, one_sweep], hold=held, staggered=hold == "chain")
    assert [r for r in results if isinstance(r, BaseException)] == [], results
    sweep.purge(now=timezone.now(), batch_size=1)  # whatever was busy: the next run
    assert not Intake.objects.filter(pk__in=[older.pk, newer.pk]).exists()
    assert not Resident.objects.filter(pk=older.resident_id).exists()
    discards = AuditEvent.objects.filter(action=Action.DISCARD)
    assert sorted(e.detail["intake"] for e in discards) == [older.pk, newer.pk]
    assert verify()[0] == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sweep_batch_that_meets_a_deadlock_runs_again(make_intake, monkeypatch, caplog):
    """A transient error (here a real deadlock_detected raised by PostgreSQL on the
    batch's connection) costs a retry, not the run."""
    from minimisation import sweep

    draft = make_intake(domains={"financien": (2, "none", "x")})
    age(draft, 60)
    real_destroy = sweep.destroy_intakes
    calls = {"n": 0}

    def deadlock_once(batch, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            with connection.cursor() as cursor:  # PostgreSQL's own error, SQLSTATE 40P01
                cursor.execute(
                    "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'deadlock_detected'; END $$"
                )
        return real_destroy(batch, **kwargs)

    monkeypatch.setattr(sweep, "destroy_intakes", deadlock_once)
    result = sweep.purge(now=timezone.now(), batch_size=10)
    assert result.expired_drafts == [draft.pk]
    assert calls["n"] >= 2
    assert "SQLSTATE 40P01" in caplog.text
