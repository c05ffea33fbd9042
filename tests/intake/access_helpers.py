"""Small builders for the access and assignment tests (no pages involved), over
tests/factories.py."""

from django.contrib.auth.models import AbstractUser, Group

from accounts.roles import CONSULENT
from intake.models import Intake
from tests.factories import IntakeFactory, UserFactory
from tests.factories import team as team_group


def make_intake(
    caseworker: AbstractUser, team: Group | None, name: str = "Canary Jansen"
) -> Intake:
    """A draft of `caseworker` in `team` (None: no team, so no team lead sees it)."""
    return IntakeFactory(caseworker=caseworker, team=team, resident__name=name)


def make_caseworker(username: str, team: Group) -> AbstractUser:
    return UserFactory(username=username, role=CONSULENT, team=team)


def team(name: str) -> Group:
    return team_group(name)
