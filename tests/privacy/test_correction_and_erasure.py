import datetime as dt
import json

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from intake.models import DomainAssessment, Intake, Resident
from minimisation.models import DecisionRecord


def correct_url(resident) -> str:
    return reverse("privacy:correct", kwargs={"ref": resident.ref})


def erase_url(resident) -> str:
    return reverse("privacy:erase", kwargs={"ref": resident.ref})


def current_values(client, resident) -> dict:
    form = client.get(correct_url(resident)).context["form"]
    return {name: form.initial.get(name) for name in form.fields if name != "reason"}


@pytest.mark.django_db
def test_a_kept_field_is_corrected_and_audited_by_name_and_reason_code(canary_intake, signed_in):
    client = signed_in("privacy")
    resident = canary_intake["resident"]
    data = {**current_values(client, resident), "reason": "changed"}
    data["resident-address"] = "KANARIE-NIEUW-ADRES"
    row = DomainAssessment.objects.get(intake=canary_intake["intake"], domain="financien")
    data[f"a{row.pk}-notes"] = "KANARIE-NIEUWE-TOELICHTING"
    response = client.post(correct_url(resident), data, follow=True)
    assert "De correctie is opgeslagen (2 gegevens)." in response.content.decode()
    resident.refresh_from_db()
    row.refresh_from_db()
    assert resident.address == "KANARIE-NIEUW-ADRES"
    assert row.notes == "KANARIE-NIEUWE-TOELICHTING"
    event = AuditEvent.objects.filter(action=Action.UPDATE, actor="privacy").latest("id")
    assert event.detail == {
        "gdpr": "art16",
        "reason": "changed",
        "fields": ["resident.address", "financien:domainassessment.notes"],
    }
    assert event.resident_ref == str(resident.ref)
    assert "KANARIE" not in json.dumps(list(AuditEvent.objects.values("detail")))


