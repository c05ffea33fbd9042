"""Loading the licensed ZRM cell definitions from the municipality's JSON file.

The official texts are (c) GGD Amsterdam and never ship with this repository;
see the README for the file format. Loading is all-or-nothing: one problem
anywhere in the file and nothing is written.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from intake.instrument import INSTRUMENTS, SCALE_LABELS
from intake.models import ZrmDefinition

FORMAT = "zrm-definities/1"
LEVELS = tuple(SCALE_LABELS)
MAX_TEXT = 2000


class DefinitionFileError(Exception):
    """The file cannot be loaded; `problems` lists every reason, in Dutch."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class LoadResult:
    instrument_version: str
    domains: int
    definitions: int


def parse_definitions(data: Any) -> tuple[str, list[ZrmDefinition]]:
    """Validate the parsed JSON; unsaved ZrmDefinition rows, or DefinitionFileError."""
    if not isinstance(data, dict):
        raise DefinitionFileError(["Het bestand moet één JSON-object bevatten."])
    problems: list[str] = []
    if data.get("format") != FORMAT:
        problems.append(f'Onbekend formaat: verwacht "format": "{FORMAT}".')
    version = data.get("instrument_version")
    if version not in INSTRUMENTS:
        known = ", ".join(INSTRUMENTS)
        raise DefinitionFileError(
            [*problems, f"Onbekende instrumentversie {version!r}; bekend zijn: {known}."]
        )
    domains = data.get("domains")
    if not isinstance(domains, dict):
        raise DefinitionFileError([*problems, '"domains" moet een object per domein zijn.'])
    instrument = INSTRUMENTS[version]
    rows: list[ZrmDefinition] = []
    for code in domains:
        if code not in instrument.domain_codes:
            problems.append(f"Onbekend domein {code!r} voor {version}.")
    for code in instrument.domain_codes:
        levels = domains.get(code)
        if levels is None:
            problems.append(f"Domein {code!r} ontbreekt.")
            continue
        if not isinstance(levels, dict):
            problems.append(f"Domein {code!r}: verwacht een object met niveaus 1 tot en met 5.")
            continue
        for key in levels:
            if key not in {str(level) for level in LEVELS}:
                problems.append(f"Domein {code!r}: onbekend niveau {key!r} (alleen 1 t/m 5).")
        for level in LEVELS:
            text = levels.get(str(level))
            if not isinstance(text, str) or not text.strip():
                problems.append(f"Domein {code!r}: niveau {level} ontbreekt of is leeg.")
            elif len(text) > MAX_TEXT:
                problems.append(f"Domein {code!r}: niveau {level} is langer dan {MAX_TEXT} tekens.")
            else:
                rows.append(
                    ZrmDefinition(
                        instrument_version=version, domain=code, level=level, text=text.strip()
                    )
                )
    if problems:
        raise DefinitionFileError(problems)
    return version, rows


def read_definitions_file(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DefinitionFileError([f"Bestand niet gevonden: {path}"]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DefinitionFileError([f"Geen geldige JSON (UTF-8): {exc}"]) from None


@transaction.atomic
def load_definitions(data: Any) -> LoadResult:
    """Replace the definitions of the file's instrument version, all or nothing."""
    version, rows = parse_definitions(data)
    ZrmDefinition.objects.filter(instrument_version=version).delete()
    ZrmDefinition.objects.bulk_create(rows)
    return LoadResult(
        instrument_version=version,
        domains=len({row.domain for row in rows}),
        definitions=len(rows),
    )


def definitions_by_domain(version: str) -> dict[str, dict[int, str]]:
    """{domain code: {level: text}} for one instrument version, in one query."""
    result: dict[str, dict[int, str]] = {}
    for domain, level, text in ZrmDefinition.objects.filter(instrument_version=version).values_list(
        "domain", "level", "text"
    ):
        result.setdefault(domain, {})[level] = text
    return result
