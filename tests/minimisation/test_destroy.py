"""destroy_intakes() deletes table by table instead of through Django's delete collector.

These tests hold it to the collector: the same rows deleted (guardian permissions,
decision records, orphaned residents, a reassessment's reference), nothing else, and the
same DISCARD events. The reference below is destroy_intakes() as it was before, with the
collector doing the deleting.
"""

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from audit.context import AuditContext
from audit.events import Event, append
from audit.models import Action, AuditEvent
from intake.access import VIEW_INTAKE, VIEW_RESIDENT
from intake.models import (
    DomainAssessment,
    Intake,
    IntakeGroupObjectPermission,
    IntakeUserObjectPermission,
    Resident,
    ResidentGroupObjectPermission,
    ResidentUserObjectPermission,
)
from minimisation import sweep as sweep_module
from minimisation.destruction import (
    INTAKE_DEPENDENTS,
    RESIDENT_DEPENDENTS,
    Destroyed,
    release_fields_not_needed,
)
from minimisation.models import DecisionRecord, DiscardedField, KeptField
from tests.audit.conftest import verify
from tests.factories import finalise_now
from vault.fields import referenced_key_ids
from vault.models import DataKey

NOW = timezone.now()
TODAY = timezone.localdate(NOW)


def collector_destroy_intakes(
    intakes: list[Intake], *, rule_id: str, today: dt.date, context: AuditContext
) -> list[Destroyed]:
    """The reference: destroy_intakes() before the explicit deletes (commit 2822201), with
    Django's collector doing every delete."""
    intakes = sorted(intakes, key=lambda i: i.pk)
    intake_ids = [i.pk for i in intakes]
    residents = {
        r.pk: r
        for r in Resident.objects.select_for_update()
        .filter(pk__in={i.resident_id for i in intakes})
        .order_by("pk")
    }
    assessments = dict(
        DomainAssessment.objects.filter(intake_id__in=intake_ids)
        .values("intake_id")
        .annotate(n=models.Count("pk"))
        .values_list("intake_id", "n")
    )
    IntakeUserObjectPermission.objects.filter(content_object_id__in=intake_ids).delete()
    IntakeGroupObjectPermission.objects.filter(content_object_id__in=intake_ids).delete()
    Intake.objects.filter(pk__in=intake_ids).delete()
    still_used = set(
        Intake.objects.filter(resident_id__in=residents).values_list("resident_id", flat=True)
    )
    unused = [pk for pk in residents if pk not in still_used]
    if unused:
        ResidentUserObjectPermission.objects.filter(content_object_id__in=unused).delete()
        ResidentGroupObjectPermission.objects.filter(content_object_id__in=unused).delete()
        Resident.objects.filter(pk__in=unused).delete()
    for resident_id in sorted(still_used):
        release_fields_not_needed(resident_id, today)
    last_of_resident = {i.resident_id: i.pk for i in intakes}
    destroyed, events = [], []
    for intake in intakes:
        resident_deleted = (
            intake.resident_id not in still_used
            and last_of_resident[intake.resident_id] == intake.pk
        )
        resident_ref = str(residents[intake.resident_id].ref)
        count = assessments.get(intake.pk, 0)
        events.append(
            Event(
                action=Action.DISCARD,
                context=context,
                resident_ref=resident_ref,
                purpose=intake.framework,
                detail={
                    "intake": intake.pk,
                    "rule": rule_id,
                    "assessments_deleted": count,
                    "resident_deleted": resident_deleted,
                },
            )
        )
        destroyed.append(Destroyed(intake.pk, resident_ref, count, resident_deleted))
    append(events)
    return destroyed


def age(obj: models.Model, days: int) -> None:
    type(obj).objects.filter(pk=obj.pk).update(created_at=NOW - dt.timedelta(days=days))


def database() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table but the audit log's and the data keys', by model (the
    collector knows nothing of data keys: test_keys_of_destroyed_values_are_destroyed)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model not in (AuditEvent, DataKey)
    }


def events() -> list[dict[str, Any]]:
    """The audit log without what differs between two runs (id, time, hashes)."""
    return [
        {
            **{k: v for k, v in e.items() if k not in ("id", "ts", "prev_hash", "hash")},
            "detail": {k: v for k, v in e["detail"].items() if k != "keys_destroyed"},
        }
        for e in AuditEvent.objects.order_by("id").values()
    ]


@pytest.fixture
def estate(make_intake, demo_users) -> dict[str, Any]:
    """Expired drafts and kept data past retention, beside intakes that must stay."""
    team = Group.objects.create(name="team-test")
    domains = {"financien": (2, "none", "x"), "werk": (3, "none", "y")}
    alone = make_intake(domains=domains)  # expired, its resident goes with it
    assign_perm(VIEW_INTAKE, team, alone)
    assign_perm(VIEW_RESIDENT, team, alone.resident)
    pair_first = make_intake(domains=domains)  # two expired intakes of one resident,
    pair_second = make_intake(resident=pair_first.resident)  # in two batches of two
    shared = make_intake(domains=domains)  # expired; its resident has a live intake
    live = make_intake(resident=shared.resident, domains=domains)
    reassessment = make_intake(domains=domains)  # live, refers to an expired intake
    Intake.objects.filter(pk=reassessment.pk).update(previous=alone)
    neighbour = make_intake(domains=domains, name="Buur Blijft")  # live, untouched
    assign_perm(VIEW_INTAKE, team, neighbour)
    assign_perm(VIEW_RESIDENT, team, neighbour.resident)
    helped = make_intake(domains={"financien": (2, "confirmed", "x")})  # past retention
    refused = make_intake(resident=helped.resident, domains={"financien": (4, "none", "")})
    finalise_now(helped, TODAY)
    kept = finalise_now(refused, TODAY)  # keeps resident fields for `helped`'s sake (GEDEELD)
    DecisionRecord.objects.filter(intake=helped).update(retention_until=TODAY - dt.timedelta(1))
    for intake in (alone, pair_first, pair_second, shared):
        age(intake, 60)
    orphan = Resident.objects.create(name="Wees", date_of_birth=dt.date(1990, 1, 1))
    assign_perm(VIEW_RESIDENT, demo_users["consulent"], orphan)
    age(orphan, 60)
    fresh_orphan = Resident.objects.create(name="Net Begonnen", date_of_birth=dt.date(1990, 1, 1))
    return {
        "doomed": [alone, pair_first, pair_second, shared, helped],
        "alone": alone,
        "shared": shared,
        "live": live,
        "reassessment": reassessment,
        "neighbour": neighbour,
        "refused": refused,
        "kept": kept,
        "orphan": orphan,
        "fresh_orphan": fresh_orphan,
    }


