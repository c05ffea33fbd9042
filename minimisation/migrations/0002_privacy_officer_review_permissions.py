"""Give the privacy officer (privacyfunctionaris) view permissions for the admin review.

Idempotent: the group is get_or_create'd and permissions are added (re-running adds
nothing). A frozen copy of the privacy officer's part of intake/role_setup.py: migrations must not
import application code that may change later.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PRIVACY_OFFICER = "privacyfunctionaris"
REVIEW_PERMISSIONS = (
    ("intake", "view_intake"),
    ("intake", "view_domainassessment"),
    ("intake", "view_resident"),
    ("minimisation", "view_decisionrecord"),
    ("minimisation", "view_keptfield"),
    ("audit", "view_auditevent"),
)


def grant(apps, schema_editor):
    # Permissions are normally created after migrate (post_migrate); create them now.
    for label in sorted({label for label, _codename in REVIEW_PERMISSIONS}):
        app_config = apps.get_app_config(label)
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=PRIVACY_OFFICER)
    for label, codename in REVIEW_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=PRIVACY_OFFICER).first()
    if group is None:
        return
    for label, codename in REVIEW_PERMISSIONS:
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label=label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("minimisation", "0001_decision_record_and_kept_fields"),
        ("intake", "0003_resident_validators_and_destroyable_birth_date"),
        ("audit", "0002_append_only_trigger"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
