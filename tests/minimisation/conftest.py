"""Factories for intakes with domain assessments, and the two ways to finalise one,
shared by the minimisation tests."""

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.context import AuditContext
from intake.access import grant_caseworker
from intake.models import DomainAssessment, Intake, Resident
from minimisation.decide import decide, snapshot_of
from minimisation.finalising import finalise
from minimisation.models import DecisionRecord
from minimisation.policy import POLICY

TEST_CONTEXT = AuditContext.system("command:test")

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


def finalise_now(
    intake: Intake,
    today: dt.date | None = None,
    *,
    context: AuditContext = TEST_CONTEXT,
    decided_by: AbstractUser | None = None,
) -> DecisionRecord:
    """Finalise as a caseworker who has just seen the preview: with its decision's digest."""
    today = today or timezone.localdate()
    intake.refresh_from_db()
    shown = decide(snapshot_of(intake, today), POLICY, today)
    return finalise(
        intake.pk, digest=shown.digest, context=context, decided_by=decided_by, today=today
    )


def preview_url(intake: Intake) -> str:
    return reverse("minimisation:preview", args=[intake.pk])


def preview_form(client: Client, intake: Intake) -> dict[str, str]:
    """GET the preview and return what its finalise form posts (its hidden inputs)."""
    html = client.get(preview_url(intake)).content.decode()
    form = html[html.index('data-testid="finalise-form"') :]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
