"""Login throttling (django-axes): lock-out per user name and address, audited, in Dutch."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.http import HttpRequest
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


# --- Per address (password spraying) ---------------------------------------------------


def test_five_user_names_sprayed_from_one_address_lock_that_address_out(
    demo_users: dict, settings: object
) -> None:
    settings.ADDRESS_FAILURE_LIMIT = 5
    for n in range(5):  # one wrong password each: no user name reaches its own limit
        assert attempt(Client(), f"geraden-{n}", WRONG).status_code == 200
    response = attempt(Client(), "consulent", "zrm-demo")
    assert response.status_code == 429
    assert "vanaf dit adres" in response.content.decode()
    event = AuditEvent.objects.filter(action=Action.LOGIN_FAILED, outcome="denied").last()
    assert event.detail == {"locked_out": "address", "limit": 5, "window_minutes": 15}
    # Control: the same user from another address signs in.
    assert attempt(Client(), "consulent", "zrm-demo", address="10.0.0.2").status_code == 302


def test_the_address_limit_defaults_to_50_failures_in_15_minutes(settings: object) -> None:
    assert settings.ADDRESS_FAILURE_LIMIT == 50
    assert dt.timedelta(minutes=15) == settings.ADDRESS_FAILURE_WINDOW


def test_failures_older_than_the_window_do_not_count_for_the_address(
    demo_users: dict, settings: object
) -> None:
    settings.ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        attempt(Client(), f"geraden-{n}", WRONG)
    assert attempt(Client(), "consulent", "zrm-demo").status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert attempt(Client(), "consulent", "zrm-demo").status_code == 302


# --- The cool-off is not a weapon -------------------------------------------------------


def test_attempts_during_a_lock_out_do_not_restart_the_cool_off(
    demo_users: dict, client: Client
) -> None:
    fail(client, 5)
    ten_minutes_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    AccessAttempt.objects.update(attempt_time=ten_minutes_ago)
    for _ in range(3):  # the attacker keeps trying during the lock-out
        assert attempt(client, "consulent", WRONG).status_code == 429
    assert AccessAttempt.objects.get().attempt_time == ten_minutes_ago
    AccessAttempt.objects.update(attempt_time=ten_minutes_ago - dt.timedelta(minutes=6))
    assert attempt(client, "consulent", "zrm-demo").status_code == 302


# --- The client address behind a named proxy -------------------------------------------

PROXY = "10.9.9.9"


def via_proxy(client: Client, username: str, password: str, forwarded: str) -> object:
    return client.post(
        "/aanmelden/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_a_named_proxy_the_lock_out_hits_the_attackers_address_only(
    demo_users: dict, settings: object
) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
    attacker = Client()
    for _ in range(5):
        via_proxy(attacker, "consulent", WRONG, "203.0.113.66")
    assert via_proxy(attacker, "consulent", "zrm-demo", "203.0.113.66").status_code == 429
    assert via_proxy(Client(), "consulent", "zrm-demo", "198.51.100.7").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}
    event = AuditEvent.objects.filter(action=Action.LOGIN_FAILED).last()
    assert event.source_ip == "203.0.113.66"


def test_a_forwarded_header_from_an_unnamed_sender_is_ignored(demo_users: dict) -> None:
    """The default: no proxy named, so a header anyone can send decides nothing."""
    attacker = Client()
    for n in range(5):  # a new "address" each time, as a spoofer would send
        via_proxy(attacker, "consulent", WRONG, f"203.0.113.{n}")
    assert via_proxy(Client(), "consulent", "zrm-demo", "198.51.100.7").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


def test_only_the_hops_our_own_proxies_wrote_are_believed(rf, settings: object) -> None:
    from audit.context import source_ip

    settings.TRUSTED_PROXIES = [PROXY, "10.8.0.0/16"]
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5, 10.8.1.1")
    assert source_ip(request) == "203.0.113.5"  # the client's spoofed first hop is not
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="nonsense")
    assert source_ip(request) == PROXY


# --- The typed user name is kept nowhere (issue 13) ------------------------------------


def _axes_rows_containing(text: str) -> list[str]:
    """Every text column of every axes table, searched for `text` (case-insensitive)."""
    from axes.models import AccessAttemptExpiration, AccessFailureLog, AccessLog
    from django.db import models

    found = []
    for model in (AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog):
        for f in model._meta.concrete_fields:
            text_column = isinstance(f, models.CharField | models.TextField)
            if text_column and model.objects.filter(**{f"{f.name}__icontains": text}).exists():
                found.append(f"{model.__name__}.{f.name}")
    return found


def test_a_typed_user_name_is_stored_only_as_a_keyed_hash(demo_users: dict) -> None:
    from accounts.throttling import username_for_axes

    canary = "Canarie Jansen-Q7"  # a person's name, typed as the user name
    for _ in range(5):
        attempt(Client(), canary, WRONG)
    assert AccessAttempt.objects.get().failures_since_start == 5  # the lock-out counted
    assert attempt(Client(), canary, WRONG).status_code == 429
    assert _axes_rows_containing("Canarie") == []
    assert _axes_rows_containing("jansen") == []
    # Controls: the hash axes keeps is found by the same search, and a planted name is.
    hashed = username_for_axes(HttpRequest(), {"username": canary})
    assert _axes_rows_containing(hashed) == ["AccessAttempt.username"]
    AccessAttempt.objects.update(user_agent=canary)
    assert _axes_rows_containing("Canarie") == ["AccessAttempt.user_agent"]


def test_look_alike_user_names_count_as_one(demo_users: dict) -> None:
    for typed in (
        "consulent",
        "CONSULENT",
        "\uff43\uff4f\uff4e\uff53\uff55\uff4c\uff45\uff4e\uff54",
        " Consulent",
        "consulent",
    ):
        attempt(Client(), typed, WRONG)
    assert attempt(Client(), "consulent", "zrm-demo").status_code == 429
