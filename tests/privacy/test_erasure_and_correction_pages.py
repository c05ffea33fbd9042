"""The privacy officer's erasure says who and what, needs a deliberate confirm and warns
about a colleague's running draft; a correction may clear an optional field."""

import datetime as dt

import pytest
from django.urls import reverse

from intake.models import Intake, Resident
from tests.factories import finalise_now

pytestmark = pytest.mark.django_db


def erase_url(resident) -> str:
    return reverse("privacy:erase", kwargs={"ref": resident.ref})


def correct_url(resident) -> str:
    return reverse("privacy:correct", kwargs={"ref": resident.ref})


def test_the_erasure_page_names_the_resident_and_what_will_go_and_warns_about_a_draft(
    make_intake, signed_in
):
    intake = make_intake(name="Wis Mij Alsjeblieft", date_of_birth=dt.date(1970, 2, 3))
    page = signed_in("privacy").get(erase_url(intake.resident)).content.decode()
    assert "Wis Mij Alsjeblieft" in page and "03-02-1970" in page
    assert "Intake Wmo 2015 van" in page and "(concept)" in page
    assert "toegewezen aan Sanne Bakker" in page and "overleg eerst" in page


def test_erasure_without_the_deliberate_confirm_erases_nothing(make_intake, signed_in):
    intake = make_intake()
    client = signed_in("privacy")
    response = client.post(erase_url(intake.resident), {"reason": "withdrawn"})
    assert response.status_code == 400
    assert "Vink aan dat u hebt gecontroleerd" in response.content.decode()
    assert Intake.objects.filter(pk=intake.pk).exists()
    client.post(erase_url(intake.resident), {"reason": "withdrawn", "bevestigd": "on"})
    assert not Intake.objects.filter(pk=intake.pk).exists()  # positive control


def test_a_correction_can_clear_an_optional_field_such_as_the_phone_number(make_intake, signed_in):
    intake = make_intake(phone="0612345678", domains={"financien": (2, "confirmed", "")})
    finalise_now(intake)
    resident = intake.resident
    client = signed_in("privacy")
    form = client.get(correct_url(resident)).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    assert data["resident-phone"] == "0612345678"
    data.update({"resident-phone": "", "reason": "changed"})
    response = client.post(correct_url(resident), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Resident.objects.get(pk=resident.pk).phone == ""
    # A required field still cannot be cleared (that would be erasure).
    data.update({"resident-name": ""})
    response = client.post(correct_url(resident), data)
    assert response.status_code == 400
    assert Resident.objects.get(pk=resident.pk).name != ""
