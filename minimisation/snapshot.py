"""Build the plain-data IntakeSnapshot that decide() works on: the only DB read for a decision."""

import datetime as dt

from intake.models import Intake, IntakeStatus, Resident
from minimisation.decide import SHARED_RULE_ID, DomainSnapshot, IntakeSnapshot
from minimisation.models import KeptField
from minimisation.policy import RESIDENT_FIELDS


def resident_fields_present(resident: Resident) -> frozenset[str]:
    present = set()
    for name in RESIDENT_FIELDS:
        value = getattr(resident, name.split(".", 1)[1])
        if value not in (None, ""):
            present.add(name)
    return frozenset(present)


def resident_fields_needed_elsewhere(
    resident_id: int, excluding_intake_id: int | None, today: dt.date
) -> frozenset[str]:
    """Resident fields another live intake still needs: a draft needs all it captured,
    a finalised intake the fields its decision kept (until their retention date)."""
    others = Intake.objects.filter(resident_id=resident_id)
    if excluding_intake_id is not None:
        others = others.exclude(pk=excluding_intake_id)
    if others.filter(status=IntakeStatus.DRAFT).exists():
        return frozenset(RESIDENT_FIELDS)
    kept = (
        KeptField.objects.filter(
            decision__intake__in=others.filter(status=IntakeStatus.FINALISED),
            decision__retention_until__gte=today,
            field__in=RESIDENT_FIELDS,
        )
        .exclude(rule_id=SHARED_RULE_ID)
        .values_list("field", flat=True)
    )
    return frozenset(kept)


def snapshot_of(intake: Intake, today: dt.date) -> IntakeSnapshot:
    resident = intake.resident
    return IntakeSnapshot(
        intake_id=intake.pk,
        intake_version=intake.version,
        resident_ref=str(resident.ref),
        framework=intake.framework,
        domains=tuple(
            DomainSnapshot(
                code=a.domain, score=a.score, help_need=a.help_need, has_notes=bool(a.notes)
            )
            for a in intake.assessments.order_by("domain")
        ),
        resident_fields_present=resident_fields_present(resident),
        resident_fields_held_elsewhere=resident_fields_needed_elsewhere(
            resident.pk, intake.pk, today
        ),
    )
