"""Roles are Django groups; teams are groups whose name starts with TEAM_PREFIX.

One place that knows the role names, so templates, access helpers and the
audit log all say the same thing.
"""

from django.contrib.auth.models import AnonymousUser, Group, User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

CONSULENT = "consulent"
TEAMLEIDER = "teamleider"
PRIVACY_OFFICER = "privacyfunctionaris"
APP_ADMIN = "functioneel beheerder"

ROLES = (CONSULENT, TEAMLEIDER, PRIVACY_OFFICER, APP_ADMIN)
# Roles that work with intakes on the caseworker pages.
CASEWORK_ROLES = (CONSULENT, TEAMLEIDER)
ROLE_LABELS = {
    CONSULENT: _("Consulent"),
    TEAMLEIDER: _("Teamleider"),
    PRIVACY_OFFICER: _("Privacyfunctionaris"),
    APP_ADMIN: _("Functioneel beheerder"),
}

TEAM_PREFIX = "Team "
# Each team has a leads group, "Leiding Team Noord": its members (the team leads) see the
# team's intakes. A separate group, not the team group itself, so that the other
# caseworkers in the team do not (need to know). See intake/access.py.
LEADS_PREFIX = "Leiding "
_ROLE_CACHE = "_zrm_role"


def role_of(user: User | AnonymousUser) -> str:
    """The user's role name, or "" for a user without one.

    A user holds one role; if an admin gave several, the first in ROLES wins,
    which is also the most restricted for intake content.
    """
    if not user.is_authenticated:
        return ""
    cached: str | None = getattr(user, _ROLE_CACHE, None)
    if cached is not None:
        return cached
    names = set(Group.objects.filter(user=user, name__in=ROLES).values_list("name", flat=True))
    role = next((r for r in ROLES if r in names), "")
    setattr(user, _ROLE_CACHE, role)  # per-request cache on the user object
    return role


def has_role(user: User | AnonymousUser, role: str) -> bool:
    return role_of(user) == role


def teams_of(user: User) -> QuerySet[Group]:
    return Group.objects.filter(user=user, name__startswith=TEAM_PREFIX)


def leads_group_name(team: Group) -> str:
    return f"{LEADS_PREFIX}{team.name}"
