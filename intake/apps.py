from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Intake")

    def ready(self) -> None:
        # Connects the late-save receiver to accounts' session_expired signal.
        from intake import parking  # noqa: F401
