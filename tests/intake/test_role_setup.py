"""Roles and their permissions come back after the tables were emptied (flush)."""

import os

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from accounts.role_setup import ROLE_PERMISSIONS
from accounts.roles import ROLES


@pytest.mark.django_db(transaction=True)
def test_flush_keeps_the_roles_and_their_permissions() -> None:
    call_command("flush", "--noinput", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert set(Group.objects.filter(name__in=ROLES).values_list("name", flat=True)) == set(ROLES)
    for role, perms in ROLE_PERMISSIONS.items():
        granted = set(
            Permission.objects.filter(group__name=role).values_list(
                "content_type__app_label", "codename"
            )
        )
        assert set(perms) == granted


@pytest.mark.django_db
def test_the_migrations_and_the_post_migrate_table_agree() -> None:
    import importlib

    migration = importlib.import_module("intake.migrations.0004_role_model_permissions")
    review = importlib.import_module(
        "minimisation.migrations.0002_privacy_officer_review_permissions"
    )
    frozen = {role: set(perms) for role, perms in migration.ROLE_PERMISSIONS.items()}
    frozen[review.PRIVACY_OFFICER] |= set(review.REVIEW_PERMISSIONS)
    grants = importlib.import_module("accounts.migrations.0002_role_grant_view_permission")
    for role, perms in grants.GRANT_PERMISSIONS.items():
        frozen[role] |= set(perms)
    assert frozen == {role: set(perms) for role, perms in ROLE_PERMISSIONS.items()}
