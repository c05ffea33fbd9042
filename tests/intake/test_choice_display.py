"""The cheap get_FOO_display() methods say exactly what Django's own would say."""

import pytest
from django.utils import translation

from intake.models import DomainAssessment, Intake

FIELDS = {
    Intake: ["framework", "instrument_version", "status", "outcome"],
    DomainAssessment: ["score", "help_need"],
}


def _cases() -> list[tuple[type, str]]:
    return [(model, name) for model, names in FIELDS.items() for name in names]


@pytest.mark.parametrize(("model", "name"), _cases())
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_choice_and_an_unknown_value_display_as_django_would(
    model: type, name: str, language: str
) -> None:
    field = model._meta.get_field(name)
    values = [value for value, _label in field.flatchoices] + ["not-a-choice", None]
    with translation.override(language):
        for value in values:
            obj = model(**{name: value})
            ours = getattr(obj, f"get_{name}_display")()
            djangos = obj._get_FIELD_display(field)
            assert ours == djangos, (name, value)
            assert type(ours) is type(djangos)


def test_the_override_is_the_method_django_keeps() -> None:
    assert Intake.get_status_display.__module__ == "intake.choice_display"
    assert Intake(status="draft").get_status_display() == "concept"
