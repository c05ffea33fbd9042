from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The privacy officer's pages: admin review, overview, register, residents' requests."""

    name = "privacy"
    verbose_name = _("Privacy")