@pytest.mark.django_db
def test_a_correction_without_a_reason_is_refused_in_dutch_and_keeps_the_input(
    canary_intake, signed_in
):
    client = signed_in("privacy")
    resident = canary_intake["resident"]
    data = {**current_values(client, resident), "resident-name": "KANARIE-GETYPT"}
    response = client.post(correct_url(resident), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kies een reden. Zonder reden wordt er niets gewijzigd." in html
    assert "KANARIE-GETYPT" in html
    resident.refresh_from_db()
    assert resident.name == "KANARIE-NAAM-BEWAARD"
    assert not AuditEvent.objects.filter(action=Action.UPDATE, actor="privacy").exists()


@pytest.mark.django_db
def test_an_invalid_bsn_gets_the_dutch_11_proef_message(canary_intake, signed_in):
    client = signed_in("privacy")
    resident = canary_intake["resident"]
    data = {**current_values(client, resident), "reason": "inaccurate", "resident-bsn": "123"}
    response = client.post(correct_url(resident), data)
    assert response.status_code == 400
    assert "11-proef" in response.content.decode()


@pytest.mark.django_db
def test_only_kept_fields_can_be_corrected(canary_intake, signed_in):
    client = signed_in("privacy")
    resident = canary_intake["resident"]
    fields = set(client.get(correct_url(resident)).context["form"].fields)
    row = DomainAssessment.objects.get(intake=canary_intake["intake"], domain="financien")
    assert {"resident-name", "resident-address", f"a{row.pk}-notes", f"a{row.pk}-score"} <= fields
    # Justitie and Huisvesting were destroyed: their rows are gone, nothing to fill in again.
    assert not DomainAssessment.objects.filter(intake=canary_intake["intake"]).exclude(pk=row.pk)
    assert not [f for f in fields if f.startswith("a") and not f.startswith(f"a{row.pk}-")]


@pytest.mark.django_db
def test_erasure_is_blocked_by_the_selectielijst_retention_and_says_which_rule_until_when(
    canary_intake, signed_in
):
    client = signed_in("privacy")
    resident = canary_intake["resident"]
    until = canary_intake["record"].retention_until
    page = client.get(erase_url(resident)).content.decode()
    assert "Wissen kan nu niet: een wettelijke bewaarplicht geldt nog." in page
    assert "WMO-AANVRAAG" in page and "WMO-IDENTITEIT" in page
    assert "WMO-CONTACT" not in page  # contact data are not under the archival duty
    assert until.strftime("%-d") in page and str(until.year) in page
    response = client.post(erase_url(resident), {"reason": "withdrawn", "bevestigd": "on"})
    assert response.status_code == 400
    assert Resident.objects.filter(pk=resident.pk).exists()
    assert Intake.objects.filter(pk=canary_intake["intake"].pk).exists()


@pytest.mark.django_db
def test_a_draft_is_erased_through_the_destroy_function_with_an_audited_reason_code(
    make_intake, signed_in
):
    intake = make_intake(name="KANARIE-CONCEPT", domains={"financien": (3, "unknown", "x")})
    resident = intake.resident
    client = signed_in("privacy")
    response = client.post(
        erase_url(resident), {"reason": "withdrawn", "bevestigd": "on"}, follow=True
    )
    assert "zijn gewist" in response.content.decode()
    assert not Resident.objects.filter(pk=resident.pk).exists()
    assert not Intake.objects.filter(pk=intake.pk).exists()
    events = AuditEvent.objects.filter(action=Action.DISCARD, resident_ref=str(resident.ref))
    details = [e.detail for e in events]
    assert {"gdpr": "art17", "reason": "withdrawn", "intakes_destroyed": 1} in details
    assert any(d.get("rule") == "AVG-ART17" and d.get("resident_deleted") for d in details)
    assert "KANARIE" not in json.dumps(list(AuditEvent.objects.values("detail")))


@pytest.mark.django_db
def test_erasure_is_allowed_once_the_retention_date_has_passed(make_intake, signed_in):
    from tests.factories import finalise_now

    intake = make_intake(domains={"financien": (2, "confirmed", "")})
    finalise_now(intake, dt.date(2000, 1, 3))  # Wmo: 15 years, long past
    response = signed_in("privacy").post(
        erase_url(intake.resident), {"reason": "no_longer_needed", "bevestigd": "on"}
    )
    assert response.status_code == 302
    assert not DecisionRecord.objects.filter(intake_id=intake.pk).exists()


@pytest.mark.django_db
def test_erasure_without_a_reason_is_refused_in_dutch(make_intake, signed_in):
    intake = make_intake()
    response = signed_in("privacy").post(erase_url(intake.resident), {"reason": ""})
    assert response.status_code == 400
    assert "Kies een reden. Zonder reden wordt er niets gewijzigd." in response.content.decode()
    assert Intake.objects.filter(pk=intake.pk).exists()


@pytest.mark.django_db
def test_an_unknown_reason_code_is_refused(make_intake, signed_in):
    intake = make_intake()
    response = signed_in("privacy").post(erase_url(intake.resident), {"reason": "because"})
    assert response.status_code == 400
    assert Intake.objects.filter(pk=intake.pk).exists()


def edit_url(intake) -> str:
    return reverse("intake:edit", kwargs={"pk": intake.pk})


def posted_form(form) -> dict:
    """What the browser posts back for an unchanged form: its initial values."""
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    return {name: "" if value is None else value for name, value in data.items()}


@pytest.mark.django_db
def test_a_correction_makes_a_caseworker_form_opened_before_it_stale(make_intake, signed_in):
    intake = make_intake(domains={"financien": (3, "unknown", "KANARIE-VOOR")})
    caseworker = signed_in("consulent")
    opened = posted_form(caseworker.get(edit_url(intake)).context["form"])
    row = DomainAssessment.objects.get(intake=intake, domain="financien")

    officer = signed_in("privacy")
    correction = {**current_values(officer, intake.resident), "reason": "inaccurate"}
    correction[f"a{row.pk}-notes"] = "KANARIE-GECORRIGEERD"
    officer.post(correct_url(intake.resident), correction)
    row.refresh_from_db()
    assert row.notes == "KANARIE-GECORRIGEERD"  # the positive control: the correction landed

    response = caseworker.post(edit_url(intake), {**opened, "financien-notes": "KANARIE-CONSULENT"})

    assert response.status_code == 200  # the form again, not the redirect of a saved form
    assert "heeft deze intake intussen opgeslagen" in response.content.decode()
    assert "KANARIE-CONSULENT" in response.content.decode()  # the typed input is kept
    row.refresh_from_db()
    assert row.notes == "KANARIE-GECORRIGEERD"
    assert not AuditEvent.objects.filter(action=Action.UPDATE, actor="consulent").exists()


@pytest.mark.django_db
def test_a_caseworkers_save_makes_a_correction_page_opened_before_it_stale(make_intake, signed_in):
    """The other direction: the privacy officer never overwrites a save they have not seen."""
    intake = make_intake(domains={"financien": (3, "unknown", "KANARIE-VOOR")})
    row = DomainAssessment.objects.get(intake=intake, domain="financien")
    officer = signed_in("privacy")
    opened = {**current_values(officer, intake.resident), "reason": "inaccurate"}

    caseworker = signed_in("consulent")
    saved = posted_form(caseworker.get(edit_url(intake)).context["form"])
    caseworker.post(edit_url(intake), {**saved, "financien-notes": "KANARIE-CONSULENT"})
    row.refresh_from_db()
    assert row.notes == "KANARIE-CONSULENT"  # the positive control: the save landed

    response = officer.post(
        correct_url(intake.resident), {**opened, f"a{row.pk}-notes": "KANARIE-GECORRIGEERD"}
    )

    assert response.status_code == 400
    assert "intussen gewijzigd" in response.content.decode()
    assert "KANARIE-GECORRIGEERD" in response.content.decode()  # the typed input is kept
    row.refresh_from_db()
    assert row.notes == "KANARIE-CONSULENT"
    assert not AuditEvent.objects.filter(action=Action.UPDATE, actor="privacy").exists()


@pytest.mark.django_db
def test_a_correction_page_without_the_versions_it_showed_is_refused_in_dutch(
    make_intake, signed_in
):
    intake = make_intake(domains={"financien": (3, "unknown", "KANARIE-VOOR")})
    row = DomainAssessment.objects.get(intake=intake, domain="financien")
    officer = signed_in("privacy")
    data = {**current_values(officer, intake.resident), "reason": "inaccurate"}
    data = {name: value for name, value in data.items() if not name.startswith("versie-")}
    data[f"a{row.pk}-notes"] = "KANARIE-GECORRIGEERD"

    response = officer.post(correct_url(intake.resident), data)

    assert response.status_code == 400
    assert "Deze pagina is verouderd" in response.content.decode()
    row.refresh_from_db()
    assert row.notes == "KANARIE-VOOR"
