"""What a caseworker's browser may keep: no autofill of residents' data, and nothing stored
after sign-out. (no-store on every page: tests/config/test_authorisation_matrix.py.)"""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client

from tests.factories import finalise_now

pytestmark = pytest.mark.django_db

SKIPPED_TYPES = {"hidden", "submit", "button"}


class Inputs(HTMLParser):
    """Every form control of a page: (tag, name, autocomplete)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("input", "textarea", "select") and a.get("type") not in SKIPPED_TYPES:
            self.found.append((tag, a.get("name") or "", a.get("autocomplete")))


def controls(
    client: Client, url: str, data: dict | None = None
) -> list[tuple[str, str, str | None]]:
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == 200, url
    parser = Inputs()
    parser.feed(response.content.decode())
    return parser.found


def learnable(found: list[tuple[str, str, str | None]]) -> list[str]:
    return [name for _tag, name, autocomplete in found if autocomplete != "off"]


def test_no_input_of_a_resident_a_note_or_a_search_lets_the_browser_remember_it(
    signed_in, make_intake
) -> None:
    draft = make_intake(name="Autofill Toets", domains={"financien": (2, "confirmed", "x")})
    caseworker = signed_in("consulent")
    pages = {
        "intake list search": controls(caseworker, "/intakes/"),
        "resident search and new resident": controls(caseworker, "/intakes/nieuw/"),
        "assessment form": controls(caseworker, f"/intakes/{draft.pk}/bewerken/"),
    }
    kept = make_intake(name="Correctie Toets", domains={"financien": (2, "confirmed", "y")})
    finalise_now(kept)
    officer = signed_in("privacy")
    pages["privacy lookup"] = controls(officer, "/privacy/inwoners/")
    pages["correction"] = controls(officer, f"/privacy/inwoners/{kept.resident.ref}/corrigeren/")
    names = {page: [name for _t, name, _a in found] for page, found in pages.items()}
    # The positive control: the parser sees the personal-data inputs themselves.
    assert {"q", "name", "bsn", "address", "phone", "email"} <= set(
        names["resident search and new resident"]
    )
    assert "financien-notes" in names["assessment form"]
    assert any(n.endswith("-notes") for n in names["correction"])
    assert {page: learnable(found) for page, found in pages.items()} == {p: [] for p in pages}


def test_a_form_of_the_sign_in_page_is_left_to_the_browser(client: Client) -> None:
    """The control for the test above: the same parser finds inputs without autocomplete=off."""
    assert "username" in learnable(controls(client, "/aanmelden/"))


@pytest.mark.parametrize("url", ["/afmelden/", "/beheer/logout/"])
def test_signing_out_clears_the_sites_cache_and_storage_in_the_browser(signed_in, url: str) -> None:
    client = signed_in("consulent" if url == "/afmelden/" else "beheer")
    response = client.post(url)
    assert response.status_code in (200, 302)
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "no-store" in response["Cache-Control"]


def test_an_expired_session_clears_the_browser_too(signed_in, settings) -> None:
    client = signed_in("consulent")
    assert "Clear-Site-Data" not in client.get("/").headers  # the control: a page, no clearing
    session = client.session
    session["zrm_last_seen"] = 0
    session.save()
    response = client.get("/intakes/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_admin_history_page_does_not_tell_whether_an_intake_exists(
    signed_in, make_intake, demo_users: dict[str, AbstractUser]
) -> None:
    intake = make_intake()
    finalise_now(intake)
    client = signed_in("beheer")
    existing = client.get(f"/beheer/intake/intake/{intake.pk}/history/")
    missing = client.get("/beheer/intake/intake/987654321/history/")
    assert (existing.status_code, missing.status_code) == (403, 403)
    # The privacy officer, who may see intakes, still gets the page and the redirect.
    officer = signed_in("privacy")
    assert officer.get(f"/beheer/intake/intake/{intake.pk}/history/").status_code == 200
    assert officer.get("/beheer/intake/intake/987654321/history/").status_code == 302
