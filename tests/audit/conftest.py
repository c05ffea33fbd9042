"""Fixtures for the audit tests: events written through the real record()."""

import datetime as dt
import io
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from audit.context import AuditContext
from audit.events import record
from audit.models import Action, AuditEvent

RESIDENT_REF = "123e4567-e89b-12d3-a456-426614174000"
# Who writes the fixtures' events unless a test says otherwise: nobody signed in.
NOBODY = AuditContext()


@pytest.fixture
def write_events(db: None) -> Callable[..., list[AuditEvent]]:
    """write_events(n, at=datetime, action=..., context=..., **record() keywords) -> n events
    through record(), one second apart from `at` if given (events in the past)."""

    def write(
        n: int,
        *,
        at: dt.datetime | None = None,
        action: Action = Action.READ,
        context: AuditContext = NOBODY,
        **fields: Any,
    ) -> list[AuditEvent]:
        fields.setdefault("detail", {"fields": ["notes"], "count": 1})
        if at is None:
            return [record(action, context, **fields) for _ in range(n)]
        events = []
        for i in range(n):
            with mock.patch("audit.events._now", return_value=at + dt.timedelta(seconds=i)):
                events.append(record(action, context, **fields))
        return events

    return write


def verify() -> tuple[int, str, str]:
    """Run verify_audit; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()
