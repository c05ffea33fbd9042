"""Create the audit table's partitions for this month and the next ones (PostgreSQL)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from audit.partitions import MONTHS_AHEAD, ensure_ahead, monthly_partitions, partitioned


class Command(BaseCommand):
    help = (
        "Create the audit log's monthly partitions ahead of time (this month and the next "
        f"{MONTHS_AHEAD}, or --months). checkpoint_audit does the same every hour; run this "
        "daily where checkpoints are not scheduled. Nothing to do on SQLite."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=MONTHS_AHEAD)

    def handle(self, *args: Any, months: int, **options: Any) -> None:
        if not partitioned():
            self.stdout.write("SQLite: the audit log is one table, no partitions.")
            return
        created = ensure_ahead(months=max(months, 0))
        self.stdout.write(f"Created: {', '.join(created) or 'nothing (all there)'}.")
        names = [p.name for p in monthly_partitions()]
        self.stdout.write(f"Month partitions: {len(names)}, newest {names[-1] if names else '-'}.")
