"""Demo users, residents and intakes for a laptop or a test environment.

Idempotent; refuses production. Every name and number here is made up (the BSNs
are in the 9999xxxxx test range and pass the 11-proef).
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.roles import (
    APP_ADMIN,
    CONSULENT,
    PRIVACY_OFFICER,
    TEAM_PREFIX,
    TEAMLEIDER,
    leads_group_name,
)
from audit.context import AuditContext
from intake.models import Framework, HelpNeed, Intake, IntakeStatus, Outcome, Resident
from intake.services import DomainValues, create_intake, save_assessment

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
# Staff are shown by first and last name (made up).
DEMO_NAMES: dict[str, tuple[str, str]] = {
    "consulent": ("Sanne", "Bakker"),
    "consulent2": ("Ahmed", "El Amrani"),
    "teamleider": ("Petra", "de Wit"),
    "privacy": ("Joost", "Visser"),
    "beheer": ("Ilse", "Mulder"),
}


class Command(BaseCommand):
    help = "Maakt demogebruikers aan (wachtwoord zrm-demo). Weigert in productie."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DJANGO_ENV == "production":
            raise CommandError("seed_demo weigert te draaien met DJANGO_ENV=production.")
        with transaction.atomic():
            seed_users()
            seed_intakes(get_user_model().objects.get(username="consulent"))
        self.stdout.write(
            f"Demogebruikers en demo-intakes klaar: {', '.join(DEMO_USERS)} (wachtwoord zrm-demo)."
        )


def seed_users() -> None:
    """The demo users in their roles and team; the tests use these too."""
    team, _ = Group.objects.get_or_create(name=DEMO_TEAM)
    for username, (role, in_team, is_staff) in DEMO_USERS.items():
        seed_user(username, role=role, team=team if in_team else None, is_staff=is_staff)


def seed_user(username: str, *, role: str, team: Group | None, is_staff: bool) -> None:
    user, created = get_user_model().objects.get_or_create(username=username)
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.is_staff = is_staff
    user.is_active = True
    user.first_name, user.last_name = DEMO_NAMES.get(username, ("", ""))
    user.save()
    # get_or_create: a transactional test flushes the groups the migration made.
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    if team is not None:
        user.groups.add(team)
        if role == TEAMLEIDER:
            # The team lead sees the team's intakes through the team's leads group.
            leads, _ = Group.objects.get_or_create(name=leads_group_name(team))
            user.groups.add(leads)


# (name, date of birth, BSN): made up.
DEMO_RESIDENTS = (
    ("Demo Jansen", dt.date(1961, 4, 12), "999999990"),
    ("Demo de Vries", dt.date(1988, 11, 3), ""),
)


SEEDED_BY = AuditContext.system("command:seed_demo")


def seed_intakes(caseworker: Any) -> None:
    """A finalised intake with a draft reassessment, and a fresh draft; once per resident."""
    # Found by BSN through the blind index (the columns hold ciphertext).
    first, second = (
        Resident.objects.with_bsn(bsn).first()
        or Resident.objects.create(name=name, date_of_birth=born, bsn=bsn)
        for name, born, bsn in DEMO_RESIDENTS
    )
    if not first.intakes.exists():
        earlier = create_intake(
            first,
            caseworker,
            framework=Framework.WMO,
            instrument_version="zrm2017",
            context=SEEDED_BY,
        )
        save_assessment(
            earlier,
            earlier.version,
            {
                "huisvesting": DomainValues(
                    2, HelpNeed.CONFIRMED, "Demo: woning niet toegankelijk."
                ),
                "basale_adl": DomainValues(2, HelpNeed.CONFIRMED, ""),
                "financien": DomainValues(4, HelpNeed.NONE, ""),
            },
            context=SEEDED_BY,
        )
        Intake.objects.filter(pk=earlier.pk).update(
            status=IntakeStatus.FINALISED, outcome=Outcome.HELP_NEEDED
        )
        create_intake(
            first,
            caseworker,
            framework=Framework.WMO,
            instrument_version="zrm2017",
            previous=earlier,
            context=SEEDED_BY,
        )
    if not second.intakes.exists():
        create_intake(
            second,
            caseworker,
            framework=Framework.PARTICIPATIEWET,
            instrument_version="zrm2017",
            context=SEEDED_BY,
        )
