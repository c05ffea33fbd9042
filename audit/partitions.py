"""The audit table's monthly partitions on PostgreSQL (audit migration 0007).

A month's partition is made ahead of time by `audit_create_partition()` (SQL, in the
migration, so the triggers come with it): by `manage.py audit_partitions` (daily), and
by every checkpoint (hourly), so the next months always exist; an event whose month has
no partition (a clock far off) lands in the default partition rather than failing.
prune_audit drops whole months: a partition whose every event is in the removed range.
On SQLite the table is one table and every function here does nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent

MONTHS_AHEAD = 2
_NAME = re.compile(r"_p(\d{4})(\d{2})$")


@dataclass(frozen=True)
class Partition:
    name: str
    start: dt.datetime  # inclusive, UTC
    end: dt.datetime  # exclusive


def partitioned() -> bool:
    return connection.vendor == "postgresql"


def ensure_ahead(now: dt.datetime | None = None, months: int = MONTHS_AHEAD) -> list[str]:
    """Create this month's partition and the next `months`; the names of those created."""
    if not partitioned():
        return []
    first = _month_start(now or timezone.now())
    created = []
    with connection.cursor() as cursor:
        for offset in range(months + 1):
            month = _add_months(first, offset)
            cursor.execute("SELECT audit_create_partition(%s)", [month])
            (made,) = cursor.fetchone()
            if made:
                created.append(_name(month))
    return created


def monthly_partitions() -> list[Partition]:
    """The month partitions, oldest first (the default partition is not one)."""
    if not partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [AuditEvent._meta.db_table],
        )
        names = [name for (name,) in cursor.fetchall()]
    months = []
    for name in names:
        if match := _NAME.search(name):
            start = dt.datetime(int(match[1]), int(match[2]), 1, tzinfo=dt.UTC)
            months.append(Partition(name, start, _add_months(start, 1)))
    return sorted(months, key=lambda p: p.start)


def drop_whole_months(*, last_removed_id: int, before: dt.datetime) -> list[str]:
    """Detach and drop every month partition that ends by `before` and holds no event after
    `last_removed_id` (each is then wholly in the removed range). Its cost is a look at
    each partition's largest id, whatever the month's size. Call inside prune's transaction,
    after its anchor event is written."""
    dropped = []
    quote = connection.ops.quote_name
    table = quote(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        for partition in monthly_partitions():
            if partition.end > before:
                break
            name = quote(partition.name)
            cursor.execute(f"SELECT max(id) FROM {name}")  # noqa: S608 (our own name)
            (largest,) = cursor.fetchone()
            if largest is not None and largest > last_removed_id:
                break  # an event of this month stays (a clock that disagreed)
            cursor.execute(f"ALTER TABLE {table} DETACH PARTITION {name}")
            cursor.execute(f"DROP TABLE {name}")
            dropped.append(partition.name)
    return dropped


def _month_start(moment: dt.datetime) -> dt.datetime:
    utc = moment.astimezone(dt.UTC)
    return dt.datetime(utc.year, utc.month, 1, tzinfo=dt.UTC)


def _add_months(month: dt.datetime, count: int) -> dt.datetime:
    index = month.year * 12 + month.month - 1 + count
    return dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=dt.UTC)


def _name(month: dt.datetime) -> str:
    return f"{AuditEvent._meta.db_table}_p{month:%Y%m}"
