"""The minimisation policy, declared as data: the one file where the rules live.

Reviewed by the privacy officer; change POLICY_VERSION with every change of a rule,
because every decision records the version it was made under.

How the rules are read:
- A rule set per legal framework applies when a help need is confirmed in at least
  one domain. ALWAYS then means "always, once help is granted under this framework".
- When no help need is confirmed anywhere (outcome "geen hulpvraag"), the framework's
  rules do not apply; REFUSED_APPLICATION_RULES do: only the request itself is kept,
  for the refused-application term, and no domain or resident data at all.
- A draft never finalised expires after DRAFT_TERM (an application broken off):
  `Policy.draft_expires_on()` gives the day, for the sweep and for what the privacy
  officer is shown alike.
- Deny by default: a captured field no rule keeps is destroyed. NOT_PERSONAL_DATA lists
  the fields that are structure, not data about a person; every other field of the
  intake app's models must be covered by a rule, or `manage.py check` fails.

Special categories (GDPR art. 9 health, art. 10 criminal-law data) are kept only under
a rule that names the domain and carries the category, with the ground in its text.

Every rule id the code writes (a kept field, a decision, an audit event) is a Rule here,
with its sentence: the framework rules, and the rules that belong to no framework (the
shared field, the draft, the sweep's and the erasure's). Nothing outside this module
spells a rule id; `Policy.basis()` gives any rule's sentence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured

from intake.instrument import CRIMINAL, HEALTH, INSTRUMENTS
from minimisation.instructions import INSTRUCTIONS, NOTES, Instruction

POLICY_VERSION = "2026.2"


class Condition(StrEnum):
    ALWAYS = "always"
    IF_HELP_NEED_CONFIRMED_IN_DOMAIN = "if_help_need_confirmed_in_domain"
    NEVER = "never"
    # A draft keeps what was captured until it is finalised or its term runs out.
    UNTIL_FINALISED = "until_finalised"
    # Kept for another live intake of the same resident, for as long as that one decides:
    # the only keeping condition without a term of its own.
    WHILE_NEEDED_ELSEWHERE = "while_needed_elsewhere"


CONDITION_LABELS: dict[Condition, str] = {
    Condition.ALWAYS: "altijd",
    Condition.IF_HELP_NEED_CONFIRMED_IN_DOMAIN: (
        "alleen als in dit domein een hulpvraag is bevestigd"
    ),
    Condition.NEVER: "nooit",
    Condition.UNTIL_FINALISED: "tot de intake is afgerond, uiterlijk tot de termijn verstreken is",
    Condition.WHILE_NEEDED_ELSEWHERE: (
        "zolang een andere lopende intake van deze inwoner het gegeven nodig heeft"
    ),
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
    `blocks_erasure`: what this rule keeps is under a legal retention duty (the VNG
    Selectielijst gemeenten 2020, Archiefwet 1995), so GDPR art. 17(3)(b) blocks a
    resident's erasure request until the retention date. Stated on every rule, never
    derived from its id.
    """

    id: str
    fields: tuple[str, ...]
    condition: Condition
    legal_basis: str
    retention: Term | None
    domains: tuple[str, ...] = ()
    special_category: str = ""  # HEALTH, CRIMINAL or ""
    blocks_erasure: bool = field(kw_only=True)

    @property
    def keeps(self) -> bool:
        return self.condition != Condition.NEVER

    @property
    def term_label(self) -> str:
        if self.retention is not None:
            return self.retention.label()
        if self.condition == Condition.WHILE_NEEDED_ELSEWHERE:
            return "die van de andere intake"
        return "niet bewaard"

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
    # The processing activity's id in the register (GDPR art. 30): stable, named in
    # every audit event that processes resident data under this framework.
    activity_id: str


@dataclass(frozen=True)
class RuleGroup:
    """Rules that serve one purpose: a framework's, or one outside every framework.
    The processing register has one block of rows per group: one processing activity,
    whose stable `activity_id` audit events name (Logboek Dataverwerkingen)."""

    label: str
    purpose: str
    rules: tuple[Rule, ...]
    activity_id: str


