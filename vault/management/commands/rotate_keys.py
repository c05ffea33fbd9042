"""manage.py rotate_keys: a new KEK, every live data key re-wrapped, the old KEK destroyed.

Run it daily (README, "Vernietigen op PostgreSQL"); safe on several hosts at once and
resumable after a crash. `--search-key` also rotates the blind index's search key.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from audit.context import AuditContext
from audit.events import record
from audit.models import Action
from vault.rotation import rotate


class Command(BaseCommand):
    help = "Roteer de sleutel-versleutelingssleutel (en met --search-key de zoeksleutel)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=settings.ROTATE_BATCH_SIZE)
        parser.add_argument("--search-key", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        result = rotate(batch_size=max(1, options["batch_size"]), search_key=options["search_key"])
        if not result.ran:
            self.stdout.write("rotate_keys: another rotation is running; nothing done.")
            return
        detail = {
            "target_kek": result.target_kek,
            "resumed": result.resumed,
            "rewrapped": result.rewrapped,
            "unreadable_deleted": result.unreadable_deleted,
            "keks_destroyed": len(result.keks_destroyed),
            "search_keys_destroyed": len(result.search_keys_destroyed),
            "reindexed": result.reindexed,
        }
        record(Action.ROTATE_KEYS, AuditContext.system("command:rotate_keys"), detail=detail)
        self.stdout.write(
            f"rotate_keys: {result.rewrapped} data keys re-wrapped under {result.target_kek}"
            f"{' (resumed)' if result.resumed else ''}; "
            f"{len(result.keks_destroyed)} old KEK(s) destroyed"
            + (
                f"; search key rotated, {result.reindexed} residents reindexed"
                if options["search_key"]
                else ""
            )
            + "."
        )
