from django.apps import AppConfig
from django.core import checks
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
