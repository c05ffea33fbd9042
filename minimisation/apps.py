from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinimisationConfig(AppConfig):
    name = "minimisation"
    verbose_name = _("Dataminimalisatie")
