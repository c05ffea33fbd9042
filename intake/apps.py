from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Intake")

    def ready(self) -> None:
        # Connects the late-save receiver to accounts' session_expired signal.
        from intake import parking  # noqa: F401
        from intake.search_index import reindex_residents  # noqa: PLC0415 - needs the models
        from vault.rotation import REINDEXERS  # noqa: PLC0415

        # rotate_keys --search-key recomputes the residents' blind index.
        if reindex_residents not in REINDEXERS:
            REINDEXERS.append(reindex_residents)
