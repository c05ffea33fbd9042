"""The audit log at scale (issue 16): verify_audit against hashing in a tight loop, the
admin's changelist, pruning one month, and the export's memory, at each --audit-sizes.

Each size starts from an empty log (TRUNCATE, which the test suite's setting allows) and
is seeded with COPY over the last twelve months, valid hashes, one partition per month.
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.db import connection

from bench import seed
from bench.export import ROOT, export_run

MONTHS = 12
ADMIN_REQUESTS = 30
LOOP_SAMPLE = 200_000


def empty_log() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET zrm.audit_truncate = 'on'")
        cursor.execute("TRUNCATE audit_auditevent")
        cursor.execute("SET zrm.audit_truncate = 'off'")


def settle() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) audit_auditevent")


def verify_seconds() -> float:
    """manage.py verify_audit over the whole log, in its own process (wall time)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "verify_audit"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def loop_events_per_second() -> float:
    """The physical limit: event_hash() (canonical bytes, SHA-256) over rows already in
    memory, in a tight loop, on a sample of the same events."""
    from audit.chain import HASHED_FIELDS, event_hash
    from audit.models import AuditEvent

    rows = list(AuditEvent.objects.order_by("id").values(*HASHED_FIELDS)[:LOOP_SAMPLE])
    start = time.perf_counter()
    for row in rows:
        event_hash(row)
    return len(rows) / (time.perf_counter() - start)


def admin_latencies_ms() -> list[float]:
    """The audit changelist as a superuser opens it (the default: last 7 days, page 1)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="bench_auditor", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    path = "/beheer/audit/auditevent/"
    if client.get(path).status_code != 200:
        raise SystemExit("bench: the audit changelist does not answer 200")
    times = []
    for _ in range(ADMIN_REQUESTS):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def prune_oldest_month_seconds() -> tuple[float, int, list[str]]:
    """prune_before() the end of the oldest event's month: that whole month goes."""
    from audit.models import AuditEvent
    from audit.partitions import monthly_partitions
    from audit.prune import prune_before

    # The month of the oldest event (earlier, empty partitions exist: the audit stage makes
    # five years of them).
    first_ts = AuditEvent.objects.order_by("id").values_list("ts", flat=True).first()
    assert first_ts is not None
    oldest = next(p for p in monthly_partitions() if p.start <= first_ts < p.end)
    settings.AUDIT_RETENTION_DAYS = 1  # the bench's log is at most a year old
    start = time.perf_counter()
    result = prune_before(oldest.end)
    if not result.removed:
        raise SystemExit("bench: the prune removed nothing")
    return time.perf_counter() - start, result.removed, result.dropped_partitions


def measure(size: int) -> dict[str, Any]:
    from audit.partitions import ensure_ahead

    empty_log()
    # The same partitions at every size: five years of months, as the audit stage makes.
    ensure_ahead(now=dt.datetime.now(dt.UTC) - dt.timedelta(days=5 * 365), months=62)
    started = time.perf_counter()
    seed.audit_events(size, seed=size, days=MONTHS * 30.4, checkpoints=True)
    settle()
    seeded_s = time.perf_counter() - started
    verify_s = verify_seconds()
    loop_eps = loop_events_per_second()
    admin = admin_latencies_ms()
    export = export_run()
    prune_s, pruned, dropped = prune_oldest_month_seconds()
    return {
        "seed_s": seeded_s,
        "verify_eps": size / verify_s,
        "loop_eps": loop_eps,
        "admin_ms": admin,
        "export_rss_mb": export["peak_rss_mb"],
        "export_rps": export["rows"] / export["seconds"],
        "prune_s": prune_s,
        "pruned": pruned,
        "dropped": dropped,
    }


def when() -> str:
    return dt.datetime.now(dt.UTC).strftime("%H:%M")
