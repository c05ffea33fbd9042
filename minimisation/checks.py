"""System check: every field of the intake app's models is classified by the policy.

A new personal-data field cannot slip past minimisation: until a rule covers it (or
the policy says why it is not personal data), `manage.py check` and start-up fail.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.core.checks import Error
from django.db import models

from minimisation.policy import POLICY, Policy

UNCLASSIFIED = "minimisation.E001"


def is_classified(label: str, classified: set[str]) -> bool:
    model_name = label.split(".", 1)[0]
    return label in classified or f"{model_name}.*" in classified


def unclassified_fields(
    model_classes: Iterable[type[models.Model]], policy: Policy = POLICY
) -> list[str]:
    classified = policy.classified_fields()
    missing = []
    for model in model_classes:
        for model_field in model._meta.concrete_fields:
            if model_field.primary_key and isinstance(model_field, models.AutoField):
                continue  # a surrogate key says nothing about a person
            label = f"{model._meta.model_name}.{model_field.name}"
            if not is_classified(label, classified):
                missing.append(label)
    return missing


def check_policy_classifies_intake_fields(
    app_configs: Sequence[AppConfig] | None = None,
    databases: Sequence[str] | None = None,
    *,
    model_classes: Iterable[type[models.Model]] | None = None,
    policy: Policy = POLICY,
    **kwargs: Any,
) -> list[Error]:
    if model_classes is None:
        model_classes = apps.get_app_config("intake").get_models()
    return [
        Error(
            f"Het veld {label} van de intake-app is niet ingedeeld in het minimalisatiebeleid.",
            hint=(
                "Voeg een regel toe in minimisation/policy.py die dit veld dekt, of zet het "
                "met een reden in NOT_PERSONAL_DATA als het geen persoonsgegeven is."
            ),
            id=UNCLASSIFIED,
        )
        for label in unclassified_fields(model_classes, policy)
    ]
