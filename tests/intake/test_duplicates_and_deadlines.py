"""One BSN, one resident; a second open draft is offered, not made by accident; every
draft shows when it will be destroyed."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import Action, AuditEvent
from intake.models import Intake, Resident
from minimisation.policy import POLICY

BSN = "999999990"


def new_intake_post(**resident) -> dict[str, str]:
    data = {
        "name": "Tweede Invoer",
        "date_of_birth": "1980-01-01",
        "bsn": BSN,
        "framework": "wmo",
        "instrument_version": "zrm2017",
        "token": "2b1c1a4e-0000-4000-8000-000000000001",
    }
    data.update(resident)
    return data


def test_the_database_refuses_a_second_resident_with_the_same_bsn(db):
    Resident.objects.create(name="Een", date_of_birth=dt.date(1980, 1, 1), bsn=BSN)
    Resident.objects.create(name="Zonder BSN", date_of_birth=dt.date(1980, 1, 1))
    Resident.objects.create(name="Ook zonder", date_of_birth=dt.date(1980, 1, 1))  # "" twice
    with pytest.raises(IntegrityError), transaction.atomic():
        Resident.objects.create(name="Twee", date_of_birth=dt.date(1980, 1, 1), bsn=BSN)


def test_a_known_bsn_of_a_resident_the_caseworker_cannot_see_is_named_not_shown(
    signed_in, make_intake
):
    other = make_intake("consulent2", name="Geheime Naam", bsn=BSN)
    response = signed_in("consulent").post("/intakes/nieuw/", new_intake_post())
    page = response.content.decode()
    assert response.status_code == 200
    assert "al bekend bij de gemeente" in page and "teamleider" in page
    assert "Geheime Naam" not in page
    assert Resident.objects.with_bsn(BSN).count() == 1
    assert Intake.objects.count() == 1
    event = AuditEvent.objects.get(action=Action.ACCESS_DENIED, detail__reason="bsn_already_known")
    assert event.resident_ref == str(other.resident.ref)
    assert BSN not in str(event.detail) and "Geheime" not in str(event.detail)


def test_a_known_bsn_of_a_visible_resident_points_to_choosing_that_resident(signed_in, make_intake):
    make_intake("consulent", name="Bekende Inwoner", bsn=BSN)
    page = signed_in("consulent").post("/intakes/nieuw/", new_intake_post()).content.decode()
    assert "Er is al een inwoner met dit BSN" in page
    assert Resident.objects.with_bsn(BSN).count() == 1


def test_a_new_bsn_still_makes_a_resident(signed_in, demo_users):
    response = signed_in("consulent").post("/intakes/nieuw/", new_intake_post())
    assert response.status_code == 302  # positive control
    assert Resident.objects.with_bsn(BSN).count() == 1


def test_a_second_open_draft_for_the_same_resident_is_offered_not_made(signed_in, make_intake):
    first = make_intake()
    client = signed_in("consulent")
    url = f"/intakes/nieuw/?inwoner={first.resident.ref}"
    page = client.get(url).content.decode()
    assert f'href="/intakes/{first.pk}/bewerken/"' in page and "al een open concept" in page
    data = {
        "inwoner": str(first.resident.ref),
        "framework": "participatiewet",
        "instrument_version": "zrm2017",
        "token": "2b1c1a4e-0000-4000-8000-000000000002",
    }
    client.post("/intakes/nieuw/", data)
    assert Intake.objects.filter(resident=first.resident).count() == 1
    client.post("/intakes/nieuw/", {**data, "toch_nieuw": "ja"})
    assert Intake.objects.filter(resident=first.resident).count() == 2


def test_the_list_and_the_form_show_the_draft_destruction_date_with_a_notice_in_the_last_week(
    signed_in, make_intake
):
    fresh = make_intake(name="Vers Concept")
    old = make_intake(name="Oud Concept")
    created = timezone.now() - dt.timedelta(days=38)
    Intake.objects.filter(pk=old.pk).update(created_at=created)
    client = signed_in("consulent")
    listing = client.get("/intakes/").content.decode()
    last_fresh = POLICY.draft_expires_on(timezone.localdate(fresh.created_at)) - dt.timedelta(1)
    assert last_fresh.strftime("%d-%m-%Y") in listing
    assert listing.count("laatste week") == 1
    form = client.get(f"/intakes/{old.pk}/bewerken/").content.decode()
    assert (
        "<strong>Let op:</strong>" in form and "wordt vernietigd als het niet is afgerond" in form
    )
    form = client.get(f"/intakes/{fresh.pk}/bewerken/").content.decode()
    assert (
        "<strong>Let op:</strong>" not in form
        and "wordt vernietigd als het niet is afgerond" in form
    )
