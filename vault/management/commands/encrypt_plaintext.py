"""manage.py encrypt_plaintext: seal the values stored before encryption (once, after
migrating; see README "Vernietigen op PostgreSQL", then VACUUM FULL)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from audit.context import AuditContext
from audit.events import record
from audit.models import Action
from vault.migration_of_plaintext import seal_existing_plaintext


class Command(BaseCommand):
    help = "Versleutel persoonsgegevens die van voor de versleuteling nog leesbaar zijn opgeslagen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = seal_existing_plaintext(max(1, options["batch_size"]))
        record(
            Action.UPDATE,
            AuditContext.system("command:encrypt_plaintext"),
            detail={"sealed_rows": sealed},
        )
        for label, count in sealed.items():
            self.stdout.write(f"encrypt_plaintext: {label}: {count} rows sealed")
