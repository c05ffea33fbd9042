"""Capturing an intake: create it, save the caseworker's assessment, start a reassessment.

Saving uses optimistic locking on Intake.version: a save names the version the
form was built from, and writes only if that is still the current version. A
second identical submit (double click, browser resend) is a harmless no-op.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.roles import teams_of
from intake.access import grant_caseworker
from intake.models import DomainAssessment, HelpNeed, Intake, IntakeStatus, Resident


@dataclass(frozen=True)
class DomainValues:
    score: int | None
    help_need: str
    notes: str


@dataclass(frozen=True)
class SaveResult:
    saved: bool  # something was written
    conflict: bool  # someone saved first; nothing written
    changed_domains: list[str] = field(default_factory=list)  # written, or in conflict
    version: int = 0  # the intake's current version after the call


@transaction.atomic
def create_intake(
    resident: Resident,
    caseworker: AbstractBaseUser,
    *,
    framework: str,
    instrument_version: str,
    previous: Intake | None = None,
) -> Intake:
    """A new draft with one "niet besproken" row per domain, granted to its caseworker."""
    intake = Intake.objects.create(
        resident=resident,
        caseworker=caseworker,
        team=teams_of(caseworker).order_by("name").first(),
        framework=framework,
        instrument_version=instrument_version,
        previous=previous,
    )
    DomainAssessment.objects.bulk_create(
        DomainAssessment(intake=intake, domain=code, help_need=HelpNeed.UNKNOWN)
        for code in intake.instrument.domain_codes
    )
    grant_caseworker(intake)
    return intake


def create_reassessment(previous: Intake, caseworker: AbstractBaseUser) -> tuple[Intake, bool]:
    """A new draft for the same resident linked to `previous`; (intake, created).

    An open draft reassessment of `previous` by the same caseworker is reused, so
    a double click on "Nieuwe meting" never makes two.
    """
    with transaction.atomic():
        existing = (
            Intake.objects.filter(
                previous=previous, caseworker=caseworker, status=IntakeStatus.DRAFT
            )
            .order_by("pk")
            .first()
        )
        if existing is not None:
            return existing, False
        intake = create_intake(
            previous.resident,
            caseworker,
            framework=previous.framework,
            instrument_version=previous.instrument_version,
            previous=previous,
        )
        return intake, True


def _differing(rows: dict[str, DomainAssessment], values: dict[str, DomainValues]) -> list[str]:
    return [
        code
        for code, v in values.items()
        if code not in rows or not rows[code].same_content_as(v.score, v.help_need, v.notes)
    ]


@transaction.atomic
def save_assessment(
    intake: Intake, expected_version: int, values: dict[str, DomainValues]
) -> SaveResult:
    """Write the submitted domain values if `expected_version` is still current."""
    rows = {row.domain: row for row in intake.assessments.select_for_update()}
    changed = _differing(rows, values)
    if not changed:
        current = Intake.objects.values_list("version", flat=True).get(pk=intake.pk)
        return SaveResult(saved=False, conflict=False, version=current)
    claimed = Intake.objects.filter(
        pk=intake.pk, version=expected_version, status=IntakeStatus.DRAFT
    ).update(version=F("version") + 1, updated_at=timezone.now())
    if not claimed:
        # Someone saved first. Report which submitted domains differ from what is stored now.
        # A fresh query, not intake.assessments.all(): that may be a prefetched, older copy.
        fresh = {row.domain: row for row in DomainAssessment.objects.filter(intake=intake)}
        current = Intake.objects.values_list("version", flat=True).get(pk=intake.pk)
        return SaveResult(
            saved=False, conflict=True, changed_domains=_differing(fresh, values), version=current
        )
    to_update, to_create = [], []
    for code in changed:
        v = values[code]
        row = rows.get(code)
        if row is None:
            to_create.append(DomainAssessment(intake=intake, domain=code))
            row = to_create[-1]
        else:
            to_update.append(row)
        row.score, row.help_need, row.notes = v.score, v.help_need, v.notes
    DomainAssessment.objects.bulk_update(to_update, ["score", "help_need", "notes"])
    DomainAssessment.objects.bulk_create(to_create)
    return SaveResult(
        saved=True, conflict=False, changed_domains=changed, version=expected_version + 1
    )
