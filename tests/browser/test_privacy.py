"""The privacy officer's pages in a real browser, with axe-core on each."""

import datetime as dt

from django.contrib.auth import get_user_model

from intake.access import grant_caseworker
from intake.models import DomainAssessment, Intake, Resident
from tests.browser.helpers import assert_accessible, nav_link, sign_in
from tests.factories import finalise_now


def finalised_intake(name: str, kept_note: str, discarded_note: str) -> Intake:
    resident = Resident.objects.create(
        name=name, date_of_birth=dt.date(1975, 5, 5), bsn="123456782", address="Kerkstraat 1"
    )
    intake = Intake.objects.create(
        resident=resident,
        caseworker=get_user_model().objects.get(username="consulent"),
        framework="wmo",
    )
    DomainAssessment.objects.create(
        intake=intake, domain="financien", score=2, help_need="confirmed", notes=kept_note
    )
    DomainAssessment.objects.create(
        intake=intake, domain="justitie", score=3, help_need="none", notes=discarded_note
    )
    grant_caseworker(intake)
    finalise_now(intake)
    return intake


def test_the_privacy_officer_reviews_an_intake_in_the_admin(
    page: object, transactional_db: None, demo_users: dict
) -> None:
    intake = finalised_intake("Browser Review", "KANARIE-B-BEWAARD", "KANARIE-B-WEG")
    sign_in(page, "privacy")
    page.goto("/beheer/intake/intake/")
    assert_accessible(page)
    page.goto(f"/beheer/intake/intake/{intake.pk}/change/")
    text = page.locator("#content-main").inner_text()
    assert "KANARIE-B-BEWAARD" in text and "KANARIE-B-WEG" not in text
    assert "WMO-DOMEIN" in text
    assert page.locator("#content-main input[type=submit]").count() == 0
    assert_accessible(page)


def test_the_privacy_officer_reads_the_minimisation_overview(
    page: object, transactional_db: None, demo_users: dict
) -> None:
    finalised_intake("Browser Overzicht", "x", "y")
    sign_in(page, "privacy")
    nav_link(page, "Minimalisatie").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Minimalisatie-overzicht"
    assert page.locator("svg.overview-chart").count() == 1
    assert page.get_by_test_id("row-wmo-justitie").inner_text().split() == [
        "Justitie",
        "3",
        "0",
        "3",
    ]
    assert_accessible(page)


def test_the_privacy_officer_answers_an_access_request_and_erasure_is_blocked(
    page: object, transactional_db: None, demo_users: dict
) -> None:
    intake = finalised_intake("Browser Inzage", "KANARIE-I-BEWAARD", "KANARIE-I-WEG")
    sign_in(page, "privacy")
    nav_link(page, "Verzoeken inwoner").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Zoek een inwoner").fill("Browser Inzage")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state()
    assert "Browser" not in page.url  # the term was posted, not put in the URL
    page.get_by_role("link", name="Browser Inzage").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "KANARIE-I-BEWAARD" in main and "KANARIE-I-WEG" not in main
    assert str(intake.resident.ref) in main
    assert page.get_by_test_id("access-history").locator("tbody tr").count() >= 2
    assert_accessible(page)
    page.get_by_role("link", name="Wissen (art. 17)").click()
    page.wait_for_load_state()
    assert "bewaarplicht" in page.get_by_test_id("erasure-blocked").inner_text()
    assert_accessible(page)


def test_the_privacy_officer_corrects_a_field_and_a_missing_reason_is_explained(
    page: object, transactional_db: None, demo_users: dict
) -> None:
    intake = finalised_intake("Browser Correctie", "oud", "weg")
    sign_in(page, "privacy")
    page.goto(f"/privacy/inwoners/{intake.resident.ref}/corrigeren/")
    page.get_by_label("adres").fill("Nieuwe straat 2")
    page.get_by_role("button", name="Correctie opslaan").click()
    page.wait_for_load_state()
    assert "Kies een reden" in page.locator("main").inner_text()
    assert page.get_by_label("adres").input_value() == "Nieuwe straat 2"
    assert_accessible(page)
    page.get_by_label("Reden van de correctie").select_option("changed")
    page.get_by_role("button", name="Correctie opslaan").click()
    page.wait_for_load_state()
    assert "De correctie is opgeslagen" in page.locator("main").inner_text()
    intake.resident.refresh_from_db()
    assert intake.resident.address == "Nieuwe straat 2"
