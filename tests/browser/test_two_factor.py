"""A caseworker links an authenticator app in a real browser and reaches the start page."""

import base64

from django_otp.oath import totp

from tests.browser.helpers import assert_accessible, sign_in


def code_from_secret(secret: str) -> str:
    """What an authenticator app computes from the key shown on the page."""
    key = base64.b32decode(secret.replace(" ", ""))
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


def test_a_caseworker_enrols_a_second_factor_and_lands_on_the_start_page(
    page: object, transactional_db: None, demo_users: dict, settings: object
) -> None:
    settings.OTP_REQUIRED = True  # as in production; the live server shares these settings

    sign_in(page, "consulent")

    assert "/tweestapsverificatie/instellen/" in page.url
    assert page.locator("h1").inner_text() == "Tweestapsverificatie instellen"
    qr = page.get_by_test_id("totp-qr")
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert qr.evaluate("img => img.naturalWidth") > 0  # drawn, and allowed by the CSP
    assert page.get_by_test_id("otp-not-required").count() == 0
    assert_accessible(page)

    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Koppelen").click()
    assert "Deze code klopt niet" in page.locator("main").inner_text()
    # django-otp makes the next try wait after a wrong code; a person takes longer than that.
    page.wait_for_timeout(1100)

    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code").fill(code_from_secret(secret))
    page.get_by_role("button", name="Koppelen").click()

    assert page.locator("h1").inner_text() == "Uw reservecodes"
    assert page.get_by_test_id("backup-codes").locator("li").count() == 10
    assert_accessible(page)

    page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()
    page.wait_for_load_state()
    assert page.url.endswith("/")
    assert "Welkom, consulent" in page.locator("h1").inner_text()
    assert_accessible(page)


def test_after_sign_out_the_caseworker_needs_a_code_again(
    page: object, transactional_db: None, demo_users: dict, settings: object
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.OTP_REQUIRED = True
    device = TOTPDevice.objects.create(
        user=demo_users["consulent"], name="authenticator-app", confirmed=True
    )

    sign_in(page, "consulent")

    assert page.locator("h1").inner_text() == "Tweestapsverificatie"
    assert_accessible(page)
    secret = base64.b32encode(device.bin_key).decode()
    page.get_by_label("Code").fill(code_from_secret(secret))
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state()
    assert "Welkom, consulent" in page.locator("h1").inner_text()
