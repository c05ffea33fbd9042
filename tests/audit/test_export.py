import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from audit.context import AuditContext
from audit.export import COLUMNS
from audit.models import Action, AuditEvent
from tests.audit.conftest import NOBODY, RESIDENT_REF

OTHER_REF = "00000000-0000-4000-8000-000000000001"
EXPECTED_COLUMNS = [
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
]


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_audit", *args, stdout=out)
    return out.getvalue()


def test_the_export_columns_are_exactly_the_documented_ones_in_order() -> None:
    assert list(COLUMNS) == EXPECTED_COLUMNS
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    assert "`" + "`, `".join(EXPECTED_COLUMNS) + "`" in readme


def test_csv_export_has_a_header_crlf_lines_and_detail_as_json_in_one_cell(
    write_events,
) -> None:
    write_events(2, resident_ref=RESIDENT_REF, detail={"fields": ["notes", "score"], "n": 2})
    text = export("--format", "csv")
    assert text.startswith(",".join(EXPECTED_COLUMNS) + "\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    # the two events, and the export's own event written before the export started
    assert [r["action"] for r in rows] == ["read", "read", "export"]
    assert json.loads(rows[0]["detail"]) == {"fields": ["notes", "score"], "n": 2}
    assert rows[0]["resident_ref"] == RESIDENT_REF
    assert rows[1]["prev_hash"] == rows[0]["hash"]
    assert rows[0]["ts"].endswith("+00:00")


def test_jsonl_export_has_one_object_per_line_with_the_columns_in_order(write_events) -> None:
    write_events(3)
    lines = export("--format", "jsonl").splitlines()
    objects = [json.loads(line) for line in lines]
    assert len(objects) == 4
    assert all(list(o) == EXPECTED_COLUMNS for o in objects)
    assert objects[0]["detail"] == {"fields": ["notes"], "count": 1}


def test_the_export_filters_by_action_resident_actor_and_period(write_events) -> None:
    write_events(2, resident_ref=RESIDENT_REF)
    write_events(1, resident_ref=OTHER_REF, action=Action.UPDATE)
    write_events(1, at=dt.datetime(2020, 5, 5, 10, tzinfo=dt.UTC), action=Action.CREATE)
    write_events(1, context=AuditContext.system("command:seed"))

    def actions(*args: str) -> list[str]:
        return [json.loads(x)["action"] for x in export("--format", "jsonl", *args).splitlines()]

    assert actions("--resident", RESIDENT_REF) == ["read", "read"]
    assert actions("--action", "update") == ["update"]
    assert actions("--actor", "command:seed") == ["read"]
    assert actions("--since", "2020-05-05", "--until", "2020-05-05") == ["create"]
    assert actions("--until", "2020-05-04") == []
    # The CSV (COPY on PostgreSQL, with the filter's values merged into it) filters the same.
    period = export("--format", "csv", "--since", "2020-05-05", "--until", "2020-05-05")
    assert [r["action"] for r in csv.DictReader(io.StringIO(period, newline=""))] == ["create"]
    by_actor = export("--format", "csv", "--actor", "command:seed", "--action", "read")
    assert [r["actor"] for r in csv.DictReader(io.StringIO(by_actor, newline=""))] == [
        "command:seed"
    ]


def test_every_export_writes_its_own_event_with_the_filter(write_events) -> None:
    write_events(1)
    export("--format", "csv", "--action", "read", "--resident", RESIDENT_REF)
    event = AuditEvent.objects.filter(action=Action.EXPORT).get()
    assert event.detail["format"] == "csv"
    assert event.detail["via"] == "command"
    assert event.detail["filter"]["action"] == "read"
    assert event.detail["filter"]["resident_ref"] == RESIDENT_REF
    assert event.actor.startswith("command:")


def test_the_export_can_go_to_a_file(write_events, tmp_path: Path) -> None:
    write_events(2)
    target = tmp_path / "audit.csv"
    assert export("--format", "csv", "--output", str(target)) == ""
    assert target.read_bytes().count(b"\r\n") == 4


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_stdout_text_stdout_bytes_and_a_file_get_the_same_export(
    write_events, tmp_path: Path, fmt: str
) -> None:
    """The command writes bytes to a stream's binary side (sys.stdout.buffer), text to a
    text-only stream, and bytes to --output; all three are the same export."""
    write_events(
        1, context=NOBODY.on_behalf("namens é\r\n"), detail={"é": "ü", "a": [1, {"z": None}]}
    )
    target = tmp_path / "audit"

    text = export("--format", fmt)
    binary = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    call_command("export_audit", "--format", fmt, stdout=binary)
    call_command("export_audit", "--format", fmt, "--output", str(target))

    # Each export adds its own event and exports through it: the later ones are longer.
    assert binary.buffer.getvalue().startswith(text.encode())
    assert target.read_bytes().startswith(text.encode())
    assert "namens é" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "Onbekend formaat"),
        (["--format", "csv", "--since", "2026-02-30"], "geen bestaande datum"),
        (["--format", "csv", "--since", "2026-03-02", "--until", "2026-03-01"], "einddatum"),
        (["--format", "csv", "--action", "peek"], "Onbekende actie"),
        (["--format", "csv", "--until", "9999-12-31"], "Kies een datum van 01-01-1900"),
        (["--format", "csv", "--since", "0001-01-01"], "Kies een datum van 01-01-1900"),
        (["--format", "csv", "--resident", "Jansen"], "UUID"),
    ],
)
def test_bad_export_input_exits_2_with_a_clear_message(db: None, args, message) -> None:
    with pytest.raises(CommandError) as exc:
        export(*args)
    assert exc.value.returncode == 2
    assert message in str(exc.value)
    assert not AuditEvent.objects.exists()


