import datetime as dt
from collections.abc import Callable

import pytest

from audit.context import AuditContext
from intake.models import Intake, Resident
from intake.services import create_intake

CANARY_NAME = "Canary Zwaluwstaart"
CANARY_NOTE = "CANARY-NOTE-7f3a"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: object) -> None:
    """seed_demo hashes five passwords per test; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_intake(demo_users: dict) -> Callable[..., Intake]:
    """make_intake(username="consulent2", name=..., framework=...) -> a granted draft intake."""

    def make(
        username: str = "consulent2",
        *,
        name: str = "Testpersoon Een",
        framework: str = "wmo",
        instrument_version: str = "zrm2017",
        previous: Intake | None = None,
    ) -> Intake:
        resident = (
            previous.resident
            if previous
            else Resident.objects.create(name=name, date_of_birth=dt.date(1970, 1, 2))
        )
        return create_intake(
            resident,
            demo_users[username],
            framework=framework,
            instrument_version=instrument_version,
            previous=previous,
            context=AuditContext.system("test"),
        )

    return make


def form_data(intake: Intake, **domains: tuple) -> dict[str, str]:
    """POST data for the assessment form: every domain "niet besproken" unless given.

    domains: code=(score, help_need, notes) with score "" for niet besproken.
    """
    data = {"version": str(intake.version)}
    for code in intake.instrument.domain_codes:
        score, help_need, notes = domains.get(code, ("", "unknown", ""))
        data[f"{code}-score"] = str(score)
        data[f"{code}-help_need"] = help_need
        data[f"{code}-notes"] = notes
    return data
