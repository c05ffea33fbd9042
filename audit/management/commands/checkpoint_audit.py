"""Append a checkpoint event and write the signed checkpoint (stdout, or --output FILE)."""

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.checkpoint import CheckpointError, take_checkpoint
from audit.management.commands._actor import command_context


class Command(BaseCommand):
    help = (
        "Append a `checkpoint` event to the audit log and write a signed checkpoint "
        "(C2SP tlog-checkpoint in a signed note, Ed25519, key from AUDIT_CHECKPOINT_KEY). "
        "Copy it off this host: verify_audit --checkpoint checks the chain against it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", metavar="FILE", help="write here instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint, note = take_checkpoint(command_context())
        except CheckpointError as exc:
            raise CommandError(str(exc), returncode=1) from None
        if not options["output"]:
            self.stdout.write(note, ending="")
            return
        # Written whole under a temporary name, then renamed: a copy job never sees half.
        target = Path(options["output"])
        partial = target.with_name(f".{target.name}.partial")
        partial.write_text(note, encoding="utf-8")
        os.replace(partial, target)
        self.stderr.write(
            f"checkpoint of event {checkpoint.event_id} (tree size {checkpoint.size}) "
            f"written to {target}"
        )
