"""A backup taken before a value was discarded cannot bring it back after the next
rotation: restored, the value reads as destroyed (a page, never a 500), while the values
still live are readable once the restored copy gets the current key table (README,
"Vernietigen op PostgreSQL": how to restore)."""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tests.factories import finalise_now

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

READ_BACK = """
import json
from django.test import Client
from django.contrib.auth import get_user_model
from intake.models import DomainAssessment, Intake
intake = Intake.objects.get(pk={pk})
rows = {{
    a.domain: [a.notes, sorted(a.unreadable_fields())]
    for a in DomainAssessment.objects.filter(intake=intake)
}}
client = Client()
client.force_login(get_user_model().objects.get(username="consulent"))
page = client.get("/intakes/{pk}/")
officer = Client()
officer.force_login(get_user_model().objects.get(username="privacy"))
report = officer.get(f"/privacy/inwoners/{{intake.resident.ref}}/")
print(json.dumps({{
    "rows": rows, "status": page.status_code, "page": page.content.decode(),
    "report_status": report.status_code, "report": report.content.decode(),
}}))
"""


def pg(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    db = settings.DATABASES["default"]
    conn = ["--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432)]
    return subprocess.run(
        [args[0], *conn, "--username", db["USER"] or "postgres", *args[1:]],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        **kwargs,  # type: ignore[arg-type]
    )


def read_in(database: str, pk: int) -> dict[str, object]:
    db = settings.DATABASES["default"]
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    url = f"postgres://{db['USER'] or 'postgres'}@{host}/{database}"
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", READ_BACK.format(pk=pk)],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_a_discarded_value_in_a_restored_backup_stays_destroyed(make_intake, tmp_path, demo_users):
    tag = uuid.uuid4().hex[:8].upper()
    live, gone = f"BLIJFT{tag}", f"WEG{tag}"
    intake = make_intake(
        framework="jeugdwet",
        domains={"financien": (2, "confirmed", live), "justitie": (3, "none", gone)},
    )
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "before.dump"
    pg("pg_dump", "--format=custom", "--file", str(dump), source)
    finalise_now(intake)  # discards justitie: its keys are destroyed
    call_command("rotate_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
    restored = f"{source}_restored"
    pg("dropdb", "--if-exists", restored)
    pg("createdb", restored)
    try:
        pg("pg_restore", "--no-owner", "--dbname", restored, str(dump))
        # As restored: every data key in it is wrapped under the KEK the rotation destroyed.
        as_restored = read_in(restored, intake.pk)
        assert as_restored["status"] == 200
        assert as_restored["rows"]["justitie"] == ["", ["notes"]]
        assert as_restored["rows"]["financien"] == ["", ["notes"]]
        assert gone not in as_restored["page"] and live not in as_restored["page"]
        # The privacy officer's access report says so, in words.
        assert as_restored["report_status"] == 200
        assert "vernietigd (de sleutel bestaat niet meer)" in as_restored["report"]
        # The restore procedure: the current key table over the restored one.
        keys = pg("pg_dump", "--data-only", "--table=vault_datakey", source).stdout
        pg("psql", "--quiet", "--dbname", restored, "-c", "TRUNCATE vault_datakey")
        pg("psql", "--quiet", "--dbname", restored, input=keys)
        with_keys = read_in(restored, intake.pk)
        assert with_keys["status"] == 200
        assert with_keys["rows"]["financien"] == [live, []]  # still live: readable
        assert with_keys["rows"]["justitie"] == ["", ["notes"]]  # discarded: destroyed
        assert gone not in with_keys["page"] and gone not in with_keys["report"]
        assert "vernietigd (de sleutel" not in with_keys["report"]
    finally:
        pg("dropdb", "--if-exists", "--force", restored)
