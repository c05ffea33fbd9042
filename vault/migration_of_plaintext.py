"""Existing plaintext sealed in place, batch by batch (manage.py encrypt_plaintext).

Migration intake 0005 turns the personal-data columns into binary columns; a value written
before it is still its plaintext there (the fields read it as such, so the app keeps
working meanwhile). This walks every model with sealed fields in id order, one transaction
and row lock per batch, and saves each row's plaintext fields: `save()` seals them under new
data keys and the models keep their blind index. Running it again finds nothing left to do.
Afterwards the old plaintext still sits in dead tuples: VACUUM FULL once (README).
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db import transaction

from vault.fields import SealedModel, sealed_fields


def models_with_sealed_fields() -> list[type[SealedModel]]:
    return [m for m in apps.get_models() if issubclass(m, SealedModel) and sealed_fields(m)]


def seal_existing_plaintext(
    batch_size: int = 500, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    sealed: dict[str, int] = {}
    for model in models_with_sealed_fields():
        label = model._meta.label
        sealed[label], last = 0, 0
        while True:
            with transaction.atomic():
                rows = list(
                    model._default_manager.select_for_update()
                    .filter(pk__gt=last)
                    .order_by("pk")[:batch_size]
                )
                if not rows:
                    break
                for row in rows:
                    plain = row.plaintext_fields()
                    if plain:
                        row.save(update_fields=plain)
                        sealed[label] += 1
                last = rows[-1].pk
            if progress is not None:
                progress(label, sealed[label])
    return sealed
