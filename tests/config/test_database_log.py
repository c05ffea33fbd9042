"""PostgreSQL's own log never receives a value of a failing statement (issue 17 item 4).

Server-side binding sends values apart from the SQL text, so the server logs a failing
statement with $1 where the value was. The log is the server's real file, read through
the server (pg_read_file: the test connects as a superuser, as CI does).
"""

import time
import uuid

import psycopg
import pytest
from django.db import DataError, connection, transaction

from intake.models import Intake
from tests.conftest import IN_CI
from tests.factories import IntakeFactory
from tests.races import conninfo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _log_path() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_logfile(), current_setting('server_version_num')")
        current, version = cursor.fetchone()
    # Debian's clusters log to stderr, which pg_ctlcluster sends to this file.
    return current or f"/var/log/postgresql/postgresql-{int(version) // 10000}-main.log"


def _server_log_after(offset: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_read_file(%s, %s, 10000000)", [_log_path(), offset])
        return str(cursor.fetchone()[0])


def _log_size() -> int:
    with connection.cursor() as cursor:
        try:
            cursor.execute("SELECT (pg_stat_file(%s)).size", [_log_path()])
        except Exception:  # noqa: BLE001
            if IN_CI:
                raise
            pytest.skip("this PostgreSQL's log file cannot be read through the server")
        return int(cursor.fetchone()[0])


def _logged_within(offset: int, needle: str, seconds: float = 3.0) -> str:
    deadline = time.monotonic() + seconds
    while True:
        text = _server_log_after(offset)
        if needle in text or time.monotonic() > deadline:
            return text
        time.sleep(0.1)


def test_a_failing_statement_is_logged_without_its_values():
    intake = IntakeFactory()
    canary = f"kanarie-{uuid.uuid4().hex}" * 2
    offset = _log_size()
    with pytest.raises(DataError), transaction.atomic():
        # framework is varchar(20): PostgreSQL refuses the value and logs the statement. (A
        # personal value's column holds only ciphertext since issue 15; this plaintext
        # column stands in for any value a failing statement carries.)
        Intake.objects.filter(pk=intake.pk).update(framework=canary)
    log = _logged_within(offset, "value too long")
    assert "value too long for type character varying" in log  # the failure was logged
    assert canary not in log
    assert "$1" in log


def test_control_client_side_binding_puts_the_value_in_the_same_log():
    intake = IntakeFactory()
    canary = f"kanarie-{uuid.uuid4().hex}" * 2
    offset = _log_size()
    with psycopg.connect(conninfo(), cursor_factory=psycopg.ClientCursor) as plain:
        cursor = plain.cursor()
        with pytest.raises(psycopg.errors.StringDataRightTruncation):
            cursor.execute(
                "UPDATE intake_intake SET framework = %s WHERE id = %s", [canary, intake.pk]
            )
    assert canary in _logged_within(offset, canary)