# The purposes of the rules outside the frameworks, as the register names them.
REFUSED_LABEL = "Alle kaders, geen hulpvraag"
REFUSED_PURPOSE = "Afhandeling van een aanvraag zonder bevestigde hulpvraag."
DECIDING_LABEL = "Alle kaders, bij het afronden"
DECIDING_PURPOSE = "Wat bij het afronden van een intake buiten de regels van het kader valt."
DRAFT_LABEL = "Alle kaders, concept"
DRAFT_PURPOSE = "Een intake die nog niet is afgerond (een lopende of afgebroken aanvraag)."
SWEEP_LABEL = "Alle kaders, vernietiging"
SWEEP_PURPOSE = "Vernietiging door de dagelijkse opschoning zodra de termijn verstreken is."
REQUEST_LABEL = "Verzoek van de inwoner"
REQUEST_PURPOSE = "Wissen op verzoek van de inwoner (AVG art. 17)."
# The processing activities' ids of those groups. Never renumber: audit events name them.
REFUSED_ACTIVITY = "VA-GEEN-HULPVRAAG"
DECIDING_ACTIVITY = "VA-AFRONDEN"
DRAFT_ACTIVITY = "VA-CONCEPT"
SWEEP_ACTIVITY = "VA-VERNIETIGING"
REQUEST_ACTIVITY = "VA-VERZOEK"


@dataclass(frozen=True)
class Policy:
    version: str
    rule_sets: tuple[RuleSet, ...]
    refused_application: tuple[Rule, ...]
    not_discussed: Rule
    default_deny: Rule
    shared: Rule
    draft: Rule
    draft_expired: Rule
    retention_passed: Rule
    orphan_resident: Rule
    erasure: Rule
    not_personal_data: dict[str, str] = field(default_factory=dict)
    # The caseworker's instruction per framework, domain and field (minimisation/instructions.py).
    instructions: tuple[Instruction, ...] = ()

    def instruction(self, framework: str, field_name: str, domain: str = "") -> Instruction | None:
        """The instruction for a field under a framework: the framework's own, else the one
        for every framework."""
        found = [i for i in self.instructions if i.covers(framework, field_name, domain)]
        found.sort(key=lambda i: i.framework == "")  # the framework's own first
        return found[0] if found else None

    def rule_set(self, framework: str) -> RuleSet:
        for rule_set in self.rule_sets:
            if rule_set.framework == framework:
                return rule_set
        raise KeyError(framework)

    def groups(self) -> tuple[RuleGroup, ...]:
        """Every rule of the policy exactly once, grouped by purpose."""
        return (
            *(RuleGroup(rs.label, rs.purpose, rs.rules, rs.activity_id) for rs in self.rule_sets),
            RuleGroup(REFUSED_LABEL, REFUSED_PURPOSE, self.refused_application, REFUSED_ACTIVITY),
            RuleGroup(
                DECIDING_LABEL,
                DECIDING_PURPOSE,
                (self.not_discussed, self.default_deny, self.shared),
                DECIDING_ACTIVITY,
            ),
            RuleGroup(DRAFT_LABEL, DRAFT_PURPOSE, (self.draft, self.draft_expired), DRAFT_ACTIVITY),
            RuleGroup(
                SWEEP_LABEL,
                SWEEP_PURPOSE,
                (self.retention_passed, self.orphan_resident),
                SWEEP_ACTIVITY,
            ),
            RuleGroup(REQUEST_LABEL, REQUEST_PURPOSE, (self.erasure,), REQUEST_ACTIVITY),
        )

    def all_rules(self) -> tuple[Rule, ...]:
        return tuple(rule for group in self.groups() for rule in group.rules)

    def rule_by_id(self, rule_id: str) -> Rule:
        for rule in self.all_rules():
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def basis(self, rule_id: str) -> str:
        """The rule's sentence, for every page and export that names a rule id.

        A kept field of an older policy version may name a rule this version no longer
        has; it says so rather than showing an empty ground."""
        try:
            return self.rule_by_id(rule_id).legal_basis
        except KeyError:
            return f"Regel {rule_id} komt niet voor in beleidsversie {self.version}."

    def blocks_erasure(self, rule_id: str) -> bool:
        """Whether a field kept under this rule is under a legal retention duty (an
        unknown rule blocks nothing: the retention date still holds the field)."""
        try:
            return self.rule_by_id(rule_id).blocks_erasure
        except KeyError:
            return False

    @property
    def draft_term(self) -> Term:
        assert self.draft.retention is not None  # guaranteed by validate()
        return self.draft.retention

    def draft_expires_on(self, created: dt.date) -> dt.date:
        """The day a draft created on `created` and never finalised is destroyed: the
        sweep of that day takes it, the day before it is kept (its last day)."""
        return self.draft_term.after(created)

    def first_live_draft_day(self, today: dt.date) -> dt.date:
        """The earliest creation day of a draft that has not expired on `today`; drafts
        created before it have. The inverse of draft_expires_on, found with it (a
        term in years has no simple inverse around 29 February)."""
        day = today - dt.timedelta(days=self.draft_term.days + 366 * self.draft_term.years)
        while self.draft_expires_on(day) <= today:
            day += dt.timedelta(days=1)
        while self.draft_expires_on(day - dt.timedelta(days=1)) > today:
            day -= dt.timedelta(days=1)
        return day

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
    "resident.bsn_index": "Zoekindex (HMAC) van het BSN; gaat mee met het BSN.",
    "resident.birth_date_index": "Zoekindex (HMAC) van de geboortedatum; gaat mee met die datum.",
    "residentnametoken.*": "Zoekindex (HMAC) van de woorden van de naam; gaat mee met de naam.",
    "zrmdefinition.*": "Gelicentieerde celdefinities van de ZRM; geen gegevens over een persoon.",
    "intakeuserobjectpermission.*": "Toegangsrecht van een medewerker; gaat mee met de intake.",
    "intakegroupobjectpermission.*": "Toegangsrecht van een team; gaat mee met de intake.",
    "residentuserobjectpermission.*": "Toegangsrecht van een medewerker; gaat mee met de inwoner.",
    "residentgroupobjectpermission.*": "Toegangsrecht van een team; gaat mee met de inwoner.",
    "parkedsave.intake": "Koppeling van een late opslag aan het concept; gaat mee met de intake.",
    "parkedsave.user": "De consulent van wie de late opslag is; gaat mee met de intake.",
    "parkedsave.parked_at": "Tijdstip van de late opslag; gaat mee met de intake.",
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
            blocks_erasure=True,
        ),
        Rule(
            f"{prefix}-IDENTITEIT",
            RESIDENT_IDENTITY,
            Condition.ALWAYS,
            f"Naam, geboortedatum en BSN zijn nodig om de hulp op grond van de {law} aan de "
            f"juiste inwoner toe te kennen en te verantwoorden.",
            term,
            blocks_erasure=True,
        ),
        Rule(
            f"{prefix}-CONTACT",
            RESIDENT_CONTACT,
            Condition.ALWAYS,
            "Adres, telefoon en e-mail zijn nodig om de inwoner te bereiken zolang de hulp loopt.",
            term,
            blocks_erasure=False,
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
            blocks_erasure=True,
        ),
    )


