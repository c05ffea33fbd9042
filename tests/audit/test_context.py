"""Who an event says acted: AuditContext, built by the caller from a request, a user or a
command name. The role comes from the AUDIT_ROLE_RESOLVER setting, never from an import."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory, override_settings

from audit.context import AuditContext, source_ip
from audit.events import record
from audit.models import Action


def the_role_of_a_stand_in(user: object) -> str:
    """A resolver other than accounts.roles.role_of (used through the setting)."""
    return "stand-in"


def request_of(user: object = None, **meta: str):
    request = RequestFactory().get("/", **meta)
    if user is not None:
        request.user = user
    request.request_id = "ab" * 16
    return request


def test_a_consulents_event_says_the_role_the_resolver_gives(demo_users) -> None:
    consulent = demo_users["consulent"]
    event = record(Action.READ, AuditContext.for_request(request_of(consulent)))
    assert (event.actor_id, event.actor, event.actor_role) == (
        consulent.pk,
        "consulent",
        "consulent",
    )
    assert event.request_id == "ab" * 16


@override_settings(AUDIT_ROLE_RESOLVER="tests.audit.test_context.the_role_of_a_stand_in")
def test_the_role_comes_from_the_resolver_the_setting_names(demo_users) -> None:
    context = AuditContext.for_request(request_of(demo_users["consulent"]))
    assert (context.actor, context.actor_role) == ("consulent", "stand-in")


def test_an_anonymous_request_names_no_actor_but_keeps_where_it_came_from(db: None) -> None:
    context = AuditContext.for_request(request_of(AnonymousUser(), REMOTE_ADDR="192.0.2.1"))
    assert (context.actor_id, context.actor, context.actor_role) == (None, "", "")
    assert (context.source_ip, context.request_id) == ("192.0.2.1", "ab" * 16)
    no_user = request_of(REMOTE_ADDR="192.0.2.1")  # before AuthenticationMiddleware
    assert AuditContext.for_request(no_user) == context


def test_the_context_follows_the_requests_user_when_it_changes(demo_users) -> None:
    request = request_of(AnonymousUser())
    assert AuditContext.for_request(request).actor == ""
    assert AuditContext.for_request(request) is AuditContext.for_request(request)
    request.user = demo_users["teamleider"]  # what django.contrib.auth.login() does
    assert AuditContext.for_request(request).actor == "teamleider"


def test_a_command_is_named_without_a_user_or_a_role() -> None:
    context = AuditContext.system("command:purge").on_behalf("teamleider")
    assert context == AuditContext(actor="command:purge", on_behalf_of="teamleider")


@pytest.mark.parametrize(
    ("remote_addr", "stored"),
    [
        ("10.1.2.3", "10.1.2.3"),
        ("::ffff:10.1.2.3", "10.1.2.3"),  # an IPv4 client on a dual-stack socket
        ("2001:0db8:0000::0001", "2001:db8::1"),
        ("", None),
        ("unknown", None),
        ("10.1.2.3, 10.0.0.1", None),  # a forwarded list is not an address
    ],
)
def test_the_source_address_is_stored_as_the_database_would_normalise_it(
    remote_addr: str, stored: str | None
) -> None:
    assert source_ip(request_of(REMOTE_ADDR=remote_addr)) == stored
    assert AuditContext.for_user(None, request_of(REMOTE_ADDR=remote_addr)).source_ip == stored


def test_no_request_no_address() -> None:
    assert source_ip(None) is None
