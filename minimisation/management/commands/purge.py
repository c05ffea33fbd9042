"""manage.py purge: the scheduled retention sweep (see README for cron and systemd)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from audit.transient import scheduled
from minimisation.policy import POLICY
from minimisation.sweep import purge


class Command(BaseCommand):
    help = (
        f"Vernietigt concepten ouder dan {POLICY.draft_term.label()} en bewaarde gegevens "
        "waarvan de bewaartermijn verstreken is. Veilig om op meerdere servers tegelijk te "
        "draaien."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Toon alleen referenties en aantallen; verander niets.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=200,
            help="Aantal intakes per transactie (standaard 200).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size: int = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size moet minstens 1 zijn.")
        dry_run: bool = options["dry_run"]
        # Idempotent: a run that failed halfway is finished by the next one.
        result = scheduled(
            lambda: purge(now=timezone.now(), batch_size=batch_size, dry_run=dry_run),
            what="purge",
        )
        if dry_run:
            for pk in result.expired_drafts:
                self.stdout.write(f"concept verlopen: intake {pk}")
            for pk in result.past_retention:
                self.stdout.write(f"bewaartermijn verstreken: intake {pk}")
            for ref in result.orphan_residents:
                self.stdout.write(f"inwoner zonder intake: {ref}")
        self.stdout.write(result.summary(dry_run))
