"""intake/capture.py: optimistic locking, no-op saves, reassessments."""

import threading

import pytest
from django.db import connection

from intake.capture import DomainValues, SaveResult, create_reassessment, save_assessment
from intake.models import DomainAssessment, Intake


def test_a_save_with_the_current_version_writes_and_bumps_the_version(make_intake):
    intake = make_intake()
    result = save_assessment(intake, 1, {"financien": DomainValues(3, "none", "a")})
    assert result == SaveResult(
        saved=True, conflict=False, changed_domains=["financien"], version=2
    )
    assert Intake.objects.get(pk=intake.pk).version == 2


def test_a_save_with_an_old_version_writes_nothing_and_names_the_differing_domains(make_intake):
    intake = make_intake()
    save_assessment(intake, 1, {"financien": DomainValues(3, "none", "a")})
    result = save_assessment(
        intake,
        1,
        {"financien": DomainValues(1, "none", "b"), "justitie": DomainValues(None, "unknown", "")},
    )
    assert result.conflict and not result.saved
    assert result.changed_domains == ["financien"]
    assert DomainAssessment.objects.get(intake=intake, domain="financien").notes == "a"


def test_saving_what_is_already_stored_is_a_no_op_even_with_an_old_version(make_intake):
    intake = make_intake()
    values = {"financien": DomainValues(3, "none", "a")}
    save_assessment(intake, 1, values)
    again = save_assessment(intake, 1, values)
    assert not again.saved and not again.conflict
    assert Intake.objects.get(pk=intake.pk).version == 2


def test_a_finalised_intake_is_never_written(make_intake):
    intake = make_intake()
    Intake.objects.filter(pk=intake.pk).update(status="finalised")
    result = save_assessment(intake, 1, {"financien": DomainValues(3, "none", "")})
    assert result.conflict
    assert DomainAssessment.objects.get(intake=intake, domain="financien").score is None


def test_a_reassessment_is_linked_and_made_once_per_caseworker(make_intake, demo_users):
    first = make_intake()
    second, created = create_reassessment(first, demo_users["consulent2"])
    same, created_again = create_reassessment(first, demo_users["consulent2"])
    assert created and not created_again and same == second
    assert second.previous == first and second.resident == first.resident
    assert second.assessments.count() == 13


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_the_same_version_write_exactly_one(make_intake):
    intake = make_intake()
    barrier = threading.Barrier(2)
    results: list[SaveResult] = []

    def save(notes: str) -> None:
        try:
            barrier.wait(timeout=10)
            fresh = Intake.objects.get(pk=intake.pk)
            results.append(save_assessment(fresh, 1, {"financien": DomainValues(2, "none", notes)}))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in ("tabblad A", "tabblad B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted((r.saved, r.conflict) for r in results) == [(False, True), (True, False)]
    assert Intake.objects.get(pk=intake.pk).version == 2
