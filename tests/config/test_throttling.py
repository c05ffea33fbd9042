"""Login throttling (django-axes): lock-out per user name and address, audited, in Dutch."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client

from audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

WRONG = "Canary-wrong-password-7Q"


def attempt(client: Client, username: str, password: str, address: str = "10.0.0.1") -> object:
    return client.post(
        "/aanmelden/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(client: Client, times: int, username: str = "consulent", **kw: str) -> None:
    for _ in range(times):
        response = attempt(client, username, WRONG, **kw)
        assert response.status_code in (200, 429)


def test_after_five_failures_even_the_right_password_is_refused_with_a_dutch_page(
    demo_users: dict, client: Client
) -> None:
    fail(client, 5)
    response = attempt(client, "consulent", "zrm-demo")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Aanmelden tijdelijk geblokkeerd" in page
    assert "15 minuten" in page
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock_out(demo_users: dict, client: Client) -> None:
    fail(client, 4)
    response = attempt(client, "consulent", "zrm-demo")
    assert response.status_code == 302


def test_the_failure_limit_comes_from_the_settings(
    demo_users: dict, client: Client, settings: object
) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    fail(client, 2)
    assert attempt(client, "consulent", "zrm-demo").status_code == 429


def test_the_lock_out_is_per_user_and_address(demo_users: dict, client: Client) -> None:
    fail(client, 5)
    assert attempt(client, "consulent", "zrm-demo").status_code == 429
    # The same user from another address, and another user from the same address, go on.
    assert attempt(Client(), "consulent", "zrm-demo", address="10.0.0.2").status_code == 302
    assert attempt(Client(), "consulent2", "zrm-demo").status_code == 302


def test_after_the_cool_off_the_user_can_sign_in_again(demo_users: dict, client: Client) -> None:
    fail(client, 5)
    assert attempt(client, "consulent", "zrm-demo").status_code == 429
    earlier = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=earlier)
    assert attempt(client, "consulent", "zrm-demo").status_code == 302


def test_a_lock_out_is_audited_without_the_user_name_or_password(
    demo_users: dict, client: Client
) -> None:
    fail(client, 5, username="canary-typed-name")
    attempt(client, "canary-typed-name", WRONG)

    events = AuditEvent.objects.filter(action=Action.LOGIN_FAILED, detail__locked_out=True)
    assert events.exists()
    event = events.first()
    assert event.outcome == "denied"
    assert event.actor == ""
    assert event.source_ip == "10.0.0.1"
    for row in AuditEvent.objects.values_list("actor", "detail", "object_id"):
        assert "canary-typed-name" not in str(row)
        assert WRONG not in str(row)


def test_the_password_is_never_stored(demo_users: dict, client: Client) -> None:
    fail(client, 5)
    for row in AccessAttempt.objects.values():
        assert WRONG not in str(row)
    assert AccessAttempt.objects.exists()


def test_a_successful_sign_in_clears_the_failures(demo_users: dict, client: Client) -> None:
    fail(client, 4)
    assert attempt(client, "consulent", "zrm-demo").status_code == 302
    client.post("/afmelden/")
    fail(client, 4)
    assert attempt(client, "consulent", "zrm-demo").status_code == 302


@pytest.mark.parametrize("username", ["x" * 5000, "nul\x00in-name", ""])
def test_hostile_user_names_are_a_failed_attempt_not_an_error(
    demo_users: dict, client: Client, username: str
) -> None:
    for _ in range(5):
        response = attempt(client, username, WRONG)
        assert response.status_code in (200, 429)
    # The form refuses NUL and empty names itself; a long name reaches axes and is counted.
    assert AccessAttempt.objects.exists() == (len(username) > 255)
    for stored in AccessAttempt.objects.values_list("username", flat=True):
        assert "\x00" not in stored
        assert len(stored) <= 255
