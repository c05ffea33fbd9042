"""The privacy officer's export filter form (Dutch labels, errors next to the field)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.export import FORMATS, ExportFilter, ExportFilterError, build_filter
from audit.models import Action


class DateInput(forms.DateInput):
    input_type = "date"


class ExportForm(forms.Form):
    since = forms.DateField(label=_("Vanaf (datum)"), required=False, widget=DateInput)
    until = forms.DateField(label=_("Tot en met (datum)"), required=False, widget=DateInput)
    actor = forms.CharField(
        label=_("Gebruiker"),
        required=False,
        max_length=150,
        help_text=_("Gebruikersnaam, exact."),
    )
    resident = forms.CharField(
        label=_("Inwonerreferentie"),
        required=False,
        max_length=36,
        help_text=_("De referentie (UUID) van de inwoner, exact."),
    )
    action = forms.ChoiceField(
        label=_("Actie"),
        required=False,
        choices=[("", _("Alle acties")), *Action.choices],
    )
    format = forms.ChoiceField(
        label=_("Formaat"),
        choices=[(f, f.upper() if f == "csv" else _("JSON Lines")) for f in FORMATS],
        initial="csv",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.export_filter: ExportFilter = build_filter(
                since=data.get("since"),
                until=data.get("until"),
                actor=data.get("actor", ""),
                resident_ref=data.get("resident", ""),
                action=data.get("action", ""),
            )
        except ExportFilterError as exc:
            self.add_error(exc.field or None, str(exc))
        return data
