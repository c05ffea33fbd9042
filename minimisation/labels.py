"""Dutch names of captured fields and ZRM domains, for every page that lists them.

A field's label is its model field's verbose_name ("resident.name" -> Resident.name's
"naam"), so a label is written once, beside the field. Values never pass through here.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from intake.instrument import instrument


def field_label(name: str) -> str:
    """ "resident.name" -> "naam"; a name no model field has is shown as it is."""
    model_name, _, field_name = name.partition(".")
    try:
        model = apps.get_model("intake", model_name)
        return str(model._meta.get_field(field_name).verbose_name)
    except (LookupError, FieldDoesNotExist):
        return name


def domain_name(instrument_version: str, code: str) -> str:
    """The domain's name in that instrument version; an unknown code as it is."""
    try:
        return str(instrument(instrument_version).domain(code).name)
    except KeyError:
        return code
