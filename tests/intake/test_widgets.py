"""The filter form's widgets render the same HTML elements as Django's own widgets."""

import pytest
from django import forms
from django.test.html import parse_html

from intake.forms import IntakeFilterForm, ResidentSearchForm
from intake.widgets import SearchInput, Select


def _django_rendering(bound: forms.BoundField) -> str:
    """The field as Django's own widget class renders it, same attributes."""
    ours = bound.field.widget
    base = forms.Select if isinstance(ours, Select) else forms.TextInput
    theirs = base(attrs=dict(ours.attrs))
    if isinstance(ours, Select):
        theirs.choices = ours.choices
    else:
        theirs.input_type = ours.input_type
    return theirs.render(
        bound.html_name, bound.value(), attrs=bound.build_widget_attrs({}) | {"id": bound.auto_id}
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"q": 'Jan "de" <Vries> & Zn', "status": "draft", "framework": "wmo"},
        {"q": "", "status": "bogus", "framework": "<script>"},
    ],
)
def test_the_filter_forms_widgets_render_what_djangos_would(data: dict | None) -> None:
    form = IntakeFilterForm(data)
    if data is not None:
        form.is_valid()  # invalid values add Bootstrap's invalid state and aria attributes
    for name in ("q", "status", "framework"):
        bound = form[name]
        assert parse_html(str(bound)) == parse_html(_django_rendering(bound)), name


def test_typed_input_is_kept_and_escaped() -> None:
    form = IntakeFilterForm({"q": 'Jan "de" <Vries>', "status": "draft"})
    form.is_valid()
    html = str(form["q"])
    assert 'value="Jan &quot;de&quot; &lt;Vries&gt;"' in html
    assert '<option value="draft" selected>' in str(form["status"])


def test_an_invalid_choice_is_marked_for_assistive_technology() -> None:
    form = IntakeFilterForm({"status": "bogus"})
    assert not form.is_valid()
    html = str(form["status"])
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_status_error"' in html


def test_the_resident_search_keeps_its_search_input() -> None:
    assert isinstance(ResidentSearchForm().fields["q"].widget, SearchInput)
    assert 'type="search"' in str(ResidentSearchForm()["q"])
