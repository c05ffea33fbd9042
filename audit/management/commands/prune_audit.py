"""Remove audit events older than the retention term (AUDIT_RETENTION_DAYS)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.management.commands._dates import date_argument, start_of_day
from audit.prune import PruneRefusedError, earliest_allowed_cutoff, prune_before
from audit.transient import scheduled


class Command(BaseCommand):
    help = (
        "Remove audit events before DATE (YYYY-MM-DD, start of that day), if DATE lies at "
        "least AUDIT_RETENTION_DAYS in the past. Writes a PRUNE event recording the range "
        "and the hash the chain continues from."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--before", metavar="DATE", required=True)

    def handle(self, *args: Any, before: str, **options: Any) -> None:
        cutoff = start_of_day(date_argument(before, "--before"))
        latest = earliest_allowed_cutoff()
        if cutoff > latest:
            raise CommandError(
                f"--before {before}: events younger than the retention term may not be "
                f"removed; the latest allowed date is {latest.date().isoformat()}.",
                returncode=2,
            )
        try:
            # Idempotent: run again, it removes nothing already removed.
            result = scheduled(lambda: prune_before(cutoff), what="prune_audit")
        except PruneRefusedError as exc:
            raise CommandError(str(exc), returncode=1) from None
        if result.event is None:
            self.stdout.write(f"Nothing to remove before {before}.")
            return
        self.stdout.write(
            f"Removed {result.removed} events (ids {result.event.detail['first_removed_id']}"
            f"-{result.event.detail['last_removed_id']}); prune event {result.event.pk} "
            f"continues from {result.event.detail['continues_from']}."
        )
        if result.dropped_partitions:
            self.stdout.write(f"Dropped whole months: {', '.join(result.dropped_partitions)}.")
