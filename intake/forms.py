"""Forms of the caseworker pages. Thin: rules live in validators, models and intake/services.py."""

import datetime as dt
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.forms import SearchInput
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from intake.autofill import no_autofill
from intake.bsn import normalise_bsn, validate_bsn
from intake.field_help import help_text_for, never_kept, resident_help_text
from intake.instrument import DEFAULT_INSTRUMENT, INSTRUMENT_CHOICES, SCALE, SCALE_LABELS
from intake.models import DomainAssessment, Framework, HelpNeed, Intake, IntakeStatus, Resident
from intake.services import DomainValues

NOTES_MAX = 2000
NOT_DISCUSSED = _("niet besproken")
SCORE_CHOICES = [("", NOT_DISCUSSED)] + [(str(n), f"{n} – {label}") for n, label in SCALE]


class IntakeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Zoek op naam of referentie van de inwoner"),
        required=False,
        max_length=200,
        widget=SearchInput,
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("alle"))] + IntakeStatus.choices
    )
    framework = forms.ChoiceField(
        label=_("Wettelijk kader"), required=False, choices=[("", _("alle"))] + Framework.choices
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # POST, not GET: a search term can be a name, and URLs end up in access logs.
        self.helper.form_method = "post"
        # The list's paging buttons submit this form again (form="intake-filter").
        self.helper.form_id = "intake-filter"
        self.helper.form_class = "zrm-filter"
        self.helper.layout = Layout(
            "q",
            "status",
            "framework",
            Div(Submit("zoek", _("Zoeken"))),
        )
        no_autofill(self)


class ResidentSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Zoek een inwoner op naam, geboortedatum (dd-mm-jjjj) of BSN"),
        required=False,
        max_length=200,
        widget=SearchInput,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # POST, not GET: a name, birth date or BSN must never be in a URL (access logs).
        self.helper.form_method = "post"
        self.helper.layout = Layout("q", Submit("zoek", _("Zoeken")))
        no_autofill(self)


class ResidentForm(forms.ModelForm[Resident]):
    class Meta:
        model = Resident
        fields = ["name", "date_of_birth", "bsn", "address", "phone", "email"]
        widgets = {"date_of_birth": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}
        error_messages = {
            "name": {"required": _("Vul de naam van de inwoner in.")},
            "date_of_birth": {
                "required": _("Vul de geboortedatum in."),
                "invalid": _("Vul een geldige datum in, bijvoorbeeld 31-12-1980."),
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        extra = {"bsn": str(_("Optioneel. 9 cijfers; bij 8 cijfers vullen we een 0 aan."))}
        for name, field in self.fields.items():
            field.help_text = resident_help_text(name, extra.get(name, ""))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        no_autofill(self)

    def _get_validation_exclusions(self) -> set[str]:
        """One BSN, one resident is decided by create_intake() (DuplicateResident), whose
        message depends on whether this caseworker may see the known resident: the model
        constraint's generic message would come first, so the model's checks of `bsn` are
        left out here and clean_bsn() runs its validator itself."""
        return {*super()._get_validation_exclusions(), "bsn"}  # type: ignore[misc]

    def clean_bsn(self) -> str:
        bsn = normalise_bsn(self.cleaned_data["bsn"]) if self.cleaned_data["bsn"] else ""
        if bsn:
            validate_bsn(bsn)
        return bsn


class NewIntakeForm(forms.Form):
    framework = forms.ChoiceField(
        label=_("Wettelijk kader"),
        choices=Framework.choices,
        error_messages={"required": _("Kies het wettelijk kader.")},
    )
    instrument_version = forms.ChoiceField(
        label=_("Versie van de ZRM"), choices=INSTRUMENT_CHOICES, initial=DEFAULT_INSTRUMENT
    )
    # One token per rendered form: a resent form (double submit) finds the intake it made.
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        no_autofill(self)  # the framework says which kind of help a resident asked for


KEEP_MINE, TAKE_STORED = "mijn", "opgeslagen"
CONFLICT_CHOICES = [
    (KEEP_MINE, _("Mijn invoer bewaren: de opgeslagen versie van dit domein wordt vervangen")),
    (TAKE_STORED, _("De opgeslagen versie overnemen: mijn invoer voor dit domein vervalt")),
]


class AssessmentForm(forms.Form):
    """All domains of one intake on one page: score, help need and notes per domain.

    After a conflict (someone saved first) the form names the differing domains in
    `conflicten`, and each of them needs a deliberate choice, mine or the stored one:
    a second save never overwrites another tab's note without it."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    conflicten = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)

    def __init__(
        self,
        *args: Any,
        intake: Intake,
        definitions: dict[str, dict[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.intake = intake
        self.domains = intake.instrument.domains
        definitions = definitions or {}
        stored = {a.domain: a for a in intake.assessments.all()}
        codes = {d.code for d in self.domains}
        raw = str(self.data.get("conflicten", "")) if self.is_bound else ""
        self.conflicts = [c for c in raw.split(",") if c in codes and c in stored]
        previous, previous_on = _previous_scores(intake)
        fieldsets = []
        for domain in self.domains:
            code = domain.code
            self.fields[f"{code}-score"] = forms.TypedChoiceField(
                label=_("Score"),
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                help_text=help_text_for(intake.framework, code, "score"),
                error_messages={
                    "invalid_choice": _("Kies een score van 1 tot en met 5, of 'niet besproken'.")
                },
            )
            self.fields[f"{code}-help_need"] = forms.ChoiceField(
                label=_("Hulpvraag"),
                choices=HelpNeed.choices,
                initial=HelpNeed.UNKNOWN,
                help_text=help_text_for(intake.framework, code, "help_need"),
                error_messages={
                    "invalid_choice": _(
                        "Kies ‘ja, bevestigd’, ‘nee, geen hulpvraag’ of ‘nog niet bepaald’."
                    ),
                    "required": _(
                        "Kies ‘ja, bevestigd’, ‘nee, geen hulpvraag’ of ‘nog niet bepaald’."
                    ),
                },
            )
            notes_attrs = {"rows": "3"}
            if never_kept(intake.framework, code, "notes"):
                # static/js/field-notice.js shows this as soon as something is typed.
                notes_attrs["data-never-kept"] = str(
                    _(
                        "Let op: wat u hier typt, wordt onder de %(framework)s nooit bewaard "
                        "en bij afronden vernietigd."
                    )
                    % {"framework": intake.get_framework_display()}
                )
            self.fields[f"{code}-notes"] = forms.CharField(
                label=_("Toelichting"),
                required=False,
                max_length=NOTES_MAX,
                widget=forms.Textarea(attrs=notes_attrs),
                help_text=help_text_for(intake.framework, code, "notes"),
                error_messages={
                    "max_length": _(
                        "De toelichting is te lang: maximaal %(limit_value)d tekens "
                        "(nu %(show_value)d). Kort de tekst in; uw tekst staat er nog."
                    )
                },
            )
            beside = [_domain_description(str(domain.help_text))]
            if code in definitions:
                beside.append(_definitions_block(definitions[code]))
            if code in self.conflicts:
                self.fields[f"{code}-keuze"] = forms.ChoiceField(
                    label=_("Dit domein is intussen ook elders opgeslagen. Wat moet blijven?"),
                    choices=CONFLICT_CHOICES,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": _(
                            "Kies of uw invoer of de opgeslagen versie van dit domein blijft."
                        )
                    },
                )
                beside.append(_stored_version_block(stored[code]))
                beside.append(f"{code}-keuze")
            if code in previous:
                beside.append(_previous_block(previous[code], previous_on))
            fieldsets.append(
                Fieldset(
                    # crispy renders the legend as a template, unescaped: escape it here. A
                    # heading in the legend, so a screen reader can jump from domain to domain.
                    format_html("<h2 class='zrm-domain__heading'>{}</h2>", str(domain.name)),
                    *beside,
                    Div(
                        Div(f"{code}-score"),
                        Div(f"{code}-help_need", f"{code}-notes"),
                        css_class="zrm-domain__grid",
                    ),
                    css_class="domain zrm-domain",
                    css_id=f"domein-{code}",
                )
            )
        self.helper = FormHelper()
        # The template writes the <form> tag: the domain navigation and the save bar
        # (templates/includes/assessment_*.html) are part of the form.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("version", "conflicten", *fieldsets)
        no_autofill(self)

    @staticmethod
    def initial_for(intake: Intake, rows: list[DomainAssessment]) -> dict[str, Any]:
        initial: dict[str, Any] = {"version": intake.version}
        for row in rows:
            initial[f"{row.domain}-score"] = "" if row.score is None else str(row.score)
            initial[f"{row.domain}-help_need"] = row.help_need
            initial[f"{row.domain}-notes"] = row.notes
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for domain in self.domains:
            code = domain.code
            if f"{code}-score" not in cleaned:
                continue  # the score itself is invalid; its own message says why
            score = cleaned.get(f"{code}-score")
            if score is None and cleaned.get(f"{code}-help_need") == HelpNeed.CONFIRMED:
                self.add_error(
                    f"{code}-help_need",
                    _(
                        "Een hulpvraag kan alleen bevestigd worden in een besproken domein: "
                        "kies eerst een score, of kies ‘nog niet bepaald’ of "
                        "‘nee, geen hulpvraag’."
                    ),
                )
            if score is None and cleaned.get(f"{code}-notes"):
                self.add_error(
                    f"{code}-notes",
                    _(
                        "Bij 'niet besproken' wordt niets vastgelegd: kies een score, "
                        "of maak de toelichting leeg."
                    ),
                )
        return cleaned

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, sentence) per field error, in the form's order, for the error summary
        at the top (each links to its field; a radio group to its first option)."""
        names = {d.code: str(d.name) for d in self.domains}
        links = []
        for name, field in self.fields.items():
            if name not in self.errors or field.widget.is_hidden:
                continue
            code = name.split("-", 1)[0]
            bound = self[name]
            anchor = bound.auto_id + ("_0" if isinstance(field.widget, forms.RadioSelect) else "")
            for message in self.errors[name]:
                links.append((f"#{anchor}", f"{names.get(code, '')} – {field.label}: {message}"))
        return links

    def domain_values(self) -> dict[str, DomainValues]:
        """What to save: the typed values, except where a conflict was settled for the
        stored version (then the stored values, so nothing of it changes)."""
        data = self.cleaned_data
        stored = {a.domain: a for a in self.intake.assessments.all()}
        values = {}
        for d in self.domains:
            row = stored.get(d.code)
            if data.get(f"{d.code}-keuze") == TAKE_STORED and row is not None:
                values[d.code] = DomainValues(row.score, row.help_need, row.notes)
            else:
                values[d.code] = DomainValues(
                    score=data[f"{d.code}-score"],
                    help_need=data[f"{d.code}-help_need"],
                    notes=data[f"{d.code}-notes"],
                )
        return values


def _previous_scores(intake: Intake) -> tuple[dict[str, int], dt.date | None]:
    """A reassessment's previous measurement: its kept scores per domain, and its day."""
    if intake.previous is None:
        return {}, None
    scores = {a.domain: a.score for a in intake.previous.assessments.all() if a.score}
    return scores, intake.previous.measured_on()


def _previous_block(score: int, day: dt.date | None) -> HTML:
    """The previous measurement's score of one domain, above this measurement's choice."""
    text = _("Vorige meting (%(day)s): %(score)s") % {
        "day": day.strftime("%d-%m-%Y") if day else "?",
        "score": f"{score} – {SCALE_LABELS.get(score, '')}",
    }
    return _template_safe(
        str(format_html("<p class='zrm-previous' data-testid='previous-score'>{}</p>", text))
    )


def _template_safe(html: str) -> HTML:
    """crispy's HTML() renders its string as a template: neutralise braces and percent signs."""
    return HTML(html.replace("{", "&#123;").replace("}", "&#125;").replace("%", "&#37;"))


def _stored_version_block(row: DomainAssessment) -> HTML:
    """The stored version of a domain in conflict, beside the caseworker's own input."""
    score = _("niet besproken") if row.score is None else f"{row.score} – {dict(SCALE)[row.score]}"
    html = format_html(
        "<div class='stored-version zrm-stored-version' data-testid='stored-version'>"
        "<p class='zrm-stored-version__title'>{}</p><p>{}: {} · {}: {}</p>"
        "<p>{}: {}</p></div>",
        _("Opgeslagen versie (uit een ander tabblad of van een collega)"),
        _("Score"),
        score,
        _("Hulpvraag"),
        row.get_help_need_display(),
        _("Toelichting"),
        row.notes or "–",
    )
    return _template_safe(str(html))


def _domain_description(text: str) -> HTML:
    """Our own one-line description of the domain, under its legend."""
    return _template_safe(str(format_html("<p class='zrm-meta'>{}</p>", text)))


def _definitions_block(levels: dict[int, str]) -> HTML:
    """The licensed ZRM definitions of one domain, beside the score (escaped)."""
    items = format_html_join(
        "",
        "<dt>{}</dt><dd>{}</dd>",
        ((level, text) for level, text in sorted(levels.items())),
    )
    summary = _("ZRM-definities per score")
    html = format_html(
        "<details class='zrm-definitions'><summary>{}</summary>"
        "<dl class='zrm-small'>{}</dl></details>",
        summary,
        items,
    )
    return _template_safe(str(html))
