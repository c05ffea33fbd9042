from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Intake")

    def ready(self) -> None:
        from intake import admin_accounts
        from intake.role_setup import ensure_roles

        admin_accounts.install()
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="intake.ensure_roles")
