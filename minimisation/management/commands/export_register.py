"""manage.py export_register: the processing register (GDPR art. 30) from the policy."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from minimisation.register import render


class Command(BaseCommand):
    help = "Exporteert het verwerkingsregister (AVG art. 30), gemaakt uit het beleid."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=("md", "csv", "json"), default="md")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(render(options["format"]), ending="")
