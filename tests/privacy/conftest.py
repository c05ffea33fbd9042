"""Fixtures for the privacy officer's pages: a finalised intake with canary values."""

import datetime as dt

import pytest
from django.contrib.auth.models import AbstractUser

from audit.context import AuditContext
from tests.factories import finalise_now


@pytest.fixture
def canary_intake(make_intake, demo_users: dict[str, AbstractUser]) -> dict:
    """A Wmo intake: Financiën confirmed (kept, with notes), Justitie and Huisvesting
    discarded (never kept under the Wmo / no help need), the other domains not discussed."""
    intake = make_intake(
        name="KANARIE-NAAM-BEWAARD",
        address="KANARIE-ADRES-BEWAARD",
        bsn="123456782",
        date_of_birth=dt.date(1980, 2, 29),
        domains={
            "financien": (2, "confirmed", "KANARIE-FIN-BEWAARD"),
            "justitie": (2, "confirmed", "KANARIE-JUSTITIE-WEG"),
            "huisvesting": (4, "none", "KANARIE-HUIS-WEG"),
        },
    )
    caseworker = demo_users["consulent"]
    record = finalise_now(intake, context=AuditContext.for_user(caseworker), decided_by=caseworker)
    return {
        "intake": intake,
        "resident": intake.resident,
        "record": record,
        "kept": ["KANARIE-NAAM-BEWAARD", "KANARIE-ADRES-BEWAARD", "KANARIE-FIN-BEWAARD"],
        "discarded": ["KANARIE-JUSTITIE-WEG", "KANARIE-HUIS-WEG"],
    }
