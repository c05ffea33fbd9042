"""Shared fixtures. Tests that need PostgreSQL or SQLite are marked and deselected
(not skipped) on the other backend; CI runs the suite on both."""

import os
from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db.backends.signals import connection_created
from django.test import Client

from intake.models import Intake, Resident
from tests.factories import Domains, IntakeFactory, ResidentFactory

IN_CI = os.environ.get("CI", "").lower() == "true"
DEMO_PASSWORD = "zrm-demo"
# make_intake's keywords that belong to the intake; the others are the resident's.
INTAKE_FIELDS = ("framework", "instrument_version")


def _allow_test_flushes_of_the_audit_log(sender: object, connection: object, **kw: object) -> None:
    """The audit table refuses TRUNCATE on PostgreSQL (audit migration 0002) unless
    zrm.audit_truncate is on; Django flushes the test database with TRUNCATE after
    every transactional test, so test connections turn it on."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET zrm.audit_truncate = 'on'")


connection_created.connect(_allow_test_flushes_of_the_audit_log)


def _key_provider_for_the_tests() -> str:
    """Real SoftHSM2: the token .ci/run made (PKCS11_PIN in the environment), or one made
    here in a directory of this run. Without SoftHSM2 a laptop falls back to a key file;
    CI never does (a missing service is a failure there)."""
    import tempfile
    from pathlib import Path

    from vault import softhsm
    from vault.providers import reset_provider

    if os.environ.get("PKCS11_PIN"):
        env = {k: os.environ[k] for k in ("PKCS11_MODULE", "PKCS11_TOKEN_LABEL", "PKCS11_PIN")}
    elif softhsm.available():
        env = softhsm.ensure_token(Path(tempfile.mkdtemp(prefix="zrm-softhsm-")))
    elif IN_CI:
        raise RuntimeError("CI=true needs SoftHSM2 (apt-get install softhsm2) for the tests.")
    else:
        env = {
            "KEY_PROVIDER": "keyfile",
            "KEY_FILE": str(Path(tempfile.mkdtemp(prefix="zrm-keys-")) / "keys.json"),
        }
    env.setdefault("KEY_PROVIDER", "pkcs11")
    os.environ.update(env)  # subprocesses (manage.py) of the tests use the same keys
    settings.KEY_PROVIDER = env["KEY_PROVIDER"]
    for name in ("KEY_FILE", "PKCS11_MODULE", "PKCS11_TOKEN_LABEL", "PKCS11_PIN"):
        if name in env:
            setattr(settings, name, env[name])
    reset_provider()
    return settings.KEY_PROVIDER


KEY_PROVIDER = _key_provider_for_the_tests()


def _backend() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    return "postgres" if "postgresql" in engine else "sqlite"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    other = "sqlite" if _backend() == "postgres" else "postgres"
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker(other) else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_report_header(config: pytest.Config) -> str:
    return (
        f"database backend: {_backend()} (tests marked for the other backend are deselected); "
        f"key provider: {KEY_PROVIDER}"
    )


@pytest.fixture
def demo_users(db: None, settings: object) -> dict[str, AbstractUser]:
    """The README's demo users (without seed_demo's demo intakes), as seed_demo makes them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.roles import ROLES
    from intake.management.commands.seed_demo import seed_users

    # seed_users hashes five passwords per test; a fast hasher keeps the tests quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    # A transactional test flushes the tables, and with them the role groups that a data
    # migration created; put them back so tests after it find the roles.
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    seed_users()
    users = get_user_model().objects.filter(
        username__in=["consulent", "consulent2", "teamleider", "privacy", "beheer"]
    )
    return {u.username: u for u in users}


@pytest.fixture
def signed_in(demo_users: dict[str, AbstractUser]) -> Callable[[str], Client]:
    """signed_in("consulent") -> a test client signed in as that demo user."""

    def sign_in(username: str) -> Client:
        client = Client()
        client.force_login(demo_users[username])
        return client

    return sign_in


@pytest.fixture
def make_intake(demo_users: dict[str, AbstractUser]) -> Callable[..., Intake]:
    """make_intake("consulent2", name=..., domains={"financien": (3, "confirmed", "")})
    -> a draft of that demo caseworker (default "consulent"), made by tests/factories.py.

    resident: an existing resident (default: a new one, with `resident_fields` such as
    name=...); previous: the intake this one reassesses (its resident, too).
    """

    def make(
        caseworker: str = "consulent",
        *,
        resident: Resident | None = None,
        previous: Intake | None = None,
        domains: Domains | None = None,
        **fields: object,
    ) -> Intake:
        intake_fields = {
            k: fields.pop(k) for k in ("framework", "instrument_version") if k in fields
        }
        if resident is None:
            resident = previous.resident if previous is not None else ResidentFactory(**fields)
        elif fields:
            raise TypeError(f"resident fields {sorted(fields)} given with an existing resident")
        return IntakeFactory(
            caseworker=demo_users[caseworker],
            resident=resident,
            previous=previous,
            domains=domains,
            **intake_fields,
        )

    return make