WMO = RuleSet(
    framework="wmo",
    activity_id="VA-WMO",
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
            blocks_erasure=True,
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
            blocks_erasure=False,
        ),
    ),
)

JEUGDWET = RuleSet(
    framework="jeugdwet",
    activity_id="VA-JEUGDWET",
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
            blocks_erasure=True,
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
            blocks_erasure=True,
        ),
    ),
)

PARTICIPATIEWET = RuleSet(
    framework="participatiewet",
    activity_id="VA-PARTICIPATIEWET",
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
            blocks_erasure=True,
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
            blocks_erasure=False,
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
            blocks_erasure=False,
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
            blocks_erasure=False,
        ),
    ),
)

SCHULDHULP = RuleSet(
    framework="schuldhulp",
    activity_id="VA-SCHULDHULP",
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
            blocks_erasure=True,
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
            blocks_erasure=False,
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
            blocks_erasure=False,
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
            blocks_erasure=False,
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
        blocks_erasure=True,
    ),
    Rule(
        "AFGEWEZEN-GEEN-GEGEVENS",
        RESIDENT_FIELDS,
        Condition.NEVER,
        "Zonder bevestigde hulpvraag is er geen grond om naam, geboortedatum, BSN of "
        "contactgegevens van de inwoner te bewaren.",
        None,
        blocks_erasure=False,
    ),
    Rule(
        "AFGEWEZEN-GEEN-DOMEINEN",
        DOMAIN_FIELDS,
        Condition.NEVER,
        "Zonder bevestigde hulpvraag is er geen grond om iets over de leefdomeinen te bewaren.",
        None,
        blocks_erasure=False,
    ),
)

