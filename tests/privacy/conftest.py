"""Fixtures for the privacy officer's pages: finalised intakes with canary values."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AbstractUser
from django.utils import timezone

from audit.context import AuditContext
from intake.models import Intake

# Pulled in so the fast hasher applies here too.
from tests.minimisation.conftest import (
    TEST_CONTEXT,
    create_intake,
    fast_password_hashing,  # noqa: F401
    finalise_now,
)


def finalise(intake: Intake, actor: AbstractUser | None = None, today: dt.date | None = None):
    context = AuditContext.for_user(actor) if actor else TEST_CONTEXT
    return finalise_now(intake, today or timezone.localdate(), context=context, decided_by=actor)


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
