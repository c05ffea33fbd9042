"""The role groups and their model-level permissions, kept in place after every migrate.

The data migrations (0002, 0004) create them once; this post_migrate handler puts them
back whenever the tables were emptied and re-populated (`manage.py flush`, and the test
runner's flush between transactional tests), the way Django itself re-creates content
types and permissions. Object access to intake content is never granted here: that is
per object, through guardian's direct-FK tables (intake/access.py).
"""

from typing import Any

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from accounts.roles import APP_ADMIN, CONSULENT, PRIVACY_OFFICER, ROLES, TEAMLEIDER

# (app label, codename) per role. Migrations intake/0004 and minimisation/0002 hold
# frozen copies of (parts of) this table.
ROLE_PERMISSIONS: dict[str, tuple[tuple[str, str], ...]] = {
    CONSULENT: (("intake", "add_resident"), ("intake", "add_intake")),
    TEAMLEIDER: (("intake", "reassign_intake"),),
    PRIVACY_OFFICER: (
        # For the admin review only; the caseworker pages ignore model-level permissions.
        ("audit", "view_auditevent"),
        ("intake", "view_intake"),
        ("intake", "view_domainassessment"),
        ("intake", "view_resident"),
        ("intake", "view_zrmdefinition"),
        ("minimisation", "view_decisionrecord"),
        ("minimisation", "view_keptfield"),
        # Pending role grants: the privacy officer approves the privacy role (accounts/grants.py).
        ("accounts", "view_rolegrant"),
    ),
    APP_ADMIN: (
        ("auth", "add_user"),
        ("auth", "change_user"),
        ("auth", "view_user"),
        ("auth", "add_group"),
        ("auth", "change_group"),
        ("auth", "delete_group"),
        ("auth", "view_group"),
        ("intake", "add_zrmdefinition"),
        ("intake", "change_zrmdefinition"),
        ("intake", "delete_zrmdefinition"),
        ("intake", "view_zrmdefinition"),
        # Reset a lost second factor; lift a login lock-out.
        ("otp_totp", "view_totpdevice"),
        ("otp_totp", "delete_totpdevice"),
        ("otp_static", "view_staticdevice"),
        ("otp_static", "delete_staticdevice"),
        ("axes", "view_accessattempt"),
        ("axes", "delete_accessattempt"),
        # Pending role grants: approved or rejected by a second person (accounts/grants.py).
        ("accounts", "view_rolegrant"),
    ),
}


def ensure_roles(using: str = "default", **kwargs: Any) -> None:
    """Create missing role groups and give them their permissions (idempotent)."""
    labels = {label for perms in ROLE_PERMISSIONS.values() for label, _codename in perms}
    for label in sorted(labels):
        # Other apps' permissions may not exist yet when intake's post_migrate runs.
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    for role in ROLES:
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = Q()
        for label, codename in ROLE_PERMISSIONS.get(role, ()):
            wanted |= Q(content_type__app_label=label, codename=codename)
        if wanted:
            group.permissions.add(*Permission.objects.using(using).filter(wanted))