@pytest.mark.django_db
def test_the_sweep_deletes_the_same_rows_and_writes_the_same_events_as_the_collector(
    estate, monkeypatch
):
    before = database()
    with transaction.atomic():
        with monkeypatch.context() as patch:
            patch.setattr(sweep_module, "destroy_intakes", collector_destroy_intakes)
            reference = sweep_module.purge(now=NOW, batch_size=2)
        by_collector, collector_events = database(), events()
        transaction.set_rollback(True)
    assert database() == before  # the reference run left nothing behind

    result = sweep_module.purge(now=NOW, batch_size=2)

    assert database() == by_collector
    assert events() == collector_events
    assert result == reference
    # Every data key left belongs to a value still stored; the destroyed values' went.
    assert set(DataKey.objects.values_list("id", flat=True)) == set(referenced_key_ids())
    assert DataKey.objects.exists()
    assert verify()[0] == 0
    # And what that state is, so the test does not only trust the reference.
    doomed = [i.pk for i in estate["doomed"]]
    assert not Intake.objects.filter(pk__in=doomed).exists()
    assert not DomainAssessment.objects.filter(intake_id__in=doomed).exists()
    assert not IntakeUserObjectPermission.objects.filter(content_object_id__in=doomed).exists()
    assert not IntakeGroupObjectPermission.objects.filter(content_object_id__in=doomed).exists()
    assert not DecisionRecord.objects.filter(intake_id__in=doomed).exists()
    gone = [estate["alone"].resident_id, estate["orphan"].pk, estate["doomed"][1].resident_id]
    assert not Resident.objects.filter(pk__in=gone).exists()
    assert not ResidentUserObjectPermission.objects.filter(content_object_id__in=gone).exists()
    assert not ResidentGroupObjectPermission.objects.filter(content_object_id__in=gone).exists()
    neighbour = estate["neighbour"]
    assert Intake.objects.filter(pk=neighbour.pk).exists()
    # Untouched: every row of its instrument plus the one of a domain it does not know.
    assert DomainAssessment.objects.filter(intake=neighbour).count() == (
        len(neighbour.instrument.domain_codes) + 1
    )
    assert IntakeUserObjectPermission.objects.filter(content_object=neighbour).count() == 2
    # The team leads' row (as every intake has) and team-test's.
    assert IntakeGroupObjectPermission.objects.filter(content_object=neighbour).count() == 2
    assert Resident.objects.get(pk=neighbour.resident_id).name == "Buur Blijft"
    assert ResidentGroupObjectPermission.objects.filter(
        content_object_id=neighbour.resident_id
    ).exists()
    assert Intake.objects.get(pk=estate["reassessment"].pk).previous_id is None
    assert Resident.objects.filter(pk=estate["shared"].resident_id).exists()
    assert Intake.objects.filter(pk=estate["live"].pk).exists()
    assert Resident.objects.filter(pk=estate["fresh_orphan"].pk).exists()
    assert not KeptField.objects.filter(decision=estate["kept"], rule_id="GEDEELD").exists()
    assert KeptField.objects.filter(decision=estate["kept"]).exists()
    discards = AuditEvent.objects.filter(action=Action.DISCARD, detail__has_key="intake")
    assert sorted(e.detail["intake"] for e in discards) == sorted(doomed)


def test_every_relation_to_an_intake_or_a_resident_is_one_destroy_intakes_handles():
    """A new foreign key to an intake or a resident must be added to destroy_intakes()."""

    def relations(model: type[models.Model]) -> set[tuple[type[models.Model], str]]:
        return {(rel.related_model, rel.field.name) for rel in model._meta.related_objects}

    def direct(dependents) -> set[tuple[type[models.Model], str]]:
        return {(d.model, d.via) for d in dependents if "__" not in d.via}

    assert relations(Intake) == direct(INTAKE_DEPENDENTS)
    # A reassessment's `previous` is set to NULL, not deleted.
    assert [d.via for d in INTAKE_DEPENDENTS if d.set_null] == ["previous"]
    # An intake refers to its resident: the resident goes once no intake is left.
    assert relations(Resident) == direct(RESIDENT_DEPENDENTS) | {(Intake, "resident")}
    # Kept fields go through their decision record, before it.
    assert relations(DecisionRecord) == {(KeptField, "decision"), (DiscardedField, "decision")}
    vias = [(d.model, d.via) for d in INTAKE_DEPENDENTS]
    assert vias.index((KeptField, "decision__intake")) < vias.index((DecisionRecord, "intake"))
    assert vias.index((DiscardedField, "decision__intake")) < vias.index((DecisionRecord, "intake"))
    for dependent in (*INTAKE_DEPENDENTS, *RESIDENT_DEPENDENTS):
        if dependent.model not in (Intake, DecisionRecord):
            assert relations(dependent.model) == set(), dependent.model
