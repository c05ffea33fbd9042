"""Sessions: cycled at sign-in, idle and absolute limits, cleared at sign-out."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.middleware import LAST_SEEN_KEY, SIGNED_IN_AT_KEY

pytestmark = pytest.mark.django_db


def sign_in(client: Client) -> None:
    response = client.post("/aanmelden/", {"username": "consulent", "password": "zrm-demo"})
    assert response.status_code == 302


def shift_session(client: Client, **seconds_ago: float) -> None:
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


def test_the_session_key_changes_at_sign_in(demo_users: dict, client: Client) -> None:
    session = client.session
    session["before"] = "x"
    session.save()
    before = session.session_key

    sign_in(client)

    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_sign_in_starts_the_session_clock(demo_users: dict, client: Client) -> None:
    sign_in(client)
    assert abs(client.session[SIGNED_IN_AT_KEY] - time.time()) < 60
    assert abs(client.session[LAST_SEEN_KEY] - time.time()) < 60


def test_an_active_session_stays(demo_users: dict, client: Client) -> None:
    sign_in(client)
    shift_session(client, **{LAST_SEEN_KEY: 600, SIGNED_IN_AT_KEY: 9 * 3600})
    assert client.get("/").status_code == 200


def test_a_session_idle_for_longer_than_the_limit_ends(demo_users: dict, client: Client) -> None:
    sign_in(client)
    key = client.cookies["sessionid"].value
    shift_session(client, **{LAST_SEEN_KEY: 901})

    response = client.get("/", follow=True)

    assert response.redirect_chain[0][0] == "/aanmelden/?next=%2F"
    assert "Uw sessie is verlopen" in response.content.decode()
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/").status_code == 302


def test_the_idle_limit_comes_from_the_settings(
    demo_users: dict, client: Client, settings: object
) -> None:
    settings.SESSION_IDLE_SECONDS = 120
    sign_in(client)
    shift_session(client, **{LAST_SEEN_KEY: 121})
    assert client.get("/").status_code == 302


def test_a_session_ends_at_the_absolute_limit_even_when_active(
    demo_users: dict, client: Client
) -> None:
    sign_in(client)
    shift_session(client, **{LAST_SEEN_KEY: 5, SIGNED_IN_AT_KEY: 36001})
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/aanmelden/")


def test_sign_out_deletes_the_session(demo_users: dict, client: Client) -> None:
    sign_in(client)
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    client.post("/afmelden/")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/").status_code == 302


def test_session_cookies_are_http_only_and_same_site(demo_users: dict, client: Client) -> None:
    sign_in(client)
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_a_request_soon_after_the_last_does_not_save_the_session(
    demo_users: dict, client: Client
) -> None:
    sign_in(client)
    shift_session(client, **{LAST_SEEN_KEY: 10})
    stored = client.session[LAST_SEEN_KEY]

    assert client.get("/").status_code == 200

    assert client.session[LAST_SEEN_KEY] == stored


def test_a_request_a_minute_after_the_last_moves_the_idle_clock(
    demo_users: dict, client: Client
) -> None:
    sign_in(client)
    shift_session(client, **{LAST_SEEN_KEY: 61})

    assert client.get("/").status_code == 200

    assert abs(client.session[LAST_SEEN_KEY] - time.time()) < 30