def test_the_real_command_line_exits_2_on_an_unknown_format() -> None:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "export_audit", "--format", "xml"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**os.environ},
        check=False,
    )
    assert result.returncode == 2
    assert "Onbekend formaat" in result.stderr


def test_every_csv_value_is_the_documented_formatting_of_the_stored_event(write_events) -> None:
    """On PostgreSQL the database formats timestamps and addresses and hands over the detail
    as jsonb text (audit/export.py); the file must be what formatting each stored value in
    Python gives: the canonical UTC timestamp, the address, the detail with sorted keys."""
    from django.test import RequestFactory

    from audit.chain import canonical_ts

    details = [
        {"zz": 1, "a": [True, None], "nested": {"long_key": "x", "k": 'é ü " , \\n'}},
        {"page": "intake_list", "results": 0, "filters": ["status"], "searched": False},
        {},
    ]
    request = RequestFactory(REMOTE_ADDR="2001:db8::1").get("/")
    for detail in details:
        write_events(1, detail=detail, context=AuditContext.for_request(request))
    write_events(1, at=dt.datetime(2026, 3, 29, 1, 30, 0, 5, tzinfo=dt.UTC), detail=details[0])

    rows = list(csv.reader(io.StringIO(export("--format", "csv"), newline="")))[1:]

    stored = AuditEvent.objects.order_by("id")
    assert len(rows) == stored.count() == 5
    for row, event in zip(rows, stored, strict=True):
        assert row[0] == canonical_ts(event.ts)
        assert row[10] == (event.source_ip or "")
        assert row[12] == json.dumps(event.detail, ensure_ascii=False, sort_keys=True)
        assert row[14] == event.hash
    assert rows[0][10] == "2001:db8::1"
    assert rows[3][0] == "2026-03-29T01:30:00.000005+00:00"


