"""intake/services.py: optimistic locking, no-op saves, reassessments, and every write's
audit event in the write's own transaction."""

import datetime as dt
import threading
from unittest import mock

import pytest
from django.db import connection, transaction

from audit.context import AuditContext
from audit.events import append
from audit.models import Action, AuditEvent
from intake.models import DomainAssessment, Intake, Resident
from intake.services import (
    Correction,
    DomainValues,
    SaveOutcome,
    SaveResult,
    VersionConflict,
    correct,
    create_intake,
    save_assessment,
    start_reassessment,
)

CONTEXT = AuditContext.system("test")


def updates(intake: Intake) -> int:
    return AuditEvent.objects.filter(
        action=Action.UPDATE, object_type="intake", object_id=str(intake.pk)
    ).count()


def append_then_fail(events):
    """The audit write succeeds, then the service fails before its transaction commits."""
    append(events)
    raise RuntimeError("disk full")


# --- Saving ---------------------------------------------------------------------------


def test_a_save_with_the_current_version_writes_and_bumps_the_version(make_intake):
    intake = make_intake()
    result = save_assessment(
        intake, 1, {"financien": DomainValues(3, "none", "a")}, context=CONTEXT
    )
    assert result == SaveResult(SaveOutcome.SAVED, ["financien"], version=2)
    assert Intake.objects.get(pk=intake.pk).version == 2


def test_a_save_writes_its_update_event_with_the_changed_domains_only(make_intake):
    intake = make_intake()
    save_assessment(intake, 1, {"financien": DomainValues(3, "none", "a")}, context=CONTEXT)
    event = AuditEvent.objects.get(action=Action.UPDATE)
    assert (event.object_type, event.object_id) == ("intake", str(intake.pk))
    assert event.resident_ref == str(intake.resident.ref)
    assert event.detail == {"domains_changed": ["financien"]}


def test_a_save_with_an_old_version_writes_nothing_and_names_the_differing_domains(make_intake):
    intake = make_intake()
    save_assessment(intake, 1, {"financien": DomainValues(3, "none", "a")}, context=CONTEXT)
    result = save_assessment(
        intake,
        1,
        {"financien": DomainValues(1, "none", "b"), "justitie": DomainValues(None, "unknown", "")},
        context=CONTEXT,
    )
    assert result == SaveResult(SaveOutcome.CONFLICT, ["financien"], version=2)
    assert DomainAssessment.objects.get(intake=intake, domain="financien").notes == "a"
    assert updates(intake) == 1  # the first save's event only


def test_saving_what_is_already_stored_is_a_no_op_even_with_an_old_version(make_intake):
    intake = make_intake()
    values = {"financien": DomainValues(3, "none", "a")}
    save_assessment(intake, 1, values, context=CONTEXT)
    again = save_assessment(intake, 1, values, context=CONTEXT)
    assert again.outcome is SaveOutcome.UNCHANGED
    assert Intake.objects.get(pk=intake.pk).version == 2
    assert updates(intake) == 1


def test_a_finalised_intake_is_never_written_and_the_result_says_finalised(make_intake):
    intake = make_intake()
    Intake.objects.filter(pk=intake.pk).update(status="finalised", version=2)
    result = save_assessment(intake, 1, {"financien": DomainValues(3, "none", "")}, context=CONTEXT)
    assert result.outcome is SaveOutcome.FINALISED  # not "someone else saved first"
    assert DomainAssessment.objects.get(intake=intake, domain="financien").score is None
    assert updates(intake) == 0


def test_the_update_event_is_in_the_saves_transaction(make_intake):
    intake = make_intake()
    with transaction.atomic():
        result = save_assessment(
            intake, 1, {"financien": DomainValues(3, "none", "a")}, context=CONTEXT
        )
        assert result.outcome is SaveOutcome.SAVED and updates(intake) == 1  # control
        transaction.set_rollback(True)
    assert updates(intake) == 0
    assert DomainAssessment.objects.get(intake=intake, domain="financien").score is None


