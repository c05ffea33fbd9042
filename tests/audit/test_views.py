import csv
import io
import json

import pytest
from django.test import Client

from audit.models import Action, AuditEvent
from tests.audit.conftest import NOBODY, RESIDENT_REF

URL = "/audit/export/"


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_the_privacy_officer_sees_the_export_form_and_a_menu_link(signed_in) -> None:
    response = signed_in("privacy").get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Auditlog exporteren" in html
    assert f'href="{URL}"' in html
    assert 'name="resident"' in html


@pytest.mark.parametrize("username", ["consulent", "teamleider", "beheer"])
def test_other_roles_get_a_404_and_no_menu_link(signed_in, username) -> None:
    client = signed_in(username)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"format": "csv"}).status_code == 404
    assert f'href="{URL}"' not in client.get("/").content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    denied = AuditEvent.objects.filter(action=Action.ACCESS_DENIED, actor=username)
    assert [e.detail["view"] for e in denied] == ["audit:export", "audit:export"]


def test_an_anonymous_visitor_is_sent_to_sign_in(db: None, client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/aanmelden/")


def test_the_browser_export_streams_csv_with_the_filter_applied(signed_in, write_events) -> None:
    write_events(2, resident_ref=RESIDENT_REF)
    write_events(3)
    response = signed_in("privacy").post(URL, {"format": "csv", "resident": RESIDENT_REF})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body(response), newline="")))
    assert [r["resident_ref"] for r in rows] == [RESIDENT_REF, RESIDENT_REF]


def test_the_browser_export_writes_its_own_event(signed_in, write_events) -> None:
    write_events(1)
    response = signed_in("privacy").post(URL, {"format": "jsonl", "action": "read"})
    lines = [json.loads(x) for x in body(response).splitlines()]
    assert [x["action"] for x in lines] == ["read"]
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert (event.actor, event.actor_role) == ("privacy", "privacyfunctionaris")
    assert event.detail == {
        "format": "jsonl",
        "via": "browser",
        "filter": {"since": "", "until": "", "actor": "", "resident_ref": "", "action": "read"},
    }


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"format": "xml"}, "format", "Selecteer een geldige keuze"),
        ({"format": "csv", "since": "2026-02-30"}, "since", "geldige datum"),
        ({"format": "csv", "since": "2026-03-02", "until": "2026-03-01"}, "until", "einddatum"),
        ({"format": "csv", "action": "peek"}, "action", "Selecteer een geldige keuze"),
        ({"format": "csv", "until": "9999-12-31"}, "until", "tot en met 30-12-9999"),
        ({"format": "csv", "until": "31-12-9999"}, "until", "tot en met 30-12-9999"),
        ({"format": "csv", "since": "0001-01-01"}, "since", "Kies een datum van 01-01-1900"),
        ({"format": "csv", "resident": "Jansen"}, "resident", "UUID"),
    ],
)
def test_bad_input_gives_a_dutch_message_next_to_the_field_and_keeps_it(
    signed_in, data, field, message
) -> None:
    response = signed_in("privacy").post(URL, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert form.data[field] == data[field]
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_an_empty_post_asks_for_the_format_in_dutch(signed_in) -> None:
    response = signed_in("privacy").post(URL, {})
    assert response.status_code == 400
    assert "Dit veld is verplicht." in response.context["form"].errors["format"]


def test_the_browser_csv_is_the_same_bytes_as_the_command_line_writes(
    signed_in, write_events
) -> None:
    """The page streams through export_bytes() too (COPY on PostgreSQL): the body is
    byte for byte what csv.writer writes for the stored events, awkward details included."""
    from tests.audit.test_export import AWKWARD_DETAILS, expected_csv

    write_events(1, context=NOBODY.on_behalf('kantoor "Noord", team\r\n2'), detail={"a,b": 'x"y'})
    for detail in AWKWARD_DETAILS:
        write_events(1, detail=detail)
    response = signed_in("privacy").post(URL, {"format": "csv"})
    assert response.streaming
    assert body(response) == expected_csv()
