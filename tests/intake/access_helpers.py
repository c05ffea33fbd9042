"""Small builders for the access and assignment tests (no pages involved)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group

from accounts.roles import CONSULENT, TEAM_PREFIX
from intake.access import grant_caseworker
from intake.models import Framework, Intake, Resident


def make_intake(
    caseworker: AbstractUser, team: Group | None, name: str = "Canary Jansen"
) -> Intake:
    resident = Resident.objects.create(name=name, date_of_birth=dt.date(1970, 1, 1))
    intake = Intake.objects.create(
        resident=resident, caseworker=caseworker, team=team, framework=Framework.WMO
    )
    grant_caseworker(intake)
    return intake


def make_caseworker(username: str, team: Group) -> AbstractUser:
    user = get_user_model().objects.create_user(username=username, password="x-not-used-x")
    user.groups.add(Group.objects.get(name=CONSULENT), team)
    return user


def team(name: str) -> Group:
    return Group.objects.get_or_create(name=f"{TEAM_PREFIX}{name}")[0]
