"""Names, BSNs, birth dates and notes never reach a log line or the audit log."""

import json
import logging

from audit.models import AuditEvent
from tests.intake.conftest import CANARY_NAME, CANARY_NOTE, form_data

CANARY_BSN = "999999990"
CANARY_BIRTH_DATE = "1977-07-17"


def test_a_whole_intake_leaves_no_personal_data_in_logs_or_audit_events(signed_in, caplog):
    caplog.set_level(logging.DEBUG)
    client = signed_in("consulent2")
    client.post(
        "/intakes/nieuw/",
        {
            "name": CANARY_NAME,
            "date_of_birth": CANARY_BIRTH_DATE,
            "bsn": CANARY_BSN,
            "framework": "jeugdwet",
            "instrument_version": "zrm2017",
            "token": "4a0e7d4e-86a4-4b5e-9d7c-6f0b5e2a9c10",
        },
    )
    from intake.models import Intake

    intake = Intake.objects.search(CANARY_NAME).get()
    client.post("/intakes/", {"q": CANARY_NAME})
    client.post("/intakes/nieuw/", {"q": CANARY_BSN, "zoek": "Zoeken"})
    client.post(
        f"/intakes/{intake.pk}/bewerken/",
        form_data(intake, financien=(2, "confirmed", CANARY_NOTE)),
    )
    client.post(
        f"/intakes/{intake.pk}/bewerken/", form_data(intake, financien=(9, "x", "y" * 3000))
    )
    client.get(f"/intakes/{intake.pk}/")
    client.post(f"/intakes/{intake.pk}/nieuwe-meting/")

    events = json.dumps(list(AuditEvent.objects.values()), default=str)
    for canary in (CANARY_NAME, CANARY_NOTE, CANARY_BSN, CANARY_BIRTH_DATE, "17-07-1977"):
        assert canary not in events
        assert canary not in caplog.text
    assert str(intake.resident.ref) in events  # residents are referred to by ref only
    assert str(intake.resident) == f"inwoner {intake.resident.ref}"
