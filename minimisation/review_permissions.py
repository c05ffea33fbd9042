"""The privacy officer's model-level view permissions for the admin review.

Created by migration minimisation/0002 (which keeps a frozen copy of REVIEW_PERMISSIONS)
and put back by a post_migrate handler after every migrate or flush (the test runner
flushes between transactional tests), the way Django re-creates its own permissions.
Idempotent: get_or_create for the group, add() for the permissions. The admin also
checks the role itself (minimisation/admin.py), so these permissions alone open nothing
for anyone else.
"""

from typing import Any

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from intake.roles import PRIVACY_OFFICER

REVIEW_PERMISSIONS: tuple[tuple[str, str], ...] = (
    ("intake", "view_intake"),
    ("intake", "view_domainassessment"),
    ("intake", "view_resident"),
    ("minimisation", "view_decisionrecord"),
    ("minimisation", "view_keptfield"),
    ("audit", "view_auditevent"),
)


def grant_review_permissions(using: str = "default", **kwargs: Any) -> None:
    for label in sorted({label for label, _codename in REVIEW_PERMISSIONS}):
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    group, _created = Group.objects.using(using).get_or_create(name=PRIVACY_OFFICER)
    wanted = Q()
    for label, codename in REVIEW_PERMISSIONS:
        wanted |= Q(content_type__app_label=label, codename=codename)
    group.permissions.add(*Permission.objects.using(using).filter(wanted))
