"""Row locks on intakes and residents, taken in the one order every writer keeps.

The order itself, and why, is in intake/services.py's docstring. These helpers take the
locks of one step of it, several rows always in id order, so that two writers locking
the same rows queue up instead of each holding what the other waits for.

Plain FOR UPDATE on purpose: PostgreSQL checks a foreign key by taking FOR KEY SHARE on
the referenced row, and Django's foreign keys are checked at commit, after the audit
chain's lock. A writer that inserts a row naming an intake or a resident (a
reassessment, a permission row) therefore locks that intake or resident here first:
at commit it then already holds the row, and never waits for it while holding the
chain.
"""

from __future__ import annotations

from collections.abc import Iterable

from intake.models import Intake, Resident


class IntakeGone(Exception):  # noqa: N818 - reads as a sentence
    """The intake was destroyed (sweep, erasure) while the writer waited for its lock."""

    def __init__(self, intake_id: int) -> None:
        super().__init__(f"intake {intake_id} no longer exists")
        self.intake_id = intake_id


class ResidentGone(Exception):  # noqa: N818
    """The resident was destroyed (sweep, erasure) while the writer waited for its lock."""

    def __init__(self, resident_id: int) -> None:
        super().__init__(f"resident {resident_id} no longer exists")
        self.resident_id = resident_id


def lock_intake(intake_id: int, *, and_resident: bool = False) -> Intake:
    """The intake row, locked until the transaction ends; IntakeGone if it is destroyed.

    The resident comes along for its ref, not locked (a later step of the order), or,
    with `and_resident`, locked in the same statement, after the intake: PostgreSQL
    locks a row of each table in the order the FOR UPDATE OF clause names them (one
    round trip less for finalise, whose statement count make bench watches)."""
    locked = (
        Intake.objects.select_for_update(of=("self", "resident") if and_resident else ("self",))
        .select_related("resident")
        .filter(pk=intake_id)
        .first()
    )
    if locked is None:
        raise IntakeGone(intake_id)
    return locked


def lock_intakes(intake_ids: Iterable[int]) -> list[Intake]:
    """These intake rows, locked in id order; the ones that no longer exist are left out."""
    return list(
        Intake.objects.select_for_update(of=("self",)).filter(pk__in=set(intake_ids)).order_by("pk")
    )


def lock_residents(resident_ids: Iterable[int]) -> list[Resident]:
    """These resident rows, locked in id order; the ones that no longer exist are left out."""
    return list(
        Resident.objects.select_for_update().filter(pk__in=set(resident_ids)).order_by("pk")
    )
