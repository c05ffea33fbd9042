"""Export of the audit log: one streaming generator for the browser and the command line.

Memory stays flat whatever the size: rows come from a server-side cursor in
chunks (`values_list(...).iterator(chunk_size=...)`), or on PostgreSQL from COPY
one row at a time, and are written out in blocks of whole lines.
"""

import csv
import datetime as dt
import io
import itertools
import json
import uuid
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Func, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from audit.chain import PG_CANONICAL_TS, canonical_ts
from audit.context import AuditContext
from audit.events import record
from audit.models import Action, AuditEvent

# The export's columns, in this order: documented in the README and kept stable.
COLUMNS = (
    "ts",
    "actor",
    "actor_role",
    "on_behalf_of",
    "action",
    "object_type",
    "object_id",
    "resident_ref",
    "purpose",
    "outcome",
    "source_ip",
    "request_id",
    "detail",
    "prev_hash",
    "hash",
    "event_type",
    "event_action_code",
    "data_life_cycle",
    "sensitivity",
    "processing_activity",
    "source_system",
)
FORMATS = ("csv", "jsonl")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
CHUNK_SIZE = 2000
# COPY's rows are joined in smaller blocks (about 70 KB): while Python joins one, PostgreSQL
# keeps sending into the socket buffers instead of waiting for it (1M events, timed by hand:
# 2000-row blocks 5.1 s, 200-row blocks 3.9 s).
COPY_BLOCK_ROWS = 200


class ExportFilterError(ValueError):
    """Bad export input; the message is meant for the person who typed it."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ExportFilter:
    """A validated filter. Dates are whole days in the project's time zone, inclusive."""

    since: dt.date | None = None
    until: dt.date | None = None
    actor: str = ""
    resident_ref: str = ""
    action: str = ""

    def describe(self) -> dict[str, object]:
        """The filter as it goes into the EXPORT event. The actor filter is free text:
        it is stored only when it names a known user or an actor in the log, so a
        resident's name typed into that field never lands in the audit log."""
        described: dict[str, object] = {
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "actor": self.actor if _is_known_actor(self.actor) else "",
            "resident_ref": self.resident_ref,
            "action": self.action,
        }
        if self.actor and not described["actor"]:
            described["actor_unknown"] = True
        return described


def _is_known_actor(name: str) -> bool:
    if not name:
        return False
    users = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: name})
    return users.exists() or AuditEvent.objects.filter(actor=name).exists()


def parse_date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ExportFilterError(
            _("%(value)s is geen bestaande datum (gebruik JJJJ-MM-DD).") % {"value": value[:20]},
            field,
        ) from None


# The days a filter may name: the period's end gets a day added (the export runs up to
# the start of the next day) and each day becomes local midnight in UTC, so date.max
# and date.min themselves are out of reach; a message, not an OverflowError.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date.max - dt.timedelta(days=1)


def _check_day(day: dt.date | None, field: str) -> None:
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise ExportFilterError(
            _("Kies een datum van %(first)s tot en met %(last)s.")
            % {"first": FIRST_DAY.strftime("%d-%m-%Y"), "last": LAST_DAY.strftime("%d-%m-%Y")},
            field,
        )


def build_filter(
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    actor: str = "",
    resident_ref: str = "",
    action: str = "",
) -> ExportFilter:
    """Validate the combination of filter values; raises ExportFilterError."""
    _check_day(since, "since")
    _check_day(until, "until")
    if since and until and until < since:
        raise ExportFilterError(_("De einddatum ligt voor de begindatum."), "until")
    if action and action not in Action.values:
        raise ExportFilterError(
            _("Onbekende actie. Kies uit: %(actions)s.") % {"actions": ", ".join(Action.values)},
            "action",
        )
    ref = ""
    if resident_ref:
        try:
            ref = str(uuid.UUID(resident_ref.strip()))
        except ValueError:
            raise ExportFilterError(
                _("Een inwonerreferentie is een UUID, zoals 123e4567-e89b-12d3-a456-426614174000."),
                "resident",
            ) from None
    return ExportFilter(since, until, actor.strip()[:150], ref, action)


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ExportFilterError(_("Onbekend formaat. Kies csv of jsonl."), "format")
    return fmt


def start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def filtered_events(flt: ExportFilter, *, through_id: int | None = None) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.order_by("id")
    if through_id is not None:
        # A stable snapshot: events written while the export streams are left out.
        qs = qs.filter(id__lte=through_id)
    if flt.since:
        qs = qs.filter(ts__gte=start_of_day(flt.since))
    if flt.until:
        qs = qs.filter(ts__lt=start_of_day(flt.until + dt.timedelta(days=1)))
    if flt.actor:
        qs = qs.filter(actor=flt.actor)
    if flt.resident_ref:
        qs = qs.filter(resident_ref=flt.resident_ref)
    if flt.action:
        qs = qs.filter(action=flt.action)
    return qs


def record_export(
    flt: ExportFilter,
    fmt: str,
    *,
    via: str,
    context: AuditContext,
) -> AuditEvent:
    """Every export writes its own event: who, which filter, which format, how."""
    return record(
        Action.EXPORT,
        context,
        detail={"format": fmt, "via": via, "filter": flt.describe()},
    )