# Applied by decide() before any framework rule: a domain not discussed keeps nothing.
NOT_DISCUSSED_RULE = Rule(
    "NIET-BESPROKEN",
    DOMAIN_FIELDS,
    Condition.NEVER,
    "Een domein dat niet besproken is, wordt nooit bewaard: er is niets vastgesteld.",
    None,
    blocks_erasure=False,
)
# Deny by default: what no rule covers is destroyed under this rule.
DEFAULT_DENY_RULE = Rule(
    "GEEN-REGEL",
    RESIDENT_FIELDS + DOMAIN_FIELDS,
    Condition.NEVER,
    "Geen regel staat toe dit gegeven te bewaren, dus het wordt vernietigd.",
    None,
    blocks_erasure=False,
)

# Applied by decide() after the framework's rules: a resident field they would destroy
# stays while another live intake of the same resident needs it (snapshot_of says which).
SHARED_RULE = Rule(
    "GEDEELD",
    RESIDENT_FIELDS,
    Condition.WHILE_NEEDED_ELSEWHERE,
    "Blijft staan: een andere lopende intake van deze inwoner heeft dit gegeven nog nodig; "
    "die intake bepaalt op welke grond en hoe lang. Heeft geen intake het meer nodig, dan "
    "wordt het vernietigd.",
    None,
    blocks_erasure=False,  # the other intake's own rule decides whether erasure waits
)

# What a draft holds: everything the caseworker captured, until it is finalised.
# A draft's save that arrived after the session ended (intake.models.ParkedSave): the
# same captured values, parked until the caseworker signs in again; it goes with the draft.
PARKED_FIELDS = ("parkedsave.data",)
CAPTURED_FIELDS = REQUEST_FIELDS + PROCESS_FIELDS + RESIDENT_FIELDS + DOMAIN_FIELDS + PARKED_FIELDS
DRAFT_RULE = Rule(
    "CONCEPT",
    CAPTURED_FIELDS,
    Condition.UNTIL_FINALISED,
    "Een intake die nog niet is afgerond is een lopende aanvraag; wordt zij niet binnen "
    f"{DRAFT_TERM.label()} afgerond, dan wordt alles vernietigd (afgebroken aanvraag, "
    "Selectielijst gemeenten 2020).",
    DRAFT_TERM,
    blocks_erasure=False,  # an application the resident may withdraw at any time
)
# The sweep's rules, named in its DISCARD events.
DRAFT_EXPIRED_RULE = Rule(
    "CONCEPT-VERLOPEN",
    CAPTURED_FIELDS,
    Condition.NEVER,
    f"Een intake die niet binnen {DRAFT_TERM.label()} na het aanmaken is afgerond, is een "
    "afgebroken aanvraag: alle gegevens ervan worden vernietigd (Selectielijst gemeenten "
    "2020).",
    None,
    blocks_erasure=False,
)
RETENTION_PASSED_RULE = Rule(
    "BEWAARTERMIJN-VERSTREKEN",
    CAPTURED_FIELDS,
    Condition.NEVER,
    "De bewaartermijn van het besluit is verstreken: er is geen grond meer om iets van deze "
    "intake te bewaren (AVG art. 5 lid 1 onder e), dus de intake wordt met alles wat bewaard "
    "was vernietigd (Selectielijst gemeenten 2020).",
    None,
    blocks_erasure=False,
)
ORPHAN_RESIDENT_RULE = Rule(
    "INWONER-ZONDER-INTAKE",
    ("resident.ref", "resident.created_at", *RESIDENT_FIELDS),
    Condition.NEVER,
    "Een inwoner zonder intake (een formulier dat werd afgebroken voordat de intake was "
    f"opgeslagen) wordt na {DRAFT_TERM.label()} vernietigd: zonder aanvraag is er geen grond "
    "om iets over deze persoon te bewaren.",
    None,
    blocks_erasure=False,
)
# Named in the DISCARD events of an erasure the privacy officer carries out.
ERASURE_RULE = Rule(
    "AVG-ART17",
    CAPTURED_FIELDS,
    Condition.NEVER,
    "Op verzoek van de inwoner is alles gewist (AVG art. 17 lid 1), nadat was vastgesteld "
    "dat geen wettelijke bewaarplicht dat verhinderde (art. 17 lid 3 onder b).",
    None,
    blocks_erasure=False,
)