# Details as awkward as record() lets them be (str, int, bool, None, lists, dicts):
# keys whose code point order differs from jsonb's (length first), nesting at every
# level, CSV's own specials, every control character, non-ASCII, big numbers.
AWKWARD_DETAILS = [
    {},
    {"": "empty key", "b": 1, "aa": 2, "Z": 3, "é": 4, "z": 5, "zz": {"y": [], "x": {}}},
    {"a,b": 'x"y', "quote": '"', "comma": ",", "both": '",', "semi": ";", "tab": "a\tb"},
    {"k": "line\nbreak", "cr": "a\rb", "crlf": "a\r\nb", "é": ["ü", 1]},
    {"controls": "".join(chr(c) for c in range(1, 32)) + "\x7f", "backslash": "\\ \\n /"},
    {"ünïcödé": "€ 𝄞 😀 \u2028 \u2029 \ufeff 中文", "中": {"文": "字"}},
    {"ints": [0, -1, 2**63, -(2**70), 10**30], "bools": [True, False, None], "n": -0},
    {"nested": [{"b": [{"d": 1, "c": [{}, []]}], "a": None}, [[["deep"]]], [{"ba": 1, "c": 2}]]},
    {"filter": {"since": "", "until": "", "actor": "", "resident_ref": "", "action": ""}},
    {"long_key_first": 1, "k": 2, "page": "intake_detail", "domains_changed": ["werk"]},
    {"s": " leading and trailing spaces ", "empty": "", "list": [""], "null": None},
]


def expected_csv() -> str:
    """The export as csv.writer writes it from the stored events (the SQLite path's
    formatting, _as_text_row(): detail as json.dumps with sorted keys)."""
    from audit.export import _as_text_row, build_filter, filtered_events

    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    events = filtered_events(build_filter()).values_list(*COLUMNS)
    writer.writerows(_as_text_row(row) for row in events)
    return expected.getvalue()


@pytest.mark.parametrize("line_break_in_a_cell", [True, False])
@pytest.mark.parametrize("chunk_size", [2000, 2])
def test_the_csv_is_byte_for_byte_what_the_csv_module_writes(
    write_events, monkeypatch, line_break_in_a_cell: bool, chunk_size: int
) -> None:
    """On PostgreSQL, COPY writes the whole file (audit/export.py): quotes, commas and line
    breaks in any column, and the detail with sorted keys, must come out exactly as
    csv.writer writes them. With and without a line break inside a cell (the export
    turns COPY's LF row ends into CRLF block by block, or row by row when a cell holds an
    LF), in one block and in blocks of two rows."""
    monkeypatch.setattr("audit.export.CHUNK_SIZE", chunk_size)
    monkeypatch.setattr("audit.export.COPY_BLOCK_ROWS", chunk_size)
    if line_break_in_a_cell:
        write_events(
            1, context=NOBODY.on_behalf('kantoor "Noord", team\r\n2'), detail={"a,b": 'x"y'}
        )
    write_events(1, context=AuditContext.system("command:plain"), detail={})
    write_events(1, purpose="wmo", detail={"k": "line\nbreak", "é": ["ü", 1]})
    for detail in AWKWARD_DETAILS:
        write_events(1, resident_ref=RESIDENT_REF, detail=detail)

    text = export("--format", "csv")

    assert text == expected_csv()
    assert ('kantoor ""Noord"", team\r\n2' in text) is line_break_in_a_cell
    details = [row[12] for row in csv.reader(io.StringIO(text, newline=""))][1:]
    assert details[-len(AWKWARD_DETAILS) - 1 : -1] == [
        json.dumps(detail, ensure_ascii=False, sort_keys=True) for detail in AWKWARD_DETAILS
    ]


@pytest.mark.postgres
def test_postgresql_stores_each_detail_as_the_export_writes_it(write_events) -> None:
    """audit migration 0003: the generated detail_json column is json.dumps(detail,
    ensure_ascii=False, sort_keys=True) of the stored detail, and nobody can set it."""
    from django.db import DatabaseError, connection, transaction

    events = [write_events(1, detail=detail)[0] for detail in AWKWARD_DETAILS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, detail_json FROM audit_auditevent ORDER BY id")
        stored = dict(cursor.fetchall())
    for event, detail in zip(events, AWKWARD_DETAILS, strict=True):
        assert stored[event.pk] == json.dumps(detail, ensure_ascii=False, sort_keys=True)
        assert event.detail == detail
    with (
        pytest.raises(DatabaseError, match="generated column"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("INSERT INTO audit_auditevent (detail_json) VALUES ('{}')")
