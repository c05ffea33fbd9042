"""The minimisation policy, declared as data: the one file where the rules live.

Reviewed by the privacy officer; change POLICY_VERSION with every change of a rule,
because every decision records the version it was made under.

How the rules are read:
- A rule set per legal framework applies when a help need is confirmed in at least
  one domain. ALWAYS then means "always, once help is granted under this framework".
- When no help need is confirmed anywhere (outcome "geen hulpvraag"), the framework's
  rules do not apply; REFUSED_APPLICATION_RULES do: only the request itself is kept,
  for the refused-application term, and no domain or resident data at all.
- A draft never finalised expires after DRAFT_TERM (an application broken off).
- Deny by default: a captured field no rule keeps is destroyed. NOT_PERSONAL_DATA lists
  the fields that are structure, not data about a person; every other field of the
  intake app's models must be covered by a rule, or `manage.py check` fails.

Special categories (GDPR art. 9 health, art. 10 criminal-law data) are kept only under
a rule that names the domain and carries the category, with the ground in its text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured

from intake.instrument import CRIMINAL, HEALTH, INSTRUMENTS

POLICY_VERSION = "2026.1"


class Condition(StrEnum):
    ALWAYS = "always"
    IF_HELP_NEED_CONFIRMED_IN_DOMAIN = "if_help_need_confirmed_in_domain"
    NEVER = "never"


CONDITION_LABELS: dict[Condition, str] = {
    Condition.ALWAYS: "altijd",
    Condition.IF_HELP_NEED_CONFIRMED_IN_DOMAIN: (
        "alleen als in dit domein een hulpvraag is bevestigd"
    ),
    Condition.NEVER: "nooit",
}


@dataclass(frozen=True)
class Term:
    """A retention term: years and/or days after the decision date."""

    years: int = 0
    days: int = 0

    def after(self, start: dt.date) -> dt.date:
        try:
            shifted = start.replace(year=start.year + self.years)
        except ValueError:  # 29 February in a year without one: the day before
            shifted = start.replace(year=start.year + self.years, day=28)
        return shifted + dt.timedelta(days=self.days)

    @property
    def is_positive(self) -> bool:
        return self.years >= 0 and self.days >= 0 and (self.years > 0 or self.days > 0)

    def label(self) -> str:
        if self.years and not self.days:
            return f"{self.years} jaar"
        if self.days and not self.years:
            return f"{self.days} dagen"
        return f"{self.years} jaar en {self.days} dagen"


@dataclass(frozen=True)
class Rule:
    """Which fields may be kept, when, on what ground, for how long.

    `fields` are "model.field" names (resident.*, intake.*, domainassessment.*).
    `domains` names the ZRM domains a domainassessment rule covers (empty otherwise).
    """

    id: str
    fields: tuple[str, ...]
    condition: Condition
    legal_basis: str
    retention: Term | None
    domains: tuple[str, ...] = ()
    special_category: str = ""  # HEALTH, CRIMINAL or ""

    @property
    def keeps(self) -> bool:
        return self.condition != Condition.NEVER

    def covers(self, field_name: str, domain: str = "") -> bool:
        if field_name not in self.fields:
            return False
        return domain in self.domains if self.domains else not domain


@dataclass(frozen=True)
class RuleSet:
    framework: str
    label: str
    purpose: str
    retention: Term
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Policy:
    version: str
    rule_sets: tuple[RuleSet, ...]
    refused_application: tuple[Rule, ...]
    draft_term: Term
    not_discussed: Rule
    default_deny: Rule
    not_personal_data: dict[str, str] = field(default_factory=dict)

    def rule_set(self, framework: str) -> RuleSet:
        for rule_set in self.rule_sets:
            if rule_set.framework == framework:
                return rule_set
        raise KeyError(framework)

    def all_rules(self) -> tuple[Rule, ...]:
        rules = [r for rs in self.rule_sets for r in rs.rules]
        return (*rules, *self.refused_application, self.not_discussed, self.default_deny)

    def rule_by_id(self, rule_id: str) -> Rule:
        for rule in self.all_rules():
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def classified_fields(self) -> set[str]:
        covered = {f for rule in self.all_rules() for f in rule.fields}
        return covered | set(self.not_personal_data)


# What a caseworker captures. The system check compares these with the models.
RESIDENT_IDENTITY = ("resident.name", "resident.date_of_birth", "resident.bsn")
RESIDENT_CONTACT = ("resident.address", "resident.phone", "resident.email")
RESIDENT_FIELDS = RESIDENT_IDENTITY + RESIDENT_CONTACT
REQUEST_FIELDS = (
    "resident.ref",
    "resident.created_at",
    "intake.resident",
    "intake.framework",
    "intake.created_at",
    "intake.finalised_at",
    "intake.outcome",
    "intake.status",
)
PROCESS_FIELDS = (
    "intake.caseworker",
    "intake.team",
    "intake.instrument_version",
    "intake.previous",
    "intake.version",
    "intake.updated_at",
)
DOMAIN_FIELDS = ("domainassessment.score", "domainassessment.help_need", "domainassessment.notes")
SCORE_AND_NEED = ("domainassessment.score", "domainassessment.help_need")

# Fields that are structure, not data about a person (the row's key, licensed texts,
# permission bookkeeping). The reason is shown in the processing register.
NOT_PERSONAL_DATA: dict[str, str] = {
    "domainassessment.intake": "Koppeling van de domeinscore aan de intake; gaat mee met de rij.",
    "domainassessment.domain": "Naam van het ZRM-domein; gaat mee met de rij.",
    "zrmdefinition.*": "Gelicentieerde celdefinities van de ZRM; geen gegevens over een persoon.",
    "intakeuserobjectpermission.*": "Toegangsrecht van een medewerker; gaat mee met de intake.",
    "intakegroupobjectpermission.*": "Toegangsrecht van een team; gaat mee met de intake.",
    "residentuserobjectpermission.*": "Toegangsrecht van een medewerker; gaat mee met de inwoner.",
    "residentgroupobjectpermission.*": "Toegangsrecht van een team; gaat mee met de inwoner.",
}

ALL_DOMAINS: dict[str, str] = {
    d.code: d.special_category for instr in INSTRUMENTS.values() for d in instr.domains
}
ORDINARY = tuple(code for code, special in ALL_DOMAINS.items() if not special)
MENTAL = ("geestelijke_gezondheid",)
PHYSICAL = ("lichamelijke_gezondheid",)
SUBSTANCE = ("middelengebruik", "verslaving")
ADL = ("basale_adl", "instrumentele_adl", "adl")
JUSTICE = ("justitie",)

WMO_TERM = Term(years=15)
JEUGD_TERM = Term(years=20)
PW_TERM = Term(years=10)
WGS_TERM = Term(years=5)
REFUSED_TERM = Term(years=5)
DRAFT_TERM = Term(days=42)

NEED = Condition.IF_HELP_NEED_CONFIRMED_IN_DOMAIN


def _common(prefix: str, law: str, term: Term) -> tuple[Rule, ...]:
    """Resident and request data every framework needs once help is granted."""
    return (
        Rule(
            f"{prefix}-AANVRAAG",
            REQUEST_FIELDS + PROCESS_FIELDS,
            Condition.ALWAYS,
            f"De aanvraag zelf (wie, welk kader, wanneer, door wie behandeld) hoort bij het "
            f"dossier van de hulp die op grond van de {law} wordt verleend.",
            term,
        ),
        Rule(
            f"{prefix}-IDENTITEIT",
            RESIDENT_IDENTITY,
            Condition.ALWAYS,
            f"Naam, geboortedatum en BSN zijn nodig om de hulp op grond van de {law} aan de "
            f"juiste inwoner toe te kennen en te verantwoorden.",
            term,
        ),
        Rule(
            f"{prefix}-CONTACT",
            RESIDENT_CONTACT,
            Condition.ALWAYS,
            "Adres, telefoon en e-mail zijn nodig om de inwoner te bereiken zolang de hulp loopt.",
            term,
        ),
        Rule(
            f"{prefix}-DOMEIN",
            DOMAIN_FIELDS,
            NEED,
            f"Score, hulpvraag en toelichting van een domein met een bevestigde hulpvraag "
            f"onderbouwen de hulp die op grond van de {law} wordt verleend; zonder hulpvraag "
            f"is er geen grond om ze te bewaren.",
            term,
            domains=ORDINARY,
        ),
    )


WMO = RuleSet(
    framework="wmo",
    label="Wmo 2015",
    purpose="Onderzoek naar en verstrekking van een maatwerkvoorziening (Wmo 2015, art. 2.3.2).",
    retention=WMO_TERM,
    rules=(
        *_common("WMO", "Wmo 2015", WMO_TERM),
        Rule(
            "WMO-GEZONDHEID",
            DOMAIN_FIELDS,
            NEED,
            "Gezondheidsgegevens mogen alleen blijven als in dit domein een hulpvraag is "
            "bevestigd: de Wmo 2015 (art. 5.1.1) staat ze toe voor zover ze nodig zijn om de "
            "maatwerkvoorziening te bepalen en te verstrekken.",
            WMO_TERM,
            domains=MENTAL + PHYSICAL + SUBSTANCE + ADL,
            special_category=HEALTH,
        ),
        Rule(
            "WMO-JUSTITIE",
            DOMAIN_FIELDS,
            Condition.NEVER,
            "Strafrechtelijke gegevens worden onder de Wmo 2015 nooit bewaard: de wet geeft "
            "daarvoor geen grondslag (AVG art. 10); wat nodig is voor de ondersteuning staat "
            "in het domein waar de hulp over gaat.",
            None,
            domains=JUSTICE,
            special_category=CRIMINAL,
        ),
    ),
)

JEUGDWET = RuleSet(
    framework="jeugdwet",
    label="Jeugdwet",
    purpose="Toeleiding naar en verlening van jeugdhulp (Jeugdwet, art. 2.3).",
    retention=JEUGD_TERM,
    rules=(
        *_common("JW", "Jeugdwet", JEUGD_TERM),
        Rule(
            "JW-GEZONDHEID",
            DOMAIN_FIELDS,
            NEED,
            "Gezondheidsgegevens mogen alleen blijven als in dit domein een hulpvraag is "
            "bevestigd: de Jeugdwet (art. 7.4.0) staat ze toe voor zover ze nodig zijn om "
            "passende jeugdhulp te bepalen en te verlenen.",
            JEUGD_TERM,
            domains=MENTAL + PHYSICAL + SUBSTANCE + ADL,
            special_category=HEALTH,
        ),
        Rule(
            "JW-JUSTITIE",
            DOMAIN_FIELDS,
            NEED,
            "Strafrechtelijke gegevens mogen alleen blijven als in dit domein een hulpvraag "
            "is bevestigd: de Jeugdwet (art. 7.4.0) staat ze toe voor zover ze nodig zijn voor "
            "jeugdhulp, bijvoorbeeld bij een jeugdreclasseringstraject.",
            JEUGD_TERM,
            domains=JUSTICE,
            special_category=CRIMINAL,
        ),
    ),
)

PARTICIPATIEWET = RuleSet(
    framework="participatiewet",
    label="Participatiewet",
    purpose="Bijstand en ondersteuning bij arbeidsinschakeling (Participatiewet, art. 7).",
    retention=PW_TERM,
    rules=(
        *_common("PW", "Participatiewet", PW_TERM),
        Rule(
            "PW-GEZONDHEID",
            SCORE_AND_NEED,
            NEED,
            "Bij een bevestigde hulpvraag blijven alleen score en hulpvraag: voor re-integratie "
            "en ontheffing van de arbeidsplicht (Participatiewet, art. 9) telt dat er een "
            "beperking is, niet de diagnose.",
            PW_TERM,
            domains=MENTAL + PHYSICAL,
            special_category=HEALTH,
        ),
        Rule(
            "PW-GEZONDHEID-TOELICHTING",
            ("domainassessment.notes",),
            Condition.NEVER,
            "De toelichting bij gezondheid wordt onder de Participatiewet nooit bewaard: "
            "een beschrijving van klachten of diagnose is voor werk en inkomen niet nodig.",
            None,
            domains=MENTAL + PHYSICAL,
            special_category=HEALTH,
        ),
        Rule(
            "PW-MIDDELEN-ADL",
            DOMAIN_FIELDS,
            Condition.NEVER,
            "Middelengebruik en ADL worden onder de Participatiewet nooit bewaard: hulp daarbij "
            "loopt via de Wmo of de zorg, niet via werk en inkomen.",
            None,
            domains=SUBSTANCE + ADL,
            special_category=HEALTH,
        ),
        Rule(
            "PW-JUSTITIE",
            DOMAIN_FIELDS,
            Condition.NEVER,
            "Strafrechtelijke gegevens worden onder de Participatiewet nooit uit de ZRM bewaard: "
            "of iemand gedetineerd is, stelt de gemeente vast via Suwinet (art. 13).",
            None,
            domains=JUSTICE,
            special_category=CRIMINAL,
        ),
    ),
)

SCHULDHULP = RuleSet(
    framework="schuldhulp",
    label="Wet gemeentelijke schuldhulpverlening",
    purpose="Schuldhulpverlening en een plan van aanpak (Wgs, art. 4).",
    retention=WGS_TERM,
    rules=(
        *_common("WGS", "Wet gemeentelijke schuldhulpverlening", WGS_TERM),
        Rule(
            "WGS-GEESTELIJK-MIDDELEN",
            SCORE_AND_NEED,
            NEED,
            "Bij een bevestigde hulpvraag blijven alleen score en hulpvraag: psychische "
            "problemen of verslaving (bijvoorbeeld gokken) bepalen welk traject past "
            "(Wgs, art. 4); de toelichting is daarvoor niet nodig.",
            WGS_TERM,
            domains=MENTAL + SUBSTANCE,
            special_category=HEALTH,
        ),
        Rule(
            "WGS-GEESTELIJK-MIDDELEN-TOELICHTING",
            ("domainassessment.notes",),
            Condition.NEVER,
            "De toelichting bij psychische problemen of middelengebruik wordt bij "
            "schuldhulpverlening nooit bewaard.",
            None,
            domains=MENTAL + SUBSTANCE,
            special_category=HEALTH,
        ),
        Rule(
            "WGS-LICHAMELIJK-ADL",
            DOMAIN_FIELDS,
            Condition.NEVER,
            "Lichamelijke gezondheid en ADL worden bij schuldhulpverlening nooit bewaard: ze "
            "zijn voor een plan van aanpak voor schulden niet nodig.",
            None,
            domains=PHYSICAL + ADL,
            special_category=HEALTH,
        ),
        Rule(
            "WGS-JUSTITIE",
            DOMAIN_FIELDS,
            Condition.NEVER,
            "Strafrechtelijke gegevens worden bij schuldhulpverlening nooit bewaard; "
            "fraudeschulden blijken uit de schuldenlijst onder Financiën.",
            None,
            domains=JUSTICE,
            special_category=CRIMINAL,
        ),
    ),
)

REFUSED_APPLICATION_RULES: tuple[Rule, ...] = (
    Rule(
        "AFGEWEZEN-AANVRAAG",
        REQUEST_FIELDS + PROCESS_FIELDS,
        Condition.ALWAYS,
        "Zonder bevestigde hulpvraag blijft alleen de aanvraag (referentie, kader, data, wie "
        "haar behandelde) en het besluit met zijn grond, zodat de gemeente een bezwaar of "
        "vraag kan beantwoorden.",
        REFUSED_TERM,
    ),
    Rule(
        "AFGEWEZEN-GEEN-GEGEVENS",
        RESIDENT_FIELDS,
        Condition.NEVER,
        "Zonder bevestigde hulpvraag is er geen grond om naam, geboortedatum, BSN of "
        "contactgegevens van de inwoner te bewaren.",
        None,
    ),
    Rule(
        "AFGEWEZEN-GEEN-DOMEINEN",
        DOMAIN_FIELDS,
        Condition.NEVER,
        "Zonder bevestigde hulpvraag is er geen grond om iets over de leefdomeinen te bewaren.",
        None,
    ),
)

# Applied by decide() before any framework rule: a domain not discussed keeps nothing.
NOT_DISCUSSED_RULE = Rule(
    "NIET-BESPROKEN",
    DOMAIN_FIELDS,
    Condition.NEVER,
    "Een domein dat niet besproken is, wordt nooit bewaard: er is niets vastgesteld.",
    None,
)
# Deny by default: what no rule covers is destroyed under this rule.
DEFAULT_DENY_RULE = Rule(
    "GEEN-REGEL",
    RESIDENT_FIELDS + DOMAIN_FIELDS,
    Condition.NEVER,
    "Geen regel staat toe dit gegeven te bewaren, dus het wordt vernietigd.",
    None,
)

POLICY = Policy(
    version=POLICY_VERSION,
    rule_sets=(WMO, JEUGDWET, PARTICIPATIEWET, SCHULDHULP),
    refused_application=REFUSED_APPLICATION_RULES,
    draft_term=DRAFT_TERM,
    not_discussed=NOT_DISCUSSED_RULE,
    default_deny=DEFAULT_DENY_RULE,
    not_personal_data=NOT_PERSONAL_DATA,
)


class PolicyError(ImproperlyConfigured):
    """The policy is not valid; the application refuses to start."""


def known_fields() -> set[str]:
    """Every "model.field" name of the intake app's models (from the model classes)."""
    from django.apps import apps

    names: set[str] = set()
    for model in apps.get_app_config("intake").get_models():
        for model_field in model._meta.concrete_fields:
            names.add(f"{model._meta.model_name}.{model_field.name}")
    return names


