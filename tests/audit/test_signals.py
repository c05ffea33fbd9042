from django.test import Client

from audit.models import Action, AuditEvent, Outcome
from tests.audit.conftest import verify


def test_a_successful_sign_in_is_logged_with_user_and_role(demo_users, client: Client) -> None:
    client.post(
        "/aanmelden/",
        {"username": "consulent", "password": "zrm-demo"},
        HTTP_X_REQUEST_ID="cd" * 16,
    )
    event = AuditEvent.objects.get(action=Action.LOGIN)
    assert (event.actor, event.actor_role, event.outcome) == ("consulent", "consulent", "success")
    assert event.actor_id == demo_users["consulent"].pk
    assert event.request_id == "cd" * 16
    assert event.source_ip == "127.0.0.1"


def test_a_failed_sign_in_is_logged_without_any_username(demo_users, client: Client) -> None:
    client.post("/aanmelden/", {"username": "consulent", "password": "wrong"})
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert (event.actor, event.actor_id, event.actor_role) == ("", None, "")
    assert event.outcome == Outcome.DENIED
    assert event.detail == {}
    assert event.source_ip == "127.0.0.1"
    assert event.request_id


def test_sign_out_is_logged_for_the_user_who_signed_out(demo_users, client: Client) -> None:
    client.post("/aanmelden/", {"username": "teamleider", "password": "zrm-demo"})
    client.post("/afmelden/")
    event = AuditEvent.objects.get(action=Action.LOGOUT)
    assert (event.actor, event.actor_role) == ("teamleider", "teamleider")


def test_events_with_addresses_and_request_ids_still_verify(demo_users, client: Client) -> None:
    client.post("/aanmelden/", {"username": "consulent", "password": "wrong"})
    client.post("/aanmelden/", {"username": "consulent", "password": "zrm-demo"})
    client.post("/afmelden/", REMOTE_ADDR="2001:0db8:0000::0001")
    assert AuditEvent.objects.get(action=Action.LOGOUT).source_ip == "2001:db8::1"
    code, out, _ = verify()
    assert code == 0
    assert "OK: 3 events verified." in out