def test_a_save_that_fails_after_its_audit_event_leaves_neither_the_values_nor_the_event(
    make_intake,
):
    intake = make_intake()
    with (
        mock.patch("intake.services.append", side_effect=append_then_fail),
        pytest.raises(RuntimeError),
    ):
        save_assessment(intake, 1, {"financien": DomainValues(3, "none", "a")}, context=CONTEXT)
    assert updates(intake) == 0
    assert Intake.objects.get(pk=intake.pk).version == 1
    assert DomainAssessment.objects.get(intake=intake, domain="financien").score is None


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
            results.append(
                save_assessment(
                    fresh, 1, {"financien": DomainValues(2, "none", notes)}, context=CONTEXT
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in ("tabblad A", "tabblad B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(r.outcome for r in results) == [SaveOutcome.CONFLICT, SaveOutcome.SAVED]
    assert Intake.objects.get(pk=intake.pk).version == 2
    assert updates(intake) == 1


# --- Creating -------------------------------------------------------------------------


def test_a_new_resident_is_created_with_the_intake_and_both_are_audited(demo_users):
    resident = Resident(name="Nieuw Persoon", date_of_birth=dt.date(1970, 1, 2))
    intake = create_intake(
        resident,
        demo_users["consulent"],
        framework="wmo",
        instrument_version="zrm2017",
        context=AuditContext.for_user(demo_users["consulent"]),
    )
    events = list(AuditEvent.objects.filter(action=Action.CREATE).order_by("id"))
    assert [(e.object_type, e.object_id) for e in events] == [
        ("resident", str(resident.pk)),
        ("intake", str(intake.pk)),
    ]
    assert {e.resident_ref for e in events} == {str(resident.ref)}
    assert events[1].detail == {"instrument_version": "zrm2017", "reassessment": False}
    assert all(e.actor == "consulent" for e in events)


def test_an_intake_for_a_stored_resident_creates_no_resident_and_one_event(make_intake):
    first = make_intake()
    count = AuditEvent.objects.filter(action=Action.CREATE, object_type="resident").count()
    create_intake(
        first.resident,
        first.caseworker,
        framework="wmo",
        instrument_version="zrm2017",
        context=CONTEXT,
    )
    assert Resident.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="resident").count() == count


def test_a_create_that_fails_after_its_audit_events_leaves_no_resident_intake_or_event(
    demo_users,
):
    with (
        mock.patch("intake.services.append", side_effect=append_then_fail),
        pytest.raises(RuntimeError),
    ):
        create_intake(
            Resident(name="Nieuw Persoon", date_of_birth=dt.date(1970, 1, 2)),
            demo_users["consulent"],
            framework="wmo",
            instrument_version="zrm2017",
            context=CONTEXT,
        )
    assert not Resident.objects.exists()
    assert not Intake.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()


def test_a_reassessment_is_linked_made_once_per_caseworker_and_audited_once(
    make_intake, demo_users
):
    first = make_intake()
    second, created = start_reassessment(first, demo_users["consulent"], context=CONTEXT)
    same, created_again = start_reassessment(first, demo_users["consulent"], context=CONTEXT)
    assert created and not created_again and same == second
    assert second.previous == first and second.resident == first.resident
    assert second.assessments.count() == 13
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(second.pk))
    assert event.detail == {"instrument_version": "zrm2017", "reassessment": True}


# --- Correcting -----------------------------------------------------------------------


def notes_correction(intake: Intake, value: str, version: int) -> Correction:
    row = DomainAssessment.objects.get(intake=intake, domain="financien")
    return Correction(
        field="domainassessment.notes",
        value=value,
        assessment_id=row.pk,
        intake_id=intake.pk,
        expected_version=version,
    )


def test_a_correction_of_a_draft_bumps_its_version_and_is_audited_by_field_name(make_intake):
    intake = make_intake()
    save_assessment(intake, 1, {"financien": DomainValues(3, "none", "a")}, context=CONTEXT)
    changed = correct(
        intake.resident,
        [notes_correction(intake, "KANARIE-CORRECTIE", 2)],
        reason="inaccurate",
        context=CONTEXT,
    )
    assert changed == ["financien:domainassessment.notes"]
    assert Intake.objects.get(pk=intake.pk).version == 3
    event = AuditEvent.objects.filter(action=Action.UPDATE).latest("id")
    assert event.detail == {"gdpr": "art16", "reason": "inaccurate", "fields": changed}
    assert "KANARIE" not in str(event.detail)


def test_a_correction_with_an_old_version_raises_and_writes_nothing(make_intake):
    intake = make_intake()
    save_assessment(intake, 1, {"financien": DomainValues(3, "none", "a")}, context=CONTEXT)
    with pytest.raises(VersionConflict):
        correct(
            intake.resident,
            [
                Correction(field="resident.address", value="Nieuw 1"),
                notes_correction(intake, "KANARIE-CORRECTIE", 1),
            ],
            reason="inaccurate",
            context=CONTEXT,
        )
    assert DomainAssessment.objects.get(intake=intake, domain="financien").notes == "a"
    assert Resident.objects.get(pk=intake.resident.pk).address == intake.resident.address
    assert Intake.objects.get(pk=intake.pk).version == 2
    assert AuditEvent.objects.filter(action=Action.UPDATE).count() == 1  # the save's only


def test_a_correction_that_fails_after_its_audit_event_leaves_neither_value_nor_event(
    make_intake,
):
    intake = make_intake()
    with (
        mock.patch("intake.services.append", side_effect=append_then_fail),
        pytest.raises(RuntimeError),
    ):
        correct(
            intake.resident,
            [Correction(field="resident.address", value="KANARIE-ADRES")],
            reason="changed",
            context=CONTEXT,
        )
    assert Resident.objects.get(pk=intake.resident.pk).address == intake.resident.address
    assert not AuditEvent.objects.filter(action=Action.UPDATE).exists()
