"""The whole path, intake -> finalise -> purge -> export, with canary strings: none of
them reaches the audit log's real exports, and the chain the app wrote verifies."""

import io
import json

from django.core.management import call_command

from audit.models import Action, AuditEvent
from tests.audit.conftest import verify
from tests.minimisation.test_canary import expired_draft_scenario, finalise_scenario


def exports(signed_in) -> str:
    texts = []
    for fmt in ("csv", "jsonl"):
        out = io.StringIO()
        call_command("export_audit", "--format", fmt, stdout=out)
        texts.append(out.getvalue())
    response = signed_in("privacy").post("/audit/export/", {"format": "csv"})
    texts.append(b"".join(response.streaming_content).decode())
    return "\n".join(texts)


def test_no_canary_reaches_the_audit_export_after_finalise_and_purge(
    make_intake,
    signed_in,
) -> None:
    canary, _ = finalise_scenario(make_intake, signed_in)
    expired, _ = expired_draft_scenario(make_intake, signed_in)
    text = exports(signed_in)
    actions = {json.loads(line)["action"] for line in text.splitlines() if line.startswith("{")}
    assert {"preview", "finalise", "discard", "purge", "export"} <= actions
    found = [c for c in canary.values + expired.values if c.lower() in text.lower()]
    assert not found, f"canaries in the audit export: {found}"
    assert verify()[0] == 0
    assert AuditEvent.objects.filter(action=Action.FINALISE).count() == 3
