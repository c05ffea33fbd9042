"""Audit export against PostgreSQL's COPY, each in its own process, measuring wall time
and peak resident memory (ru_maxrss from os.wait4) of that process."""

import json
import os
import subprocess
import sys
from pathlib import Path

from audit.models import AuditEvent

ROOT = Path(__file__).resolve().parent.parent

# The same columns and order as audit.export.COLUMNS, straight from the table.
COPY_SQL = (
    "COPY (SELECT ts, actor, actor_role, on_behalf_of, action, object_type, object_id, "
    "resident_ref, purpose, outcome, source_ip, request_id, detail, prev_hash, hash "
    "FROM audit_auditevent ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)"
)

_COPY_CHILD = """
import os, sys, psycopg
with psycopg.connect(os.environ["DATABASE_URL"]) as conn, open(os.devnull, "wb") as out:
    with conn.cursor().copy(sys.argv[1]) as copy:
        for block in copy:
            out.write(block)
"""


def count_events() -> int:
    return AuditEvent.objects.count()


# Linux carries a process's peak RSS across fork and exec, so a child started straight
# from this (large) Django process would report at least our own peak. A small launcher
# starts the measured command instead and reports its wall time and ru_maxrss (os.wait4).
_LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(json.dumps({"seconds": time.perf_counter() - start,
                  "exit": os.waitstatus_to_exitcode(status), "maxrss_kb": usage.ru_maxrss}))
"""


def _timed(argv: list[str]) -> dict[str, float]:
    rows = count_events()
    out = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *argv],
        cwd=ROOT,
        env={**os.environ},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    if result["exit"] != 0:
        raise RuntimeError(f"{argv[:3]} exited {result['exit']}")
    return {"rows": rows, "seconds": result["seconds"], "peak_rss_mb": result["maxrss_kb"] / 1024}


def export_run() -> dict[str, float]:
    """manage.py export_audit --format csv, every event, to /dev/null."""
    return _timed(
        [sys.executable, "manage.py", "export_audit", "--format", "csv", "--output", os.devnull]
    )


def copy_run() -> dict[str, float]:
    """PostgreSQL's own CSV of the same rows and columns, read through psycopg."""
    return _timed([sys.executable, "-c", _COPY_CHILD, COPY_SQL])
