"""The UI is Dutch whatever language the browser asks for."""

import pytest
from django.test import Client

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def test_an_english_browser_gets_the_dutch_sign_in_page_marked_as_dutch(db: None) -> None:
    page = Client().get("/aanmelden/", **ENGLISH).content.decode()
    assert '<html lang="nl">' in page
    assert 'lang="en"' not in page
    assert "Gebruikersnaam" in page and "Username" not in page


@pytest.mark.parametrize(
    ("user", "url", "dutch", "english"),
    [
        ("consulent", "/intakes/", "Mijn intakes", "My intakes"),
        ("beheer", "/beheer/", "Afmelden", "Log out"),
        ("beheer", "/beheer/auth/user/", "Gebruiker", "Select user to change"),
    ],
)
def test_an_english_browser_gets_dutch_pages_when_signed_in(
    signed_in, user: str, url: str, dutch: str, english: str
) -> None:
    page = signed_in(user).get(url, **ENGLISH).content.decode()
    assert '<html lang="nl"' in page
    assert dutch in page
    assert english not in page
