"""Forms of the privacy officer's pages. Thin: the work is in minimisation/resident_requests.py."""

import datetime as dt
from dataclasses import replace
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.forms import SearchInput
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.autofill import no_autofill
from intake.bsn import normalise_bsn, validate_bsn
from intake.validators import validate_birth_date
from privacy.resident_requests import Correctable, CorrectionReason, ErasureReason

REASON_REQUIRED = _("Kies een reden. Zonder reden wordt er niets gewijzigd.")
DATE_INVALID = _("Vul een geldige datum in, bijvoorbeeld 31-12-2026.")


class PeriodForm(forms.Form):
    """A period of decision dates (GET: dates are not personal data)."""

    van = forms.DateField(
        label=_("Van"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"invalid": DATE_INVALID},
    )
    tot = forms.DateField(
        label=_("Tot en met"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"invalid": DATE_INVALID},
    )

    def period(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("tot") or today
        start = data.get("van") or end.replace(month=1, day=1)
        return start, end

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("van"), cleaned.get("tot")
        if start and end and end < start:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return cleaned


class ResidentLookupForm(forms.Form):
    q = forms.CharField(
        label=_("Zoek een inwoner op naam, geboortedatum (dd-mm-jjjj), BSN of referentie"),
        max_length=200,
        widget=SearchInput,
        error_messages={"required": _("Vul een naam, geboortedatum, BSN of referentie in.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # POST, not GET: a name, birth date or BSN must never be in a URL (access logs),
        # as on the caseworker's resident search (intake/forms.py).
        self.helper.form_method = "post"
        self.helper.form_id = "resident-lookup"
        self.helper.layout = Layout("q", Submit("zoek", _("Zoeken")))
        no_autofill(self)


class CorrectionForm(forms.Form):
    """One input per stored field; a reason code is required."""

    reason = forms.ChoiceField(
        label=_("Reden van de correctie"),
        choices=[("", "---------"), *CorrectionReason.choices],
        error_messages={"required": REASON_REQUIRED},
    )

    def __init__(self, *args: Any, items: list[Correctable], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[item.key] = _field_for(item)
            self.initial.setdefault(item.key, item.current)
        # The version of each intake the page showed: a caseworker's save after the page was
        # opened makes the correction a conflict (intake.services' one version check), so
        # the privacy officer never overwrites what they have not seen.
        for intake_id, version in _shown_versions(items).items():
            name = _version_field(intake_id)
            self.fields[name] = forms.IntegerField(
                widget=forms.HiddenInput,
                error_messages={"required": STALE_PAGE, "invalid": STALE_PAGE},
            )
            self.initial.setdefault(name, version)
        no_autofill(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if any(self.has_error(_version_field(pk)) for pk in _shown_versions(self.items)):
            self.add_error(None, STALE_PAGE)  # hidden fields: say it above the form
        return cleaned

    def changes(self) -> dict[str, Any]:
        return {item.key: self.cleaned_data[item.key] for item in self.items}

    def items_as_shown(self) -> list[Correctable]:
        """The items with the intake versions the page was built from (after is_valid())."""
        return [
            replace(item, intake_version=self.cleaned_data[_version_field(item.intake_id)])
            if item.intake_id is not None
            else item
            for item in self.items
        ]


STALE_PAGE = _("Deze pagina is verouderd. Open de correctie opnieuw.")


def _version_field(intake_id: int) -> str:
    return f"versie-intake-{intake_id}"


def _shown_versions(items: list[Correctable]) -> dict[int, int]:
    return {
        item.intake_id: item.intake_version
        for item in items
        if item.intake_id is not None and item.intake_version is not None
    }


# Resident fields the caseworker's form treats as optional: a correction may clear them
# (a phone number the resident no longer has). The others stay required.
CLEARABLE = frozenset({"resident.address", "resident.phone", "resident.email", "resident.bsn"})


def _field_for(item: Correctable) -> forms.Field:
    field = _required_field_for(item)
    if item.field in CLEARABLE:
        field.required = False
        field.help_text = _("Mag leeg: dan wordt het gegeven gewist.")
    return field


def _required_field_for(item: Correctable) -> forms.Field:
    name = item.field.split(".", 1)[1]
    required = {"required": _("Een bewaard gegeven kan niet leeg worden gemaakt; dat is wissen.")}
    if name == "date_of_birth":
        return forms.DateField(
            label=item.label,
            validators=[validate_birth_date],
            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            error_messages={**required, "invalid": DATE_INVALID},
        )
    if name == "bsn":
        return BsnField(label=item.label, max_length=11, error_messages=required)
    if name == "email":
        return forms.EmailField(
            label=item.label,
            error_messages={**required, "invalid": _("Vul een geldig e-mailadres in.")},
        )
    if name == "score":
        return forms.TypedChoiceField(
            label=item.label,
            choices=[(n, str(n)) for n in range(1, 6)],
            coerce=int,
            error_messages={**required, "invalid_choice": _("Kies een score van 1 tot en met 5.")},
        )
    if name == "notes":
        return forms.CharField(
            label=item.label,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages=required,
        )
    return forms.CharField(label=item.label, max_length=300, error_messages=required)


class BsnField(forms.CharField):
    def clean(self, value: Any) -> str:
        bsn = normalise_bsn(str(super().clean(value)))
        if bsn or self.required:
            validate_bsn(bsn)
        return bsn


class ErasureForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reden van het wissen"),
        choices=[("", "---------"), *ErasureReason.choices],
        error_messages={"required": REASON_REQUIRED},
    )
    # The deliberate confirm: erasure cannot be undone.
    bevestigd = forms.BooleanField(
        label=_(
            "Ik heb gecontroleerd om welke inwoner het gaat en wat er wordt gewist. Wissen is "
            "niet terug te draaien."
        ),
        error_messages={
            "required": _(
                "Vink aan dat u hebt gecontroleerd wat er wordt gewist; er is niets gewist."
            )
        },
    )
