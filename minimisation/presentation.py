"""Dutch labels for a Decision, for the preview and decision pages (no values, ever)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from intake.instrument import instrument
from minimisation.decide import Decision, FieldDecision

FIELD_LABELS = {
    "resident.name": _("naam"),
    "resident.date_of_birth": _("geboortedatum"),
    "resident.bsn": _("BSN"),
    "resident.address": _("adres"),
    "resident.phone": _("telefoon"),
    "resident.email": _("e-mail"),
    "resident.ref": _("referentie van de inwoner"),
    "resident.created_at": _("inwoner aangemaakt op"),
    "intake.resident": _("koppeling aan de inwoner"),
    "intake.framework": _("wettelijk kader"),
    "intake.created_at": _("datum aanvraag"),
    "intake.finalised_at": _("datum afronding"),
    "intake.outcome": _("uitkomst"),
    "intake.status": _("status"),
    "intake.caseworker": _("consulent"),
    "intake.team": _("team"),
    "intake.instrument_version": _("versie instrument"),
    "intake.previous": _("vorige meting"),
    "intake.version": _("versienummer"),
    "intake.updated_at": _("laatst gewijzigd"),
    "domainassessment.score": _("score"),
    "domainassessment.help_need": _("hulpvraag"),
    "domainassessment.notes": _("toelichting"),
}


@dataclass(frozen=True)
class FieldRow:
    label: str
    keep: bool
    rule_id: str
    reason: str
    retention_until: dt.date | None


@dataclass(frozen=True)
class DomainSection:
    code: str
    name: str
    special_category: str
    rows: tuple[FieldRow, ...]


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def rows_of(fields: tuple[FieldDecision, ...]) -> tuple[FieldRow, ...]:
    return tuple(
        FieldRow(field_label(f.field), f.keep, f.rule_id, f.reason, f.retention_until)
        for f in fields
    )


def resident_rows(decision: Decision) -> tuple[FieldRow, ...]:
    return rows_of(tuple(f for f in decision.fields if f.field.startswith("resident.")))


def intake_rows(decision: Decision) -> tuple[FieldRow, ...]:
    return rows_of(tuple(f for f in decision.fields if f.field.startswith("intake.")))


def domain_sections(decision: Decision, instrument_version: str) -> list[DomainSection]:
    """One section per domain of the instrument, in the instrument's order."""
    sections = []
    known = instrument(instrument_version).domain_codes
    for code in sorted({f.domain for f in decision.fields if f.domain} - set(known)):
        # A domain the instrument does not know still shows, so nothing is destroyed unseen.
        sections.append(DomainSection(code, code, "", rows_of(decision.for_domain(code))))
    for domain in instrument(instrument_version).domains:
        sections.append(
            DomainSection(
                code=domain.code,
                name=str(domain.name),
                special_category=domain.special_category,
                rows=rows_of(decision.for_domain(domain.code)),
            )
        )
    return sections


def domain_name(instrument_version: str, code: str) -> str:
    try:
        return str(instrument(instrument_version).domain(code).name)
    except KeyError:
        return code
