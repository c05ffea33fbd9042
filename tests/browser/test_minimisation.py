from django.contrib.auth import get_user_model

from intake.access import grant_caseworker
from intake.models import DomainAssessment, Intake, IntakeStatus, Resident
from tests.browser.helpers import assert_accessible, nav_link, sign_in


def test_a_caseworker_previews_what_is_kept_and_finalises(
    page: object, transactional_db: None, demo_users: dict
) -> None:
    import datetime as dt

    resident = Resident.objects.create(name="Browser Inwoner", date_of_birth=dt.date(1990, 1, 1))
    intake = Intake.objects.create(
        resident=resident,
        caseworker=get_user_model().objects.get(username="consulent"),
        framework="wmo",
    )
    DomainAssessment.objects.create(
        intake=intake, domain="financien", score=2, help_need="confirmed"
    )
    DomainAssessment.objects.create(intake=intake, domain="justitie", score=3, notes="weg ermee")
    grant_caseworker(intake)

    sign_in(page, "consulent")
    page.goto(f"/intakes/{intake.pk}/afronden/")
    assert page.locator("h1").inner_text() == "Afronden: wat blijft bewaard"
    justice = page.get_by_test_id("domain-justitie")
    assert "vernietigen" in justice.inner_text()
    assert "nooit bewaard" in justice.inner_text()
    assert_accessible(page)

    assert "opgeslagen versie" in page.get_by_test_id("saved-data-note").inner_text()
    page.get_by_role("link", name="Verder: controleren en bevestigen").click()

    # The confirmation step: what goes, with what was typed, and a deliberate confirm.
    assert page.locator("h1").inner_text() == "Afronden bevestigen"
    assert "weg ermee" in page.get_by_test_id("destroyed-values").inner_text()
    assert "Justitie" in page.get_by_test_id("undecided").inner_text()
    assert_accessible(page)
    finalise = page.get_by_role("button", name="Definitief afronden en vernietigen")
    finalise.click()  # without ticking anything: refused, nothing destroyed
    page.wait_for_load_state()
    assert "vink aan" in page.locator("main").inner_text()
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.DRAFT
    page.get_by_label("Ik heb gecontroleerd wat vernietigd wordt").check()
    finalise.click()  # the "onbekend" help need in Justitie is not accepted yet
    page.wait_for_load_state()
    assert "staat nog op 'onbekend' in Justitie" in page.locator("main").inner_text()
    page.get_by_label("Ik rond af met hulpvraag 'onbekend'").check()
    page.get_by_label("Ik heb gecontroleerd wat vernietigd wordt").check()
    finalise.click()
    page.wait_for_load_state()
    assert "De intake is afgerond" in page.locator("main").inner_text()
    assert_accessible(page)
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.FINALISED
    assert list(intake.assessments.values_list("domain", flat=True)) == ["financien"]


def test_the_privacy_officer_reads_the_processing_register(
    page: object, transactional_db: None, demo_users: dict
) -> None:
    sign_in(page, "privacy")
    nav_link(page, "Verwerkingsregister").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Verwerkingsregister"
    assert "JW-JUSTITIE" in page.locator("main").inner_text()
    assert_accessible(page)
