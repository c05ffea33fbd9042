"""Export the audit log as CSV or JSON Lines, streamed (stdout by default)."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.export import (
    FORMATS,
    ExportFilterError,
    build_filter,
    check_format,
    export_bytes,
    parse_date,
    record_export,
)
from audit.management.commands._actor import command_context


class Command(BaseCommand):
    # No system checks before an export (as Django's own dumpdata): they import every URLconf
    # and view module, a fifth of a second per run that the export itself never uses.
    requires_system_checks: list[str] = []
    help = (
        "Export the audit log. Columns: ts, actor, actor_role, on_behalf_of, action, "
        "object_type, object_id, resident_ref, purpose, outcome, source_ip, request_id, "
        "detail, prev_hash, hash, event_type, event_action_code, data_life_cycle, sensitivity, "
        "processing_activity, source_system. Dates are whole days, inclusive. Bad input exits 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # No `choices=`: argparse would exit 2 too, but with a less helpful message.
        parser.add_argument("--format", required=True, help=" or ".join(FORMATS))
        parser.add_argument("--since", metavar="DATE")
        parser.add_argument("--until", metavar="DATE")
        parser.add_argument("--actor", metavar="USERNAME", default="")
        parser.add_argument("--resident", metavar="REF", default="")
        parser.add_argument("--action", metavar="ACTION", default="")
        parser.add_argument("--output", metavar="FILE", help="write here instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            fmt = check_format(options["format"])
            flt = build_filter(
                since=parse_date(options["since"], "since") if options["since"] else None,
                until=parse_date(options["until"], "until") if options["until"] else None,
                actor=options["actor"],
                resident_ref=options["resident"],
                action=options["action"],
            )
        except ExportFilterError as exc:
            raise CommandError(f"--{exc.field or 'input'}: {exc}", returncode=2) from None

        event = record_export(flt, fmt, via="command", context=command_context())
        blocks = export_bytes(flt, fmt, through_id=event.pk)
        if options["output"]:
            with Path(options["output"]).open("wb") as out:
                out.writelines(blocks)
            return
        # self.stdout adds a newline per write and may translate endings: bypass it, and
        # write the bytes as they are when the stream has a binary side.
        target = options.get("stdout") or sys.stdout
        binary = getattr(target, "buffer", None)
        if binary is None:
            for block in blocks:
                target.write(block.decode())
            return
        target.flush()
        binary.writelines(blocks)
        binary.flush()
