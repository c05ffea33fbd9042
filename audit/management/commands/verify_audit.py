"""Walk the audit chain, recompute every hash and link, report the first bad event."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.checkpoint import Checkpoint, CheckpointError, load_public_key, open_note
from audit.management.commands._dates import date_argument, start_of_day
from audit.models import AuditEvent
from audit.transient import scheduled
from audit.verify import verify_chain


class Command(BaseCommand):
    # No system checks first (as export_audit): they import every URLconf and view module,
    # a second or two that the walk never uses.
    requires_system_checks: list[str] = []
    help = (
        "Verify the audit log's hash chain. Prints the number of events verified and the "
        "head hash; on a broken link prints the first bad event id and exits 1. With "
        "--checkpoint and --public-key it also checks a signed checkpoint: its signature, "
        "that the chain at the checkpoint's event ends in its head hash, and that it goes "
        "on validly from there. Progress goes to stderr every few seconds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since",
            metavar="DATE",
            help="start at the first event at/after DATE (YYYY-MM-DD), trusting its prev_hash",
        )
        parser.add_argument("--checkpoint", metavar="FILE", help="a signed checkpoint")
        parser.add_argument("--public-key", metavar="PEM", help="the checkpoint key's public half")

    def handle(self, *args: Any, since: str | None = None, **options: Any) -> None:
        checkpoint = self._checkpoint(options.get("checkpoint"), options.get("public_key"))
        if checkpoint is not None and since:
            raise CommandError("--since and --checkpoint exclude each other.", returncode=2)
        first_id = None
        if since:
            first_id = self._first_id_since(since)
            if first_id is None:  # nothing at/after DATE: an empty walk
                self.stdout.write("OK: 0 events verified.")
                return
        result = scheduled(  # read-only: safe to walk again after a transient error
            lambda: verify_chain(first_id=first_id, checkpoint=checkpoint, progress=self._progress),
            what="verify_audit",
        )
        if not result.ok:
            self.stderr.write(
                f"BROKEN: first bad event id {result.first_bad_id} ({result.reason}); "
                f"{result.verified} events verified before it."
            )
            raise CommandError(f"audit chain broken at event {result.first_bad_id}", returncode=1)
        # One line for cron mail. Keep the head hash somewhere else (or better, a signed
        # checkpoint): a chain rewritten from scratch by someone with database access would
        # not match it.
        line = f"OK: {result.verified} events verified."
        if checkpoint is not None:
            line += (
                f" checkpoint: event {checkpoint.event_id}, tree size {checkpoint.size}, "
                f"signed {checkpoint.ts.isoformat()}: matches."
            )
        if result.head_hash:
            line += f" head hash: {result.head_hash}"
        self.stdout.write(line)

    def _progress(self, count: int, last_id: int) -> None:
        self.stderr.write(f"... {count} events verified (event id {last_id})")

    def _checkpoint(self, path: str | None, public_key: str | None) -> Checkpoint | None:
        if not path and not public_key:
            return None
        if not (path and public_key):
            raise CommandError("--checkpoint needs --public-key, and back.", returncode=2)
        try:
            checkpoint = open_note(
                Path(path).read_text(encoding="utf-8"), load_public_key(public_key)
            )
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read the checkpoint {path}: {exc}", returncode=2) from None
        except CheckpointError as exc:
            self.stderr.write(f"BROKEN: checkpoint {path}: {exc}.")
            raise CommandError(f"checkpoint {path} does not verify: {exc}", returncode=1) from None
        if checkpoint.origin != settings.AUDIT_INSTALLATION_NAME:
            message = (
                f"the checkpoint's origin {checkpoint.origin!r} is not this installation's "
                f"({settings.AUDIT_INSTALLATION_NAME!r})"
            )
            self.stderr.write(f"BROKEN: {message}.")
            raise CommandError(message, returncode=1)
        return checkpoint

    @staticmethod
    def _first_id_since(since: str) -> int | None:
        moment = start_of_day(date_argument(since, "--since"))
        return (
            AuditEvent.objects.filter(ts__gte=moment)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