POLICY = Policy(
    version=POLICY_VERSION,
    rule_sets=(WMO, JEUGDWET, PARTICIPATIEWET, SCHULDHULP),
    refused_application=REFUSED_APPLICATION_RULES,
    not_discussed=NOT_DISCUSSED_RULE,
    default_deny=DEFAULT_DENY_RULE,
    shared=SHARED_RULE,
    draft=DRAFT_RULE,
    draft_expired=DRAFT_EXPIRED_RULE,
    retention_passed=RETENTION_PASSED_RULE,
    orphan_resident=ORPHAN_RESIDENT_RULE,
    erasure=ERASURE_RULE,
    not_personal_data=NOT_PERSONAL_DATA,
    instructions=INSTRUCTIONS,
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
    if policy.draft.retention is None or not policy.draft.retention.is_positive:
        problems.append("de termijn voor concepten moet positief zijn")
    problems.extend(_slot_problems(policy))
    activities = [group.activity_id for group in policy.groups()]
    for activity in activities:
        if not activity or activities.count(activity) > 1:
            problems.append(f"verwerkingsactiviteit {activity!r} is leeg of komt twee keer voor")
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
            if rule.condition not in DECIDING_CONDITIONS:
                problems.append(f"regel {rule.id} heeft een voorwaarde die decide() niet kent")
            if rule.keeps and rule.retention != rule_set.retention:
                problems.append(f"regel {rule.id} wijkt af van de termijn van {rule_set.framework}")
    problems.extend(_instruction_problems(policy))
    if problems:
        raise PolicyError("Ongeldig minimalisatiebeleid: " + "; ".join(problems) + ".")


def _instruction_problems(policy: Policy) -> list[str]:
    """Every framework instructs every domain's notes and every resident field, and a
    domain whose notes it never keeps says so in its instruction."""
    if not policy.instructions:
        return []  # a policy without instructions (tests of other parts) is not checked
    problems = []
    for rule_set in policy.rule_sets:
        fw = rule_set.framework
        for code in ALL_DOMAINS:
            found = policy.instruction(fw, NOTES, code)
            if found is None:
                problems.append(f"kader {fw}: geen instructie voor domein {code}")
                continue
            rule = next((r for r in rule_set.rules if r.covers(NOTES, code)), None)
            if (rule is None or not rule.keeps) and "nooit bewaard" not in found.text:
                problems.append(f"kader {fw}: de instructie voor {code} zegt niet dat niets blijft")
        for name in RESIDENT_FIELDS:
            if policy.instruction(fw, name) is None:
                problems.append(f"kader {fw}: geen instructie voor {name}")
    return problems


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
    if rule.condition == Condition.WHILE_NEEDED_ELSEWHERE:
        if rule.retention is not None:
            problems.append(f"regel {rule.id} volgt een andere intake en heeft geen eigen termijn")
    elif rule.keeps and (rule.retention is None or not rule.retention.is_positive):
        problems.append(f"regel {rule.id}: bewaartermijn ontbreekt of is negatief")
    if not rule.keeps and rule.retention is not None:
        problems.append(f"regel {rule.id} bewaart niets en mag geen bewaartermijn hebben")
    if rule.blocks_erasure and rule.retention is None:
        problems.append(f"regel {rule.id} houdt wissen tegen maar bewaart niets tot een datum")
    return problems


# The conditions decide() applies within a framework or to a refused application.
DECIDING_CONDITIONS = frozenset(
    {Condition.ALWAYS, Condition.IF_HELP_NEED_CONFIRMED_IN_DOMAIN, Condition.NEVER}
)


def _slot_problems(policy: Policy) -> list[str]:
    """The rules outside the frameworks are used by what they are, so each must be it."""
    expected = (
        ("gedeeld", policy.shared, Condition.WHILE_NEEDED_ELSEWHERE),
        ("concept", policy.draft, Condition.UNTIL_FINALISED),
        ("niet besproken", policy.not_discussed, Condition.NEVER),
        ("geen regel", policy.default_deny, Condition.NEVER),
        ("concept verlopen", policy.draft_expired, Condition.NEVER),
        ("bewaartermijn verstreken", policy.retention_passed, Condition.NEVER),
        ("inwoner zonder intake", policy.orphan_resident, Condition.NEVER),
        ("wissen op verzoek", policy.erasure, Condition.NEVER),
    )
    problems = [
        f"de regel voor {name} ({rule.id}) moet de voorwaarde '{CONDITION_LABELS[condition]}' "
        "hebben"
        for name, rule, condition in expected
        if rule.condition != condition
    ]
    problems += [
        f"regel {rule.id} heeft een voorwaarde die decide() niet kent"
        for rule in policy.refused_application
        if rule.condition not in DECIDING_CONDITIONS
    ]
    return problems
