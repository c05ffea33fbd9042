import logging
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.http import HttpRequest
from django.test import Client


def test_healthz_answers_200_when_the_database_is_reachable(db: None, client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(db: None, client: Client) -> None:
    with mock.patch("config.health.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@contextmanager
def database_down() -> Iterator[None]:
    """The default connection pointed at a closed port: PostgreSQL really unreachable."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_to_a_signed_in_browser_while_the_database_is_down(
    demo_users: dict, caplog: pytest.LogCaptureFixture
) -> None:
    from config import health

    health.STATE.reachable, health.STATE.failed_probes = True, 0
    browser = Client(raise_request_exception=False)
    browser.force_login(demo_users["consulent"])  # a session cookie, as a browser has
    with caplog.at_level(logging.INFO, logger="config.health"), database_down():
        probes = [browser.get("/healthz") for _ in range(3)]
        # Control: any other page needs the session, so it fails with the database.
        start_page = browser.get("/")
    assert [p.status_code for p in probes] == [503, 503, 503]
    assert start_page.status_code == 500
    assert browser.get("/healthz").status_code == 200
    messages = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "config.health"]
    assert messages == [
        ("ERROR", "health check: database unreachable (OperationalError)"),
        ("INFO", "health check: database reachable again after 3 failed probes"),
    ]
    assert not any(r.exc_info for r in caplog.records if r.name == "config.health")


def test_the_start_page_requires_sign_in(db: None, client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/aanmelden/")


def test_the_sign_in_page_is_dutch(db: None, client: Client) -> None:
    response = client.get("/aanmelden/")
    assert response.status_code == 200
    assert '<html lang="nl">' in response.content.decode()
    assert "Gebruikersnaam" in response.content.decode()


def test_a_demo_user_signs_in_and_lands_on_the_start_page(demo_users: dict, client: Client) -> None:
    response = client.post(
        "/aanmelden/", {"username": "consulent", "password": "zrm-demo"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Welkom, consulent" in response.content.decode()
    assert "Consulent" in response.content.decode()


def test_a_wrong_password_gives_a_dutch_error(demo_users: dict, client: Client) -> None:
    response = client.post("/aanmelden/", {"username": "consulent", "password": "fout"})
    assert response.status_code == 200
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.content.decode()
    assert response.context["form"].data["username"] == "consulent"


def test_sign_out_ends_the_session(demo_users: dict, client: Client) -> None:
    client.post("/aanmelden/", {"username": "consulent", "password": "zrm-demo"})
    assert client.get("/").status_code == 200
    response = client.post("/afmelden/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("username", ["consulent", "consulent2", "teamleider", "privacy", "beheer"])
def test_every_demo_user_can_sign_in(demo_users: dict, client: Client, username: str) -> None:
    # django-axes needs the request to throttle; Client.login() would otherwise pass none.
    assert client.login(request=HttpRequest(), username=username, password="zrm-demo")


def test_seed_demo_refuses_production(monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    from django.core.management import CommandError, call_command

    monkeypatch.setattr("django.conf.settings.DJANGO_ENV", "production")
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")


@pytest.mark.parametrize(
    ("username", "link"),
    [
        ("consulent", "/intakes/nieuw/"),
        ("teamleider", "/team/intakes/"),
        ("privacy", "/privacy/inwoners/"),
        ("beheer", "/beheer/auth/user/"),
    ],
)
def test_the_start_page_shows_each_role_what_it_can_do(
    signed_in: object, username: str, link: str
) -> None:
    response = signed_in(username).get("/")
    assert response.status_code == 200
    assert f'href="{link}"' in response.content.decode()
