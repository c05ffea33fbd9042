"""Give each role group its model-level permissions.

Object access to intake content is never granted here: that is per object, through
guardian's direct-FK tables (intake/access.py). Model-level "view" for the privacy
officer is for the admin review only; the caseworker pages ignore model-level perms.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "consulent": [
        ("intake", "add_resident"),
        ("intake", "add_intake"),
    ],
    "teamleider": [
        ("intake", "reassign_intake"),
    ],
    "privacyfunctionaris": [
        ("audit", "view_auditevent"),
        ("intake", "view_intake"),
        ("intake", "view_domainassessment"),
        ("intake", "view_resident"),
        ("intake", "view_zrmdefinition"),
    ],
    "functioneel beheerder": [
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
    ],
}


def grant(apps, schema_editor):
    # Permissions are normally made after migrate (post_migrate); make them now.
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=role).first()
        if group is None:
            continue
        for app_label, codename in perms:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_resident_validators_and_destroyable_birth_date"),
        ("audit", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("otp_totp", "__first__"),
        ("otp_static", "__first__"),
        ("axes", "__first__"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
