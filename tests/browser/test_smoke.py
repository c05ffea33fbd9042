from tests.browser.helpers import assert_accessible, sign_in


def test_a_caseworker_signs_in_and_lands_on_the_start_page(
    page: object, transactional_db: None, demo_users: dict
) -> None:
    page.goto("/aanmelden/")
    assert page.locator("h1").inner_text() == "Aanmelden"
    assert_accessible(page)

    sign_in(page, "consulent")

    assert page.url.endswith("/")
    assert "Welkom, consulent" in page.locator("h1").inner_text()
    assert_accessible(page)
