"""The scheduled commands' conventions (README, "Bedrijfsvoering"): one summary line,
a transient database error retried, exit 3 with one line when the database stays away."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from audit.transient import EXIT_DATABASE_UNAVAILABLE, scheduled

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = [
    ["purge"],
    ["prune_audit", "--before", "2000-01-01"],
    ["verify_audit"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_with_the_database_unreachable_a_command_exits_3_with_one_line(command) -> None:
    result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": "postgres://zrm@127.0.0.1:1/zrm",  # a closed port: refused
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == EXIT_DATABASE_UNAVAILABLE, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("CommandError")]
    assert len(errors) == 1, result.stderr
    assert "database error OperationalError" in errors[0]
    assert "Traceback" not in result.stderr
    # The retries were logged, each on one line, naming the command.
    assert result.stderr.count(f"{command[0]}: transient database error") >= 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_serialisation_failure_is_retried_and_then_the_work_is_done() -> None:
    calls: list[int] = []

    def work() -> str:
        calls.append(1)
        if len(calls) == 1:
            with connection.cursor() as cursor:  # PostgreSQL's own 40001
                cursor.execute(
                    "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'serialization_failure'; END $$"
                )
        return "klaar"

    assert scheduled(work, what="test") == "klaar"
    assert len(calls) == 2


@pytest.mark.django_db
def test_an_error_that_is_not_transient_is_not_retried() -> None:
    calls: list[int] = []
    with pytest.raises(Exception, match="database error"):
        scheduled(lambda: _syntax_error(calls), what="test")
    assert len(calls) == 1


def _syntax_error(calls: list[int]) -> None:
    calls.append(1)
    with connection.cursor() as cursor:
        cursor.execute("SELEC 1")  # a real syntax error: retrying cannot help


@pytest.mark.django_db
def test_purge_prints_one_summary_line() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("purge", stdout=out)
    assert len(out.getvalue().splitlines()) == 1
    assert out.getvalue().startswith("purge vernietigd:")
