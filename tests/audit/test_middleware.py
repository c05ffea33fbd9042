import datetime as dt
import uuid

import pytest
from django.test import Client, override_settings

from audit.models import Action, AuditEvent, Outcome
from intake.access import grant_caseworker
from intake.models import Framework, Intake, Resident


@pytest.fixture
def intake_of_consulent(demo_users) -> Intake:
    resident = Resident.objects.create(name="Canary Resident", date_of_birth=dt.date(1980, 1, 1))
    intake = Intake.objects.create(
        resident=resident, caseworker=demo_users["consulent"], framework=Framework.choices[0][0]
    )
    grant_caseworker(intake)
    return intake


def test_every_response_carries_a_request_id(db: None, client: Client) -> None:
    first = client.get("/aanmelden/")["X-Request-ID"]
    second = client.get("/aanmelden/")["X-Request-ID"]
    assert first != second
    assert uuid.UUID(first)


def test_a_sane_request_id_from_the_proxy_is_kept(db: None, client: Client) -> None:
    offered = "0123456789abcdef0123456789abcdef"
    assert client.get("/aanmelden/", HTTP_X_REQUEST_ID=offered)["X-Request-ID"] == offered


@pytest.mark.parametrize("offered", ["Jan Jansen", "x" * 20, "0123<script>4567890", "12345"])
def test_a_request_id_that_is_not_hex_is_replaced(db: None, client: Client, offered) -> None:
    returned = client.get("/aanmelden/", HTTP_X_REQUEST_ID=offered)["X-Request-ID"]
    assert returned != offered
    assert uuid.UUID(returned)


def test_another_caseworkers_intake_answers_404_and_is_logged_as_denied(
    signed_in, intake_of_consulent
) -> None:
    client = signed_in("consulent2")
    response = client.get(f"/intakes/{intake_of_consulent.pk}/", HTTP_X_REQUEST_ID="ab" * 16)
    assert response.status_code == 404
    event = AuditEvent.objects.get(action=Action.ACCESS_DENIED)
    assert event.actor == "consulent2"
    assert event.actor_role == "consulent"
    assert event.outcome == Outcome.DENIED
    assert event.request_id == "ab" * 16
    assert event.source_ip == "127.0.0.1"
    assert event.detail == {
        "reason": "status_404",
        "status": 404,
        "view": "intake:detail",
        "method": "GET",
        "object_id": str(intake_of_consulent.pk),
    }


def test_the_own_intake_is_read_not_denied(signed_in, intake_of_consulent) -> None:
    response = signed_in("consulent").get(f"/intakes/{intake_of_consulent.pk}/")
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action=Action.ACCESS_DENIED).exists()
    read = AuditEvent.objects.get(action=Action.READ)
    assert read.resident_ref == str(intake_of_consulent.resident.ref)


def test_a_non_numeric_intake_id_is_denied_without_storing_it(signed_in) -> None:
    assert signed_in("consulent").get("/intakes/Jansen/").status_code == 404
    event = AuditEvent.objects.get(action=Action.ACCESS_DENIED)
    assert event.detail["view"] == "intake:detail"
    assert "object_id" not in event.detail
    assert "Jansen" not in str(event.detail)


def test_an_anonymous_request_for_resident_data_is_logged_as_denied(
    client: Client, intake_of_consulent
) -> None:
    response = client.get(f"/intakes/{intake_of_consulent.pk}/?q=Jansen")
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=Action.ACCESS_DENIED)
    assert (event.actor, event.detail["reason"]) == ("", "not_signed_in")
    assert "Jansen" not in str(event.detail)


def test_an_anonymous_request_for_the_start_page_is_not_an_access_denial(
    db: None, client: Client
) -> None:
    assert client.get("/").status_code == 302
    assert not AuditEvent.objects.filter(action=Action.ACCESS_DENIED).exists()


def test_a_url_that_matches_no_view_is_not_logged(signed_in) -> None:
    assert signed_in("consulent").get("/nergens/Jansen/").status_code == 404
    assert not AuditEvent.objects.filter(action=Action.ACCESS_DENIED).exists()


@override_settings(AUDIT_RESIDENT_URL_PREFIXES=("/elders/",))
def test_the_resident_data_prefixes_come_from_the_settings(client: Client, db: None) -> None:
    client.get("/intakes/1/")
    assert not AuditEvent.objects.filter(action=Action.ACCESS_DENIED).exists()
