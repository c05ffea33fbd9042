"""A caseworker captures a ZRM intake in a real browser, by mouse and by keyboard."""

from datetime import date
from pathlib import Path

from playwright.sync_api import expect

from audit.context import AuditContext
from intake.models import DomainAssessment, Intake, Resident
from intake.services import create_intake
from tests.browser.helpers import assert_accessible, nav_link, sign_in

RESIDENT = "Browser Testpersoon"
FIVE_DOMAINS = {
    "financien": ("2 – niet zelfredzaam", "confirmed"),
    "huisvesting": ("4 – voldoende zelfredzaam", "none"),
    "sociaal_netwerk": ("3 – beperkt zelfredzaam", "unknown"),
    "tijdsbesteding": ("5 – volledig zelfredzaam", "none"),
    "werk_opleiding": ("1 – acute problematiek", "unknown"),
}


def score(page: object, domain: str, label: str, help_need: str) -> None:
    fieldset = page.locator(f"#domein-{domain}")
    fieldset.get_by_label(label, exact=True).check()
    fieldset.get_by_label("Hulpvraag").select_option(help_need)


def test_a_caseworker_captures_saves_finds_and_completes_an_intake(
    page: object, transactional_db: None, demo_users: dict, screenshot_dir: Path
) -> None:
    sign_in(page, "consulent")
    nav_link(page, "Mijn intakes").click()
    assert page.locator("h1").inner_text() == "Mijn intakes"
    assert_accessible(page)

    # A new resident and a Wmo intake.
    page.get_by_role("link", name="Nieuwe intake").first.click()
    page.get_by_role("searchbox").fill(RESIDENT)
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("body")).to_contain_text("Geen inwoner gevonden")
    assert_accessible(page)
    page.locator("#id_name").fill(RESIDENT)
    page.locator("#id_date_of_birth").fill("1975-03-14")
    page.locator("#id_bsn").fill("123456782")
    page.get_by_label("Wettelijk kader").select_option("wmo")
    page.get_by_role("button", name="Inwoner en intake aanmaken").click()
    expect(page.locator("body")).to_contain_text("De intake is aangemaakt als concept.")

    # Five domains scored, one with a confirmed help need; the rest stays "niet besproken".
    for domain, (label, help_need) in FIVE_DOMAINS.items():
        score(page, domain, label, help_need)
    page.locator("#domein-financien").get_by_label("Toelichting").fill("Schulden <b>vet</b>")
    assert_accessible(page)
    page.screenshot(path=str(screenshot_dir / "intake-form.png"), full_page=True)
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.locator("body")).to_contain_text("Het concept is opgeslagen.")

    page.get_by_role("button", name="Afmelden").click()
    sign_in(page, "consulent")

    # Found again through the search on "Mijn intakes".
    page.goto("/intakes/")
    page.get_by_label("Zoek op naam of referentie van de inwoner").fill("testpersoon")
    page.get_by_role("button", name="Zoeken").click()
    rows = page.get_by_test_id("intake-table").locator("tbody tr")
    assert rows.count() == 1
    rows.first.get_by_role("link", name="Bewerken").click()
    checked = page.locator("#domein-financien").get_by_label("2 – niet zelfredzaam", exact=True)
    assert checked.is_checked()

    # Completing it: the remaining domains of interest, then save.
    score(page, "basale_adl", "3 – beperkt zelfredzaam", "none")
    score(page, "justitie", "5 – volledig zelfredzaam", "none")
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.locator("body")).to_contain_text("Het concept is opgeslagen.")

    intake = Intake.objects.search(RESIDENT).get()
    # Read through the model: the column holds ciphertext.
    saved = {a.domain: a.score for a in DomainAssessment.objects.filter(intake=intake)}
    assert saved["financien"] == 2 and saved["basale_adl"] == 3 and saved["justitie"] == 5
    assert saved["middelengebruik"] is None
    assert DomainAssessment.objects.get(intake=intake, domain="financien").help_need == "confirmed"

    page.get_by_role("link", name="Bekijk profiel").click()
    assert page.locator("svg[role=img]").count() == 1
    table = page.get_by_test_id("profile-table")
    assert "2 – niet zelfredzaam" in table.locator("tr[data-domain=financien]").inner_text()
    assert "Schulden <b>vet</b>" in table.inner_text()  # shown as text, not as markup
    assert_accessible(page)
    page.screenshot(path=str(screenshot_dir / "intake-detail.png"), full_page=True)
    assert (screenshot_dir / "intake-form.png").stat().st_size > 0
    assert (screenshot_dir / "intake-detail.png").stat().st_size > 0


def test_the_assessment_form_works_with_the_keyboard_alone(
    page: object, transactional_db: None, demo_users: dict
) -> None:
    resident = Resident.objects.create(name="Toets Toetsenbord", date_of_birth=date(1970, 1, 1))
    intake = create_intake(
        resident,
        demo_users["consulent"],
        framework="wmo",
        instrument_version="zrm2017",
        context=AuditContext.system("test"),
    )
    sign_in(page, "consulent")
    page.goto(f"/intakes/{intake.pk}/bewerken/")

    # Justitie is the last domain: radios, help need, notes, then the save button.
    page.locator("#id_justitie-score_0").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_justitie-score_2").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_justitie-help_need"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_justitie-notes"
    page.keyboard.type("Ingevuld met alleen het toetsenbord.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Opslaan als concept"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "Het concept is opgeslagen." in page.content(), page.locator("main").inner_text()
    row = DomainAssessment.objects.get(intake=intake, domain="justitie")
    assert row.score == 2
    assert row.notes == "Ingevuld met alleen het toetsenbord."
