"""Every pair of writers of one intake's data, forced to meet at a lock: no deadlock,
no error a user would see as a 500, and a consistent result (the lock order of
intake/services.py's docstring).

The world of each race: a resident with two expired drafts, the newer a reassessment of
the older (the chain the sweep must destroy in one go), and the newer one scored.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from django.utils import timezone

from audit.context import AuditContext
from audit.models import Action, AuditEvent
from intake.models import DomainAssessment, Intake, IntakeStatus, Resident
from intake.services import (
    Correction,
    DomainValues,
    IntakeGone,
    ReassignmentError,
    SaveOutcome,
    VersionConflict,
    correct,
    reassign,
    save_assessment,
    start_reassessment,
)
from minimisation.decide import decide, snapshot_of
from minimisation.finalising import FinaliseError, finalise
from minimisation.models import DecisionRecord
from minimisation.policy import POLICY
from minimisation.sweep import purge
from privacy.resident_requests import ErasureBlocked, erase
from tests.audit.conftest import verify
from tests.races import chain_hold, intake_hold, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = ("save", "finalise", "reassess", "reassign", "correct", "erase", "sweep")
PAIRS = list(itertools.combinations_with_replacement(WRITERS, 2))


def _world(make_intake) -> Intake:
    older = make_intake(domains={"financien": (2, "confirmed", "oud")})
    draft = make_intake(previous=older, domains={"financien": (2, "confirmed", "schulden")})
    long_ago = timezone.now() - dt.timedelta(days=60)
    Intake.objects.filter(pk__in=[older.pk, draft.pk]).update(created_at=long_ago)
    draft.refresh_from_db()
    return draft


def _writers(draft: Intake, users) -> dict[str, Callable[[], object]]:
    """Each writer as its view calls it; the label says which expected outcome it had.
    Anything it raises besides those is what a user would get as a 500."""
    today = timezone.localdate()
    shown = decide(snapshot_of(draft, today), POLICY, today)
    version = draft.version
    row = DomainAssessment.objects.get(intake=draft, domain="financien")
    caseworker = AuditContext.for_user(users["consulent"])

    def save() -> object:
        fresh = Intake.objects.get(pk=draft.pk)
        values = {"financien": DomainValues(3, "confirmed", "nieuw")}
        return save_assessment(fresh, version, values, context=caseworker).outcome

    def do_finalise() -> object:
        try:
            finalise(
                draft.pk, digest=shown.digest, context=caseworker, decided_by=None, today=today
            )
        except FinaliseError as exc:
            return type(exc).__name__
        return "finalised"

    def reassess() -> object:
        try:
            start_reassessment(draft, users["consulent"], context=caseworker)
        except IntakeGone:
            return "gone"
        return "reassessed"

    def do_reassign() -> object:
        try:
            reassign(draft, users["consulent2"], context=AuditContext.for_user(users["teamleider"]))
        except ReassignmentError as exc:
            return f"refused: {exc}"
        return "reassigned"

    def do_correct() -> object:
        resident = Resident.objects.get(pk=draft.resident_id)
        corrections = [
            Correction(field="resident.address", value="Nieuwe Straat 1"),
            Correction(
                field="domainassessment.notes",
                value="gecorrigeerd",
                assessment_id=row.pk,
                intake_id=draft.pk,
                expected_version=version,
            ),
        ]
        try:
            correct(resident, corrections, reason="inaccurate", context=caseworker)
        except VersionConflict:
            return "conflict"
        return "corrected"

    def do_erase() -> object:
        resident = Resident.objects.get(pk=draft.resident_id)
        try:
            erase(resident, reason="withdrawn", context=caseworker, today=today)
        except ErasureBlocked:
            return "blocked"
        return "erased"

    def sweep() -> object:
        return purge(now=timezone.now(), batch_size=1).intakes

    return {
        "save": save,
        "finalise": do_finalise,
        "reassess": reassess,
        "reassign": do_reassign,
        "correct": do_correct,
        "erase": do_erase,
        "sweep": sweep,
    }


def _assert_consistent(draft_id: int) -> None:
    assert verify()[0] == 0  # the chain is whole
    intake = Intake.objects.filter(pk=draft_id).first()
    if intake is None:
        destroyed = AuditEvent.objects.filter(action=Action.DISCARD, detail__intake=draft_id)
        assert destroyed.count() == 1
        return
    records = DecisionRecord.objects.filter(intake=intake).count()
    assert records == (1 if intake.status == IntakeStatus.FINALISED else 0)
    assert AuditEvent.objects.filter(action=Action.FINALISE, object_id=str(draft_id)).count() == (
        records
    )


def _failures(results: list[object]) -> list[BaseException]:
    return [r for r in results if isinstance(r, BaseException)]


ORDERED = list(itertools.product(WRITERS, repeat=2))


@pytest.mark.parametrize(("first", "second"), PAIRS, ids=["-".join(p) for p in PAIRS])
def test_two_writers_released_together_neither_deadlock_nor_fail(
    make_intake, demo_users, first, second
):
    draft = _world(make_intake)
    writers = _writers(draft, demo_users)
    results = race([writers[first], writers[second]], hold=intake_hold(draft.pk))
    assert _failures(results) == [], results
    _assert_consistent(draft.pk)


@pytest.mark.parametrize(("first", "second"), ORDERED, ids=["-".join(p) for p in ORDERED])
def test_a_writer_that_runs_into_anothers_locks_neither_deadlocks_nor_fails(
    make_intake, demo_users, first, second
):
    """`first` takes all its row locks and waits at the audit chain; `second` then runs
    into them. Released, they finish in some order: no cycle of waits."""
    draft = _world(make_intake)
    writers = _writers(draft, demo_users)
    results = race([writers[first], writers[second]], hold=chain_hold(), staggered=True)
    assert _failures(results) == [], results
    _assert_consistent(draft.pk)


def test_a_save_that_loses_to_a_finalise_says_the_intake_was_finalised(make_intake, demo_users):
    draft = _world(make_intake)
    writers = _writers(draft, demo_users)
    results = race([writers["finalise"], writers["save"]], hold=chain_hold(), staggered=True)
    assert results == ["finalised", SaveOutcome.FINALISED]
