"""Load the municipality's licensed ZRM cell definitions (JSON; format in the README)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.context import AuditContext
from audit.events import record
from audit.models import Action, Outcome
from intake.definitions import DefinitionFileError, load_definitions, read_definitions_file

COMMAND = AuditContext.system("command:load_zrm_definitions")


class Command(BaseCommand):
    help = (
        "Laadt de officiële ZRM-definities uit een JSON-bestand van de gemeente. "
        "Alles of niets: bij één fout wordt niets geladen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="pad naar het JSON-bestand")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            result = load_definitions(read_definitions_file(path))
        except DefinitionFileError as exc:
            record(
                Action.LOAD_DEFINITIONS,
                COMMAND,
                outcome=Outcome.ERROR,
                detail={"file": path.name, "problems": len(exc.problems)},
            )
            raise CommandError(
                "ZRM-definities niet geladen (er is niets gewijzigd):\n- "
                + "\n- ".join(exc.problems)
            ) from None
        record(
            Action.LOAD_DEFINITIONS,
            COMMAND,
            detail={
                "file": path.name,
                "instrument_version": result.instrument_version,
                "domains": result.domains,
                "definitions": result.definitions,
            },
        )
        self.stdout.write(
            f"{result.definitions} ZRM-definities geladen voor {result.instrument_version} "
            f"({result.domains} domeinen)."
        )
