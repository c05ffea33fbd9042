"""Fixtures for the audit tests: events written through the real record()."""

import datetime as dt
from collections.abc import Callable
from unittest import mock

import pytest

from audit.events import record
from audit.models import Action, AuditEvent

RESIDENT_REF = "123e4567-e89b-12d3-a456-426614174000"


@pytest.fixture
def write_events(db: None) -> Callable[..., list[AuditEvent]]:
    """write_events(n, at=datetime) -> n events through record(), optionally in the past."""

    def write(n: int, *, at: dt.datetime | None = None, **kwargs: object) -> list[AuditEvent]:
        kwargs.setdefault("detail", {"fields": ["notes"], "count": 1})
        if at is None:
            return [record(kwargs.pop("action", Action.READ), **kwargs) for _ in range(n)]
        events = []
        for i in range(n):
            with mock.patch("audit.events._now", return_value=at + dt.timedelta(seconds=i)):
                events.append(record(kwargs.get("action", Action.READ), **_without(kwargs)))
        return events

    return write


def _without(kwargs: dict) -> dict:
    return {k: v for k, v in kwargs.items() if k != "action"}


def verify() -> tuple[int, str, str]:
    """Run verify_audit; (exit code, stdout, stderr)."""
    import io

    from django.core.management import CommandError, call_command

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def all_events() -> Callable[[], list[AuditEvent]]:
    return lambda: list(AuditEvent.objects.order_by("id"))
