"""System checks: production holds its keys in a token, and the identity cipher (no
encryption) exists only in the benchmark's settings."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Error, register

KEY_FILE_IN_PRODUCTION = "vault.E001"
IDENTITY_OUTSIDE_BENCH = "vault.E002"


@register()
def check_key_provider(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[Error]:
    errors = []
    if settings.PRODUCTION and settings.KEY_PROVIDER != "pkcs11":
        errors.append(
            Error(
                "In productie staan de sleutels in een PKCS#11-token (HSM), niet in een "
                "sleutelbestand.",
                hint="Zet KEY_PROVIDER=pkcs11 met PKCS11_MODULE, PKCS11_TOKEN_LABEL en PKCS11_PIN.",
                id=KEY_FILE_IN_PRODUCTION,
            )
        )
    if getattr(settings, "VAULT_IDENTITY_CIPHER", False) and not getattr(
        settings, "BENCH_SETTINGS", False
    ):
        errors.append(
            Error(
                "De identiteitstransformatie (geen versleuteling) is alleen toegestaan in "
                "de benchmarkinstellingen.",
                hint="Verwijder VAULT_IDENTITY_CIPHER uit deze instellingen.",
                id=IDENTITY_OUTSIDE_BENCH,
            )
        )
    return errors
