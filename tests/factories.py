"""Test data: users in roles and teams, residents, draft intakes with their domain rows.

Built on the ORM models directly (not on the intake services), so a test's setup does not
change when a service does, and no setup writes an audit event. An intake is made the way
the service makes it: one "niet besproken" row per domain of its instrument, its
caseworker's first team, and the caseworker's object permissions (intake.access).
Every name and number is made up; BSNs are in the 9999xxxxx test range.
"""

import datetime as dt
import logging
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

from accounts.roles import CONSULENT, TEAM_PREFIX, TEAMLEIDER, teams_of
from audit.context import AuditContext
from intake.access import grant_caseworker, team_leads_group
from intake.bsn import passes_elfproef
from intake.instrument import DEFAULT_INSTRUMENT
from intake.management.commands.seed_demo import DEMO_TEAM
from intake.models import DomainAssessment, Framework, HelpNeed, Intake, Resident
from minimisation.decide import decide, snapshot_of
from minimisation.finalising import finalise
from minimisation.models import DecisionRecord
from minimisation.policy import POLICY

# The audit context of what tests set up by calling a service directly.
TEST_CONTEXT = AuditContext.system("command:test")

# domain code -> (score or None for "niet besproken", help need, notes)
Domains = dict[str, tuple[int | None, str, str]]

# factory_boy logs every declaration's value at DEBUG; test values are often canaries
# that the no-leak tests look for in the log output.
logging.getLogger("factory").setLevel(logging.INFO)

_FIRST_NAMES = ("Anouk", "Bram", "Cor", "Dewi", "Evert", "Fenna", "Gijs", "Hanneke")
_SURNAMES = ("Proefmans", "Testhoven", "Voorbeeldt", "Nepstra", "Oefenberg")


def valid_bsn(n: int) -> str:
    """The n-th (from 0) nine-digit number of the 9999xxxxx test range that passes the 11-proef."""
    while len(_VALID_BSNS) <= n:
        candidate = _VALID_BSNS[-1] + 1 if _VALID_BSNS else 999_900_000
        while not passes_elfproef(str(candidate)):
            candidate += 1
        _VALID_BSNS.append(candidate)
    return str(_VALID_BSNS[n])


_VALID_BSNS: list[int] = []


def made_up_name(n: int) -> str:
    """A name no real resident has, different for every n."""
    first = _FIRST_NAMES[n % len(_FIRST_NAMES)]
    surname = _SURNAMES[(n // len(_FIRST_NAMES)) % len(_SURNAMES)]
    return f"{first} {surname} {n}"


def team(name: str = DEMO_TEAM.removeprefix(TEAM_PREFIX)) -> Group:
    """The team group "Team <name>" (the demo team by default)."""
    return Group.objects.get_or_create(name=f"{TEAM_PREFIX}{name}")[0]


class UserFactory(DjangoModelFactory):
    """A user; `role` (a name of accounts.roles.ROLES) and `team` (a team group) are
    group memberships as seed_demo gives them: a team lead also joins the team's leads
    group, through which they see the team's intakes."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    password = Password(None)  # unusable: tests sign in with force_login
    role = ""
    team: Group | None = None

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> AbstractBaseUser:
        role, team_group = kwargs.pop("role"), kwargs.pop("team")
        user = super()._create(model_class, *args, **kwargs)
        if role:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        if team_group is not None:
            user.groups.add(team_group)
            if role == TEAMLEIDER:
                user.groups.add(team_leads_group(team_group))
        return user


def caseworker(team_name: str | None = None, **kwargs: Any) -> AbstractBaseUser:
    """A consulent in the given team (the demo team by default)."""
    return UserFactory(role=CONSULENT, team=team(team_name) if team_name else team(), **kwargs)


def team_lead(team_name: str | None = None, **kwargs: Any) -> AbstractBaseUser:
    """A teamleider of the given team (the demo team by default), in its leads group."""
    return UserFactory(role=TEAMLEIDER, team=team(team_name) if team_name else team(), **kwargs)


class ResidentFactory(DjangoModelFactory):
    """A resident with every personal field filled, so minimisation has something to drop."""

    class Meta:
        model = Resident

    name = factory.Sequence(made_up_name)
    date_of_birth = dt.date(1980, 2, 29)
    bsn = factory.Sequence(valid_bsn)
    address = factory.Sequence(lambda n: f"Proefstraat {n + 1}")
    phone = factory.Sequence(lambda n: f"06{n:08d}")
    email = factory.Sequence(lambda n: f"inwoner{n}@example.org")


class IntakeFactory(DjangoModelFactory):
    """A draft as the intake service makes it: one "niet besproken" row per domain of its
    instrument, the caseworker's first team, granted to the caseworker (and the team's
    leads). `domains={code: (score, help_need, notes)}` scores some domains at once."""

    class Meta:
        model = Intake
        skip_postgeneration_save = True

    resident = factory.SubFactory(ResidentFactory)
    caseworker = factory.LazyFunction(caseworker)
    team = factory.LazyAttribute(lambda o: teams_of(o.caseworker).order_by("name").first())
    framework = Framework.WMO
    instrument_version = DEFAULT_INSTRUMENT

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Intake:
        intake: Intake = super()._create(model_class, *args, **kwargs)
        DomainAssessment.objects.bulk_create(
            DomainAssessment(intake=intake, domain=code, help_need=HelpNeed.UNKNOWN)
            for code in intake.instrument.domain_codes
        )
        grant_caseworker(intake)
        return intake

    @factory.post_generation
    def domains(self: Intake, create: bool, extracted: Domains | None, **kwargs: Any) -> None:
        # factory_boy calls this with the built intake as `self`.
        if extracted:
            scored(self, extracted)


def scored(intake: Intake, domains: Domains) -> Intake:
    """Set the given domains' (score, help need, notes), as test setup: no version bump,
    no audit event. A code the instrument does not know adds a row for it, as data from
    an older instrument may hold."""
    for code, (score, help_need, notes) in domains.items():
        DomainAssessment.objects.update_or_create(
            intake=intake,
            domain=code,
            defaults={"score": score, "help_need": help_need, "notes": notes},
        )
    return intake


def finalise_now(
    intake: Intake,
    today: dt.date | None = None,
    *,
    context: AuditContext = TEST_CONTEXT,
    decided_by: AbstractBaseUser | None = None,
) -> DecisionRecord:
    """Finalise as a caseworker who has just seen the preview: with its decision's digest.
    The intake is refreshed in place.

    The one place the tests' setup calls the finalising code: adapt it here when that moves.
    """
    today = today or timezone.localdate()
    intake.refresh_from_db()
    shown = decide(snapshot_of(intake, today), POLICY, today)
    record = finalise(
        intake.pk, digest=shown.digest, context=context, decided_by=decided_by, today=today
    )
    intake.refresh_from_db()
    return record