def export_bytes(flt: ExportFilter, fmt: str, *, through_id: int | None = None) -> Iterator[bytes]:
    """The export as UTF-8, in blocks of whole lines (CSV: RFC 4180 with CRLF and a header;
    JSONL: one object per line): what the page streams and the command writes. Bytes, because
    PostgreSQL's COPY hands over bytes and both consumers write bytes."""
    check_format(fmt)
    events = filtered_events(flt, through_id=through_id)
    if fmt == "csv" and connection.vendor == "postgresql":
        yield from _csv_blocks_postgresql(events)
        return
    lines = _csv_lines(_text_row_blocks(events)) if fmt == "csv" else _jsonl_lines(events)
    for text in lines:
        yield text.encode()


def _jsonl_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    """JSON Lines in blocks of CHUNK_SIZE lines (detail: the dict as the database returns
    it, keys not sorted)."""
    rows = events.values_list(*COLUMNS).iterator(chunk_size=CHUNK_SIZE)
    while block := list(itertools.islice(rows, CHUNK_SIZE)):
        yield "".join(
            json.dumps(_as_record(row), ensure_ascii=False, separators=(",", ":")) + "\n"
            for row in block
        )


def _as_record(row: tuple[Any, ...]) -> dict[str, object]:
    values = dict(zip(COLUMNS, row, strict=True))
    values["ts"] = canonical_ts(values["ts"])
    values["source_ip"] = values["source_ip"] or ""
    return values


_TS, _SOURCE_IP, _DETAIL = COLUMNS.index("ts"), COLUMNS.index("source_ip"), COLUMNS.index("detail")


def _csv_lines(blocks: Iterator[list[tuple[str, ...]]]) -> Iterator[str]:
    """CSV, one block of whole lines per block of rows (one write per block, not per row:
    make bench found the per-row generator and write overhead a fifth of the time)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for block in blocks:
        writer.writerows(block)
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def _text_row_blocks(events: QuerySet[AuditEvent]) -> Iterator[list[tuple[str, ...]]]:
    """The events as text, COLUMNS in order, in blocks of CHUNK_SIZE rows; every value as
    _as_record() formats it (detail: JSON with sorted keys)."""
    rows = events.values_list(*COLUMNS).iterator(chunk_size=CHUNK_SIZE)
    while block := list(itertools.islice(rows, CHUNK_SIZE)):
        yield [_as_text_row(row) for row in block]


def _as_text_row(row: tuple[Any, ...]) -> tuple[str, ...]:
    values = list(row)
    values[_TS] = canonical_ts(values[_TS])
    values[_SOURCE_IP] = values[_SOURCE_IP] or ""
    values[_DETAIL] = json.dumps(values[_DETAIL], ensure_ascii=False, sort_keys=True)
    return tuple(values)


# canonical_ts() in SQL (audit/chain.py); tests/audit check both give the same file.
_PG_CANONICAL_TS = PG_CANONICAL_TS


def _csv_blocks_postgresql(events: QuerySet[AuditEvent]) -> Iterator[bytes]:
    """The same CSV as _csv_lines(), written whole by PostgreSQL: `COPY (SELECT ...) TO
    STDOUT (FORMAT csv)` quotes the cells in C exactly where csv.writer does (a cell
    holding a comma, quote, CR or LF; quotes doubled). The database renders the timestamp
    (canonical_ts()), the address (host(), as Django reads an inet) and the detail (the
    stored `detail_json` column, see audit migration 0003). Two differences remain, both
    undone here: COPY writes an empty string as `""` (so empty strings go out as NULL,
    which COPY writes as nothing), and it ends a row with LF, not CRLF. Python only joins
    the rows of a block and fixes their endings; nothing is parsed or decoded.
    (make bench: 108k rows/s when Python still re-serialised each detail; see README.)"""
    # A column the model does not declare (PostgreSQL only); our own constant names.
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    detail_json = f"{table}.{connection.ops.quote_name('detail_json')}"
    texts = events.annotate(
        ts_text=Func("ts", template=_PG_CANONICAL_TS, output_field=TextField()),
        source_ip_text=Func("source_ip", function="host", output_field=TextField()),
        detail_text=RawSQL(detail_json, ()),  # noqa: S611
    )
    renamed = {"ts": "ts_text", "source_ip": "source_ip_text", "detail": "detail_text"}
    columns = [renamed.get(c, c) for c in COLUMNS]
    inner, params = texts.values_list("id", *columns).query.sql_with_params()
    cells = ", ".join(f"nullif(e.{connection.ops.quote_name(c)}, '')" for c in columns)
    # Only our own column names and Django's compiled query go into the text; values are
    # parameters (merged by psycopg: COPY takes none of its own).
    sql = f"COPY (SELECT {cells} FROM ({inner}) AS e ORDER BY e.id) TO STDOUT (FORMAT csv)"  # noqa: S608
    yield (",".join(COLUMNS) + "\r\n").encode()
    with connection.cursor() as cursor, cursor.cursor.copy(sql, params) as copy:
        # One item per row (PostgreSQL sends each row as its own message), ending in LF.
        rows = iter(copy)
        while block := list(itertools.islice(rows, COPY_BLOCK_ROWS)):
            text = b"".join(block)
            if text.count(b"\n") == len(block):
                # No line break inside a cell: every LF ends a row.
                text = text.replace(b"\n", b"\r\n")
            else:
                text = b"".join(bytes(row[:-1]) + b"\r\n" for row in block)
            yield text
