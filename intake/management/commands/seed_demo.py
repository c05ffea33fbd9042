"""Demo users for a laptop or a test environment. Idempotent; refuses production."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from intake.roles import (
    APP_ADMIN,
    CONSULENT,
    PRIVACY_OFFICER,
    TEAM_PREFIX,
    TEAMLEIDER,
    leads_group_name,
)

DEMO_PASSWORD = "zrm-demo"  # noqa: S105 - documented demo password, development only
DEMO_TEAM = f"{TEAM_PREFIX}Noord"

# username -> (role, in the demo team, is_staff)
DEMO_USERS: dict[str, tuple[str, bool, bool]] = {
    "consulent": (CONSULENT, True, False),
    "consulent2": (CONSULENT, True, False),
    "teamleider": (TEAMLEIDER, True, False),
    "privacy": (PRIVACY_OFFICER, False, True),
    "beheer": (APP_ADMIN, False, True),
}


class Command(BaseCommand):
    help = "Maakt demogebruikers aan (wachtwoord zrm-demo). Weigert in productie."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DJANGO_ENV == "production":
            raise CommandError("seed_demo weigert te draaien met DJANGO_ENV=production.")
        with transaction.atomic():
            team, _ = Group.objects.get_or_create(name=DEMO_TEAM)
            for username, (role, in_team, is_staff) in DEMO_USERS.items():
                seed_user(username, role=role, team=team if in_team else None, is_staff=is_staff)
        self.stdout.write(f"Demogebruikers klaar: {', '.join(DEMO_USERS)} (wachtwoord zrm-demo).")


def seed_user(username: str, *, role: str, team: Group | None, is_staff: bool) -> None:
    user, created = get_user_model().objects.get_or_create(username=username)
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.is_staff = is_staff
    user.is_active = True
    user.save()
    user.groups.add(Group.objects.get(name=role))
    if team is not None:
        user.groups.add(team)
        if role == TEAMLEIDER:
            # The team lead sees the team's intakes through the team's leads group.
            leads, _ = Group.objects.get_or_create(name=leads_group_name(team))
            user.groups.add(leads)
