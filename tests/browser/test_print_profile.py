"""The resident's profile on paper: only what was kept, without the app around it."""

from tests.browser.helpers import sign_in
from tests.browser.test_privacy import finalised_intake


def test_a_finalised_profile_prints_only_the_kept_data_without_navigation(
    page: object, transactional_db: None, demo_users: dict
) -> None:
    intake = finalised_intake("Print Profiel", "KANARIE-P-BEWAARD", "KANARIE-P-WEG")
    sign_in(page, "consulent")
    page.goto(f"/intakes/{intake.pk}/")
    assert page.get_by_test_id("print-profile").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".zrm-header").is_visible()
    assert not page.get_by_test_id("print-profile").is_visible()
    assert page.locator(".zrm-print-only").is_visible()
    text = page.locator("main").inner_text()
    assert "KANARIE-P-BEWAARD" in text  # positive control: the kept note is on paper
    assert "KANARIE-P-WEG" not in page.content()
    assert page.pdf()[:4] == b"%PDF"  # headless Chromium prints it
