"""Every audit event that processes resident data names its processing activity, an id of
the processing register, which is generated from the policy (Logboek Dataverwerkingen)."""

import datetime as dt
import hashlib
import json

import pytest
from django.urls import reverse

from audit.chain import HASHED_FIELDS, canonical_ts, event_hash
from audit.context import AuditContext
from audit.events import record
from audit.models import Action, AuditEvent
from intake.models import Intake
from minimisation.models import DecisionRecord
from minimisation.policy import POLICY
from minimisation.register import register_rows
from tests.minimisation.test_rule_ids import FRAMEWORK_DOMAINS, finalise, purge

RESIDENT = "123e4567-e89b-12d3-a456-426614174000"
NEW_COLUMNS = (
    "event_type",
    "event_action_code",
    "data_life_cycle",
    "sensitivity",
    "processing_activity",
    "source_system",
)


def test_each_register_row_names_its_processing_activity_by_a_stable_id() -> None:
    activities = {row.rule_id: row.processing_activity for row in register_rows()}
    assert activities["WMO-GEZONDHEID"] == "VA-WMO"
    assert activities["BEWAARTERMIJN-VERSTREKEN"] == "VA-VERNIETIGING"
    assert activities["AVG-ART17"] == "VA-VERZOEK"
    assert {g.activity_id for g in POLICY.groups()} == {
        "VA-WMO",
        "VA-JEUGDWET",
        "VA-PARTICIPATIEWET",
        "VA-SCHULDHULP",
        "VA-GEEN-HULPVRAAG",
        "VA-AFRONDEN",
        "VA-CONCEPT",
        "VA-VERNIETIGING",
        "VA-VERZOEK",
    }


@pytest.mark.django_db
def test_every_event_about_a_resident_names_an_activity_of_the_register(
    make_intake, signed_in
) -> None:
    caseworker = signed_in("consulent")
    helped = [
        make_intake(framework=rule_set.framework, domains=FRAMEWORK_DOMAINS)
        for rule_set in POLICY.rule_sets
    ]
    caseworker.get(reverse("intake:detail", kwargs={"pk": helped[0].pk}))
    for intake in helped:
        finalise(caseworker, intake)
    to_erase = make_intake(domains={"financien": (3, "unknown", "")})
    signed_in("privacy").post(
        reverse("privacy:erase", kwargs={"ref": to_erase.resident.ref}),
        {"reason": "withdrawn", "bevestigd": "on"},
    )
    DecisionRecord.objects.filter(intake=helped[1]).update(retention_until=dt.date(2000, 1, 1))
    purge()
    assert not Intake.objects.filter(pk=helped[1].pk).exists()

    register = {row.processing_activity for row in register_rows()}
    about_residents = AuditEvent.objects.exclude(resident_ref="")
    activities = set(about_residents.values_list("processing_activity", flat=True))
    assert "" not in activities
    assert activities <= register
    # Each path reached its own activity (else the check above proves little).
    assert {"VA-WMO", "VA-JEUGDWET", "VA-VERZOEK", "VA-VERNIETIGING"} <= activities
    read = about_residents.filter(action=Action.READ).first()
    assert (read.processing_activity, read.sensitivity) == ("VA-WMO", "special")
    assert (read.event_type, read.event_action_code, read.data_life_cycle) == (
        "access",
        "R",
        "access",
    )
    purged = about_residents.filter(action=Action.DISCARD, processing_activity="VA-VERNIETIGING")
    assert purged.first().data_life_cycle == "permanent_erasure"


@pytest.mark.django_db
def test_the_derived_columns_are_hashed_and_an_event_from_before_them_still_verifies(
    settings,
) -> None:
    settings.AUDIT_INSTALLATION_NAME = "zrm.gemeente.example/audit"
    event = record(Action.READ, AuditContext.system("test"), resident_ref=RESIDENT, purpose="wmo")
    assert (event.source_system, event.processing_activity) == (
        "zrm.gemeente.example/audit",
        "VA-WMO",
    )
    fields = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert event_hash(fields) == event.hash
    assert event_hash({**fields, "processing_activity": "VA-SCHULDHULP"}) != event.hash
    # An event written before the columns existed has them empty: it hashes as it did,
    # over the fifteen original fields only.
    old = {**fields, **dict.fromkeys(NEW_COLUMNS, "")}
    original = {name: old[name] for name in HASHED_FIELDS if name not in NEW_COLUMNS}
    original["ts"] = canonical_ts(original["ts"])
    encoded = json.dumps(original, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert len(original) == 15
    assert event_hash(old) == hashlib.sha256(encoded.encode()).hexdigest()


@pytest.mark.django_db
def test_a_login_is_an_authentication_event_without_a_processing_activity() -> None:
    event = record(Action.LOGIN, AuditContext.system("test"))
    assert (event.event_type, event.event_action_code) == ("authentication", "E")
    assert (event.processing_activity, event.sensitivity, event.data_life_cycle) == ("", "", "")
