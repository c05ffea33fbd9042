"""In a real browser: autosave, the session warning, leaving with unsaved changes, and the
error summary that takes focus."""

from datetime import date

from playwright.sync_api import expect

from accounts.middleware import LAST_SEEN_KEY
from audit.context import AuditContext
from intake.models import DomainAssessment, Resident
from intake.services import create_intake
from tests.browser.helpers import assert_accessible, sign_in


def draft(demo_users: dict):
    resident = Resident.objects.create(name="Toets Autosave", date_of_birth=date(1980, 5, 5))
    return create_intake(
        resident,
        demo_users["consulent"],
        framework="wmo",
        instrument_version="zrm2017",
        context=AuditContext.system("test"),
    )


def note(intake, domain: str = "financien") -> str:
    return DomainAssessment.objects.get(intake=intake, domain=domain).notes


def open_form(page: object, intake) -> None:
    page.clock.install()
    sign_in(page, "consulent")
    page.goto(f"/intakes/{intake.pk}/bewerken/")


def test_typed_notes_are_saved_automatically_without_pressing_save(
    page: object, transactional_db: None, demo_users: dict
) -> None:
    intake = draft(demo_users)
    open_form(page, intake)
    domain = page.locator("#domein-financien")
    domain.get_by_label("2 – niet zelfredzaam", exact=True).check()
    domain.get_by_label("Toelichting").fill("Huurachterstand, getypt en niet opgeslagen")
    expect(page.get_by_test_id("save-bar")).to_contain_text("Niet-opgeslagen wijzigingen")
    assert note(intake) == ""  # positive control: nothing saved yet
    page.clock.fast_forward("00:31")
    expect(page.get_by_test_id("save-bar")).to_contain_text("Automatisch opgeslagen om")
    assert note(intake) == "Huurachterstand, getypt en niet opgeslagen"
    # The version moved on in the page: a Save now is not a conflict with the autosave.
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.locator("main")).to_contain_text("Er was niets gewijzigd")


def test_before_the_idle_limit_a_warning_offers_to_stay_signed_in(
    page: object, transactional_db: None, demo_users: dict
) -> None:
    intake = draft(demo_users)
    open_form(page, intake)
    warning = page.get_by_role("dialog", name="Uw sessie verloopt bijna")
    assert not warning.is_visible()
    page.clock.fast_forward("13:05")  # under two minutes left of the fifteen
    expect(warning).to_be_visible()
    expect(warning.get_by_role("button", name="Blijf aangemeld")).to_be_focused()
    assert_accessible(page)

    from django.contrib.sessions.models import Session

    session = Session.objects.get()
    before = session.get_decoded()[LAST_SEEN_KEY]
    warning.get_by_role("button", name="Blijf aangemeld").click()
    expect(warning).to_be_hidden()
    assert Session.objects.get().get_decoded()[LAST_SEEN_KEY] > before


def test_unsaved_changes_are_saved_before_the_session_ends(
    page: object, transactional_db: None, demo_users: dict
) -> None:
    intake = draft(demo_users)
    open_form(page, intake)
    domain = page.locator("#domein-financien")
    domain.get_by_label("3 – beperkt zelfredzaam", exact=True).check()
    domain.get_by_label("Toelichting").fill("Vlak voor de pauze")
    page.clock.fast_forward("13:05")
    expect(page.get_by_test_id("save-bar")).to_contain_text("Automatisch opgeslagen")
    assert note(intake) == "Vlak voor de pauze"


def test_leaving_the_form_with_unsaved_changes_asks_first(
    page: object, transactional_db: None, demo_users: dict
) -> None:
    intake = draft(demo_users)
    open_form(page, intake)
    page.locator("#domein-financien").get_by_label("Toelichting").fill("Nog niet opgeslagen")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]


def test_an_error_summary_at_the_top_takes_focus_and_links_to_the_field(
    page: object, transactional_db: None, demo_users: dict
) -> None:
    intake = draft(demo_users)
    sign_in(page, "consulent")
    page.goto(f"/intakes/{intake.pk}/bewerken/")
    # A confirmed help need on a domain left "niet besproken" is refused.
    page.locator("#domein-justitie").get_by_label("Hulpvraag").select_option("confirmed")
    page.get_by_role("button", name="Opslaan als concept").click()
    page.wait_for_load_state()
    summary = page.get_by_test_id("form-errors")
    expect(summary).to_be_focused()
    assert summary.bounding_box()["y"] < 600  # at the top, not below 13 domains
    expect(page.get_by_test_id("domain-nav")).to_contain_text("fout")
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_justitie-help_need"


def test_the_domain_navigation_follows_the_form_and_a_never_kept_field_warns_while_typing(
    page: object, transactional_db: None, demo_users: dict
) -> None:
    intake = draft(demo_users)
    sign_in(page, "consulent")
    page.goto(f"/intakes/{intake.pk}/bewerken/")
    nav = page.get_by_test_id("domain-nav").locator("li[data-domain='financien']")
    expect(nav).to_contain_text("niet besproken")
    domain = page.locator("#domein-financien")
    domain.get_by_label("2 – niet zelfredzaam", exact=True).check()
    domain.get_by_label("Hulpvraag").select_option("confirmed")
    expect(nav).to_contain_text("gescoord · hulpvraag")
    # Under the Wmo, Justitie is never kept: said before typing, and again while typing.
    justice = page.locator("#domein-justitie")
    assert "nooit bewaard" in justice.inner_text()
    notice = justice.get_by_test_id("never-kept-notice")
    expect(notice).to_be_hidden()
    justice.get_by_label("3 – beperkt zelfredzaam", exact=True).check()
    justice.get_by_label("Toelichting").fill("iets over een veroordeling")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("onder de Wmo 2015 nooit bewaard")
