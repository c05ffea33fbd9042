"""On PostgreSQL, the raw files an auditor can read hold no captured value in plaintext:
relation files after CHECKPOINT (heap, indexes, TOAST) and the WAL written during the test.
The same scan finds a value planted unencrypted in a scratch table (the positive control);
the kept values are there only as ciphertext, and the application still reads them.

The test reads the data directory (/var/lib/postgresql/15/main here): it runs as root on the
development machine and in CI. Elsewhere it is skipped, never under CI=true.
"""

import os
import uuid
from pathlib import Path

import pytest
from django.db import connection

from intake.bsn import passes_elfproef
from intake.models import DomainAssessment, Resident
from tests.conftest import IN_CI
from tests.factories import finalise_now

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def one(sql: str, params: list[object] | None = None) -> object:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def wal_files(data_dir: Path, first: str, last: str) -> list[Path]:
    wal = data_dir / "pg_wal"
    return [p for p in sorted(wal.iterdir()) if len(p.name) == 24 and first <= p.name <= last]


def unique_bsn() -> str:
    """A valid BSN no other test uses: the WAL is shared by every database of the cluster."""
    import random

    while True:
        candidate = str(random.randint(100_000_000, 999_999_999))  # noqa: S311
        if passes_elfproef(candidate):
            return candidate


def read_all(paths: list[Path]) -> bytes:
    chunks = []
    for path in paths:
        try:
            chunks.append(path.read_bytes())
        except FileNotFoundError:  # a segment recycled meanwhile
            continue
    return b"".join(chunks)


def test_no_typed_value_in_the_relation_files_indexes_toast_or_wal(make_intake):
    data_dir = Path(str(one("SHOW data_directory")))
    if not os.access(data_dir / "base", os.R_OK):
        if IN_CI:
            pytest.fail(f"CI must be able to read {data_dir} (run as root)")
        pytest.skip(f"{data_dir} is not readable for this user")
    first_wal = str(one("SELECT pg_walfile_name(pg_current_wal_lsn())"))
    tag = uuid.uuid4().hex[:10].upper()
    typed = {
        "name": f"KAN{tag}NAAM Jansen",
        "bsn": unique_bsn(),
        "address": f"KAN{tag}ADRES 1",
        "phone": f"KAN{tag}TEL",
        "email": f"kan{tag.lower()}@example.org",
    }
    kept_note = f"BEWAARD{tag}"
    gone_note = f"KAN{tag}JUSTITIE"
    long_note = (f"KAN{tag}LANG " * 200)[:2000]  # long enough for TOAST
    intake = make_intake(
        framework="jeugdwet",
        **typed,
        domains={
            "financien": (2, "confirmed", kept_note),
            "justitie": (3, "none", gone_note),
            "huisvesting": (2, "confirmed", long_note),
        },
    )
    finalise_now(intake)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE scratch_planted (t text)")
        cursor.execute("CREATE INDEX scratch_planted_t ON scratch_planted (t)")
        cursor.execute("INSERT INTO scratch_planted VALUES (%s)", [f"GEPLANT{tag}"])
    try:
        last_wal = str(one("SELECT pg_walfile_name(pg_current_wal_lsn())"))
        # The WAL first: a checkpoint may recycle the segments it no longer needs.
        wal = read_all(wal_files(data_dir, first_wal, last_wal))
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
        db_oid = one("SELECT oid FROM pg_database WHERE datname = current_database()")
        base = data_dir / "base" / str(db_oid)
        # The scan covers the relations that matter: heap, TOAST and indexes are all here.
        for relation in ("intake_resident", "intake_domainassessment", "vault_datakey"):
            assert (
                data_dir / str(one("SELECT pg_relation_filepath(%s)", [relation]))
            ).parent == base
        toast_size = one(
            "SELECT pg_relation_size(reltoastrelid) FROM pg_class WHERE relname = %s",
            ["intake_domainassessment"],
        )
        assert toast_size > 0  # the long note went to TOAST, so TOAST was scanned too
        relations = read_all([p for p in base.iterdir() if p.is_file()])
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE scratch_planted")

    # Positive controls: the planted plaintext is in the table, its index and the WAL.
    planted = f"GEPLANT{tag}".encode()
    assert relations.count(planted) >= 2  # heap and index
    assert planted in wal
    # No typed value, kept or destroyed, in plaintext anywhere.
    values = [*typed.values(), kept_note, gone_note, f"KAN{tag}LANG", f"KAN{tag}"]
    for where, data in (("relation files", relations), ("WAL", wal)):
        found = [v for v in values if v.encode() in data or v.lower().encode() in data]
        assert not found, f"plaintext in the {where}: {found}"
    # ... and the application reads what was kept.
    resident = Resident.objects.get(pk=intake.resident_id)
    assert resident.name == typed["name"]
    assert DomainAssessment.objects.get(intake=intake, domain="financien").notes == kept_note
    assert not DomainAssessment.objects.filter(intake=intake, domain="justitie").exists()
