"""Factories for intakes with domain assessments, shared by the minimisation tests."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AbstractUser

from intake.access import grant_caseworker
from intake.models import DomainAssessment, Intake, Resident

# domain code -> (score or None, help need, notes)
Domains = dict[str, tuple[int | None, str, str]]


def create_intake(
    caseworker: AbstractUser,
    *,
    framework: str = "wmo",
    domains: Domains | None = None,
    resident: Resident | None = None,
    instrument_version: str = "zrm2017",
    **resident_fields: object,
) -> Intake:
    if resident is None:
        defaults: dict[str, object] = {
            "name": "Test Inwoner",
            "date_of_birth": dt.date(1980, 2, 29),
            "bsn": "123456782",
            "address": "Teststraat 1",
            "phone": "0612345678",
            "email": "inwoner@example.org",
        }
        defaults.update(resident_fields)
        resident = Resident.objects.create(**defaults)
    intake = Intake.objects.create(
        resident=resident,
        caseworker=caseworker,
        framework=framework,
        instrument_version=instrument_version,
    )
    for code, (score, need, notes) in (domains or {}).items():
        DomainAssessment.objects.create(
            intake=intake, domain=code, score=score, help_need=need, notes=notes
        )
    grant_caseworker(intake)
    return intake


@pytest.fixture
def make_intake(demo_users: dict[str, AbstractUser]) -> Callable[..., Intake]:
    def make(caseworker: str = "consulent", **kwargs: object) -> Intake:
        return create_intake(demo_users[caseworker], **kwargs)

    return make


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: object) -> None:
    """seed_demo hashes five passwords per test; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S105
