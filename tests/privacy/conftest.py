"""Fixtures for the privacy officer's pages: finalised intakes with canary values."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AbstractUser
from django.utils import timezone

from audit.context import AuditContext
from intake.models import Intake
from minimisation.apply import apply
from minimisation.decide import decide
from minimisation.policy import POLICY
from minimisation.snapshot import snapshot_of

# Pulled in so the fast hasher applies here too.
from tests.minimisation.conftest import (
    create_intake,
    fast_password_hashing,  # noqa: F401
)


def finalise(intake: Intake, actor: AbstractUser | None = None, today: dt.date | None = None):
    today = today or timezone.localdate()
    context = AuditContext.for_user(actor) if actor else AuditContext.system("test")
    return apply(
        decide(snapshot_of(intake, today), POLICY, today), context=context, decided_by=actor
    )


@pytest.fixture
def make_intake(demo_users: dict[str, AbstractUser]) -> Callable[..., Intake]:
    def make(caseworker: str = "consulent", **kwargs: object) -> Intake:
        return create_intake(demo_users[caseworker], **kwargs)

    return make


@pytest.fixture
def canary_intake(make_intake, demo_users) -> dict:
    """A Wmo intake: Financiën confirmed (kept, with notes), Justitie and Huisvesting
    discarded (never kept under the Wmo / no help need), Werk not discussed."""
    intake = make_intake(
        name="KANARIE-NAAM-BEWAARD",
        address="KANARIE-ADRES-BEWAARD",
        domains={
            "financien": (2, "confirmed", "KANARIE-FIN-BEWAARD"),
            "justitie": (2, "confirmed", "KANARIE-JUSTITIE-WEG"),
            "huisvesting": (4, "none", "KANARIE-HUIS-WEG"),
        },
    )
    record = finalise(intake, actor=demo_users["consulent"])
    return {
        "intake": intake,
        "resident": intake.resident,
        "record": record,
        "kept": ["KANARIE-NAAM-BEWAARD", "KANARIE-ADRES-BEWAARD", "KANARIE-FIN-BEWAARD"],
        "discarded": ["KANARIE-JUSTITIE-WEG", "KANARIE-HUIS-WEG"],
    }
