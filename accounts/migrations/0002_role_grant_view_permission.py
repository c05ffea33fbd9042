"""Let the approvers of role grants see them in the admin: the application admin
(functioneel beheerder) and the privacy officer (privacyfunctionaris, for the privacy role).

Idempotent, and a frozen copy of that part of accounts/role_setup.py: migrations must not
import application code that may change later.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANT_PERMISSIONS = {
    "functioneel beheerder": (("accounts", "view_rolegrant"),),
    "privacyfunctionaris": (("accounts", "view_rolegrant"),),
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("accounts")
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in GRANT_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        for label, codename in perms:
            permission = Permission.objects.filter(
                content_type__app_label=label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role, perms in GRANT_PERMISSIONS.items():
        group = Group.objects.filter(name=role).first()
        if group is None:
            continue
        for label, codename in perms:
            group.permissions.remove(
                *group.permissions.filter(content_type__app_label=label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_role_grant"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
