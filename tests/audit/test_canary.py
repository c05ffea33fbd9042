"""Values a person typed (a name as a username, in a URL, a header or a filter) never
reach the audit table or its export."""

import io

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from audit.context import AuditContext
from audit.events import record
from audit.models import Action, AuditEvent

CANARY = "Kanarie Jansen-7f3a"
CANARY_HEX_LIKE = "deadbeef-canary"


def audit_table_text() -> str:
    """Every column of every row, as the database returns it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent")
        return "\n".join(repr(row) for row in cursor.fetchall())


def test_the_table_text_would_show_a_canary_that_got_in(db: None) -> None:
    """The positive control: audit_table_text() finds a canary in a column and in a
    detail (stored as JSON, whatever the backend does to non-ASCII)."""
    with transaction.atomic():
        record(Action.READ, AuditContext.system(CANARY), detail={"n": CANARY_HEX_LIKE})
        text = audit_table_text()
        transaction.set_rollback(True)
    assert "Kanarie" in text
    assert CANARY_HEX_LIKE in text


def test_no_typed_value_reaches_the_audit_log_or_its_export(demo_users) -> None:
    client = Client()
    # a failed sign-in with a name as username and as password
    client.post("/aanmelden/", {"username": CANARY, "password": CANARY})
    # a successful one, with a hostile request id and a canary in the query string
    client.post(
        f"/aanmelden/?next=/{CANARY}",
        {"username": "consulent", "password": "zrm-demo"},
        HTTP_X_REQUEST_ID=CANARY,
    )
    # a denied object, with the canary in the query string and the request id
    client.get(f"/intakes/999999/?q={CANARY}", HTTP_X_REQUEST_ID=CANARY_HEX_LIKE)
    client.get(f"/intakes/{CANARY}/")
    # an anonymous request to resident data
    Client().get(f"/intakes/1/?naam={CANARY}", HTTP_USER_AGENT=CANARY)
    client.post("/afmelden/")
    # the privacy officer filters the export by a name instead of a username
    privacy = Client()
    privacy.force_login(demo_users["privacy"])
    response = privacy.post("/audit/export/", {"format": "csv", "actor": CANARY})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    # other modules call record() with names, ids and counts only
    record(
        Action.DISCARD,
        AuditContext.for_user(demo_users["consulent"]),
        detail={"fields": ["notes"], "n": 1},
    )

    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"login_failed", "login", "access_denied", "logout", "export", "discard"} <= actions
    out = io.StringIO()
    call_command("export_audit", "--format", "jsonl", stdout=out)
    csv_out = io.StringIO()
    call_command("export_audit", "--format", "csv", "--actor", CANARY, stdout=csv_out)
    for text in (audit_table_text(), out.getvalue(), csv_out.getvalue()):
        assert "Kanarie" not in text
        assert "canary" not in text.lower()
