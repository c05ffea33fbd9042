"""get_FOO_display() for choice fields, without Django's per-call cost.

Django's generated get_FOO_display() builds a dict of the field's choices on every call and
hashes each (value, label) pair on the way; hashing a lazy label translates it. On the intake
list (20 rows, three choice fields each) that was a fifth of the template's time and 160
translation lookups per page (make bench, cProfile). This builds the value -> label map once
per field and translates only the one label it returns, in the active language.
"""

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.encoding import force_str


def choice_display(field_name: str) -> Callable[[models.Model], str]:
    """A get_FOO_display() method for `field_name`: assign it in the model's class body as
    `get_<field_name>_display = choice_display("<field_name>")`; Django then keeps it."""
    labels: dict[Any, Any] = {}

    def display(self: models.Model) -> str:
        if not labels:
            labels.update(self._meta.get_field(field_name).flatchoices)
        value = getattr(self, field_name)
        return force_str(labels.get(value, value), strings_only=True)

    display.__name__ = f"get_{field_name}_display"
    display.__doc__ = f"The label of {field_name} in the active language (or the raw value)."
    return display