def validate(policy: Policy, fields: set[str] | None = None) -> None:
    """Raise PolicyError naming the first problem; called at start-up (apps.ready)."""
    fields = known_fields() if fields is None else fields
    problems: list[str] = []
    if not policy.version:
        problems.append("het beleid heeft geen versie")
    if not policy.draft_term.is_positive:
        problems.append("de termijn voor concepten moet positief zijn")
    seen: set[str] = set()
    for rule in policy.all_rules():
        if rule.id in seen:
            problems.append(f"regel {rule.id} komt twee keer voor")
        seen.add(rule.id)
        problems.extend(_rule_problems(rule, fields))
    for rule_set in policy.rule_sets:
        if not rule_set.retention.is_positive:
            problems.append(f"kader {rule_set.framework}: bewaartermijn ontbreekt of is negatief")
        # The sweep destroys a finalised intake as a whole at one date, so every rule that
        # keeps something within a framework has the framework's term.
        for rule in rule_set.rules:
            if rule.keeps and rule.retention != rule_set.retention:
                problems.append(f"regel {rule.id} wijkt af van de termijn van {rule_set.framework}")
    if problems:
        raise PolicyError("Ongeldig minimalisatiebeleid: " + "; ".join(problems) + ".")


def _rule_problems(rule: Rule, fields: set[str]) -> list[str]:
    problems: list[str] = []
    if not rule.legal_basis.strip():
        problems.append(f"regel {rule.id} heeft geen grondslag")
    if not rule.fields:
        problems.append(f"regel {rule.id} noemt geen velden")
    for name in rule.fields:
        if name not in fields:
            problems.append(f"regel {rule.id} noemt een onbekend veld {name}")
    for code in rule.domains:
        if code not in ALL_DOMAINS:
            problems.append(f"regel {rule.id} noemt een onbekend domein {code}")
        elif ALL_DOMAINS[code] and ALL_DOMAINS[code] != rule.special_category:
            problems.append(
                f"regel {rule.id} dekt bijzonder domein {code} zonder die categorie te noemen"
            )
    if rule.keeps and (rule.retention is None or not rule.retention.is_positive):
        problems.append(f"regel {rule.id}: bewaartermijn ontbreekt of is negatief")
    if not rule.keeps and rule.retention is not None:
        problems.append(f"regel {rule.id} bewaart niets en mag geen bewaartermijn hebben")
    return problems
