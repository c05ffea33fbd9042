"""Proof of destruction: canary strings the policy discards are gone from everywhere we
can look after finalising and the sweep; a kept control value is still found (so each
search can fail)."""

import datetime as dt
import json
import logging
import subprocess
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from intake.models import Intake, IntakeStatus
from tests.minimisation.pages import preview_form, preview_url

PG_DUMP = "/usr/bin/pg_dump"


class Canaries:
    """Distinct strings per test run, so leftovers of another test cannot interfere."""

    def __init__(self) -> None:
        self.tag = uuid.uuid4().hex[:10].upper()
        self.values: list[str] = []

    def __call__(self, label: str, max_length: int = 200) -> str:
        value = f"KAN{self.tag}{label}"[:max_length]
        self.values.append(value)
        return value


def finalise_through_the_pages(client, intake):
    response = client.post(preview_url(intake), preview_form(client, intake))
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.FINALISED


def finalise_scenario(make_intake, signed_in):
    """A refused application (no help need) and a jeugdwet intake with one confirmed need."""
    canary = Canaries()
    refused = make_intake(
        framework="wmo",
        name=canary("NAAM"),
        bsn=canary("B", 9),
        address=canary("ADRES"),
        phone=canary("TEL", 40),
        email=f"{canary('MAIL')}@example.org".lower(),
        date_of_birth=dt.date(1911, 11, 11),
        domains={
            "financien": (4, "none", canary("NOTITIEFINANCIEN")),
            "geestelijke_gezondheid": (3, "none", canary("NOTITIEGGZ")),
        },
    )
    canary.values.append("1911-11-11")
    control = f"BEWAARD{canary.tag}"
    helped = make_intake(
        framework="jeugdwet",
        domains={
            "financien": (2, "confirmed", control),
            "justitie": (3, "none", canary("JUSTITIE")),
            "huisvesting": (None, "unknown", canary("NIETBESPROKEN")),
            "middelengebruik": (2, "none", canary("MIDDELEN")),
        },
    )
    client = signed_in("consulent")
    finalise_through_the_pages(client, refused)
    finalise_through_the_pages(client, helped)
    call_command("purge", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return canary, control


def expired_draft_scenario(make_intake, signed_in):
    canary = Canaries()
    draft = make_intake(
        framework="schuldhulp",
        name=canary("CNAAM"),
        bsn=canary("C", 9),
        address=canary("CADRES"),
        domains={"financien": (1, "confirmed", canary("CNOTITIE"))},
    )
    control = f"BEWAARD{canary.tag}"
    keeper = make_intake(domains={"financien": (2, "confirmed", control)})
    client = signed_in("consulent")
    client.get(preview_url(draft))  # leaves a session behind
    Intake.objects.filter(pk=draft.pk).update(created_at=timezone.now() - dt.timedelta(days=43))
    finalise_through_the_pages(client, keeper)
    call_command("purge", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Intake.objects.filter(pk=draft.pk).exists()
    return canary, control


SCENARIOS = {"finalised": finalise_scenario, "expired_draft": expired_draft_scenario}


def every_text_value() -> str:
    """Every column of every row of every model as the database stores it (introspection,
    no list to forget): ciphertext where a value is sealed."""
    chunks = []
    for model in apps.get_models():
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a model's own table
            for row in cursor.fetchall():
                chunks.append(
                    " ".join(
                        bytes(v).decode("latin-1") if isinstance(v, (bytes, memoryview)) else str(v)
                        for v in row
                    )
                )
    for session in Session.objects.all():
        chunks.append(json.dumps(session.get_decoded(), default=str))
    return "\n".join(chunks)


def every_value_through_the_app() -> str:
    """Every field of every row as the application reads it: sealed values decrypted."""
    chunks = []
    for model in apps.get_models():
        for obj in model._base_manager.all():
            chunks.append(
                " ".join(str(getattr(obj, f.attname)) for f in model._meta.concrete_fields)
            )
    return "\n".join(chunks)


def audit_export() -> str:
    """The audit log as an export would carry it: every field of every event."""
    lines = [json.dumps(e, default=str) for e in AuditEvent.objects.values()]
    return "\n".join(lines)


def assert_absent(haystack: str, canary: Canaries, where: str) -> None:
    found = [c for c in canary.values if c.lower() in haystack.lower()]
    assert not found, f"canaries found in {where}: {found}"


@pytest.fixture(params=sorted(SCENARIOS))
def scenario(request, make_intake, signed_in, caplog):
    caplog.set_level(logging.DEBUG)
    return SCENARIOS[request.param](make_intake, signed_in)


@pytest.mark.django_db(transaction=True)
def test_no_canary_in_any_table_the_session_store_the_logs_or_the_audit_log(scenario, caplog):
    canary, control = scenario
    tables = every_text_value()
    # The kept value is there, read through the application; stored, it is ciphertext.
    read = every_value_through_the_app()
    assert control in read
    assert_absent(read, canary, "the values the application reads")
    assert control not in tables
    assert_absent(tables, canary, "the database tables")
    records = caplog.get_records("setup") + caplog.get_records("call")
    assert records  # the flow logged something, so this check can fail
    log_text = "\n".join(f"{r.getMessage()} {r.args} {r.exc_text or ''}" for r in records)
    assert_absent(log_text, canary, "the log output")
    export = audit_export()
    assert "finalise" in export
    assert_absent(export, canary, "the audit log and its export")


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_no_canary_in_the_sqlite_database_file(scenario):
    canary, control = scenario
    path = Path(connection.settings_dict["NAME"])
    planted = f"GEPLANT{canary.tag}"
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA secure_delete").fetchone()[0] == 1
        # The positive control: a value stored unencrypted is found by the same scan.
        cursor.execute("CREATE TABLE scratch_planted (t text)")
        cursor.execute("INSERT INTO scratch_planted VALUES (%s)", [planted])
    connection.close()  # everything on disk, no open journal
    data = b"".join(
        p.read_bytes()
        for p in (path, path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal"))
        if p.exists()
    )
    assert planted.encode() in data
    # Neither a destroyed value nor a kept one is in the file in plaintext.
    assert control.encode() not in data
    found = [c for c in canary.values if c.encode() in data]
    assert not found, f"canaries in the SQLite file: {found}"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE scratch_planted")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_no_canary_in_a_pg_dump_of_the_database(scenario):
    canary, control = scenario
    db = settings.DATABASES["default"]
    dump = subprocess.run(
        [
            PG_DUMP,
            "--host",
            db["HOST"] or "127.0.0.1",
            "--port",
            str(db["PORT"] or 5432),
            "--username",
            db["USER"] or "postgres",
            "--no-password",
            connection.settings_dict["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    # Kept values are in the dump as ciphertext only; the application still reads them.
    assert control not in dump
    assert control in every_value_through_the_app()
    assert "intake_resident" in dump and "vault_datakey" in dump
    assert_absent(dump, canary, "pg_dump")
