from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MinimisationConfig(AppConfig):
    name = "minimisation"
    verbose_name = _("Dataminimalisatie")

    def ready(self) -> None:
        from minimisation.checks import check_policy_classifies_intake_fields
        from minimisation.policy import POLICY, validate

        # A broken policy stops start-up: better no application than one that keeps too much.
        validate(POLICY)
        checks.register(check_policy_classifies_intake_fields, checks.Tags.models)

        from minimisation.review_permissions import grant_review_permissions

        # After every migrate and flush: the privacy officer's admin review permissions.
        post_migrate.connect(
            grant_review_permissions, sender=self, dispatch_uid="minimisation.review_perms"
        )
