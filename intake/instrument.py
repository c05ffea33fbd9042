"""The Zelfredzaamheidsmatrix as data: versions, domains, scale.

Only domain names, scale labels and help texts of our own live here. The
official cell definitions are (c) GGD Amsterdam and are loaded from the
municipality's own licensed file (`manage.py load_zrm_definitions`), never
shipped in this repository.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Domain:
    code: str
    name: Promise
    help_text: Promise
    special_category: str = ""  # "health" (GDPR art. 9), "criminal" (art. 10) or ""


@dataclass(frozen=True)
class Instrument:
    version: str
    label: Promise
    domains: tuple[Domain, ...]

    def domain(self, code: str) -> Domain:
        for domain in self.domains:
            if domain.code == code:
                return domain
        raise KeyError(code)

    @property
    def domain_codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.domains)


SCALE: tuple[tuple[int, Promise], ...] = (
    (1, _("acute problematiek")),
    (2, _("niet zelfredzaam")),
    (3, _("beperkt zelfredzaam")),
    (4, _("voldoende zelfredzaam")),
    (5, _("volledig zelfredzaam")),
)
SCALE_LABELS: dict[int, Promise] = dict(SCALE)

HEALTH = "health"
CRIMINAL = "criminal"


def _d(code: str, name: Promise, help_text: Promise, special: str = "") -> Domain:
    return Domain(code=code, name=name, help_text=help_text, special_category=special)


FINANCIEN = _d("financien", _("Financiën"), _("Inkomen, uitgaven, schulden en het beheer daarvan."))
HUISVESTING = _d(
    "huisvesting", _("Huisvesting"), _("Een stabiele, betaalbare en passende woonplek.")
)
HUISELIJKE_RELATIES = _d(
    "huiselijke_relaties",
    _("Huiselijke relaties"),
    _("De relaties binnen het huishouden, en veiligheid thuis."),
)
GEESTELIJKE_GEZONDHEID = _d(
    "geestelijke_gezondheid",
    _("Geestelijke gezondheid"),
    _("Psychisch welbevinden en hoe iemand daarmee omgaat."),
    HEALTH,
)
LICHAMELIJKE_GEZONDHEID = _d(
    "lichamelijke_gezondheid",
    _("Lichamelijke gezondheid"),
    _("Lichamelijke klachten en hoe iemand daarmee omgaat."),
    HEALTH,
)
SOCIAAL_NETWERK = _d(
    "sociaal_netwerk",
    _("Sociaal netwerk"),
    _("Familie, vrienden en kennissen op wie iemand kan terugvallen."),
)
MAATSCHAPPELIJKE_PARTICIPATIE = _d(
    "maatschappelijke_participatie",
    _("Maatschappelijke participatie"),
    _("Meedoen in de buurt en de samenleving."),
)
JUSTITIE = _d(
    "justitie",
    _("Justitie"),
    _("Contact met politie en justitie."),
    CRIMINAL,
)

ZRM_2017 = Instrument(
    version="zrm2017",
    label=_("ZRM 2017 (13 domeinen)"),
    domains=(
        FINANCIEN,
        _d("werk_opleiding", _("Werk & opleiding"), _("Betaald werk, opleiding of studie.")),
        _d("tijdsbesteding", _("Tijdsbesteding"), _("Een zinvolle invulling van de dag.")),
        HUISVESTING,
        HUISELIJKE_RELATIES,
        GEESTELIJKE_GEZONDHEID,
        LICHAMELIJKE_GEZONDHEID,
        _d(
            "middelengebruik",
            _("Middelengebruik"),
            _("Gebruik van alcohol, drugs, medicijnen of gokken."),
            HEALTH,
        ),
        _d(
            "basale_adl",
            _("Basale ADL"),
            _("Basale dagelijkse verrichtingen, zoals eten, wassen en aankleden."),
            HEALTH,
        ),
        _d(
            "instrumentele_adl",
            _("Instrumentele ADL"),
            _("Huishoudelijke taken, zoals boodschappen, koken en schoonmaken."),
            HEALTH,
        ),
        SOCIAAL_NETWERK,
        MAATSCHAPPELIJKE_PARTICIPATIE,
        JUSTITIE,
    ),
)

ZRM_2013 = Instrument(
    version="zrm2013",
    label=_("ZRM 2013 (11 domeinen)"),
    domains=(
        FINANCIEN,
        _d("dagbesteding", _("Dagbesteding"), _("Werk, opleiding of een andere dagbesteding.")),
        HUISVESTING,
        HUISELIJKE_RELATIES,
        GEESTELIJKE_GEZONDHEID,
        LICHAMELIJKE_GEZONDHEID,
        _d(
            "verslaving",
            _("Verslaving"),
            _("Gebruik van alcohol, drugs, medicijnen of gokken."),
            HEALTH,
        ),
        _d(
            "adl",
            _("ADL"),
            _("Algemene dagelijkse levensverrichtingen."),
            HEALTH,
        ),
        SOCIAAL_NETWERK,
        MAATSCHAPPELIJKE_PARTICIPATIE,
        JUSTITIE,
    ),
)

INSTRUMENTS: dict[str, Instrument] = {i.version: i for i in (ZRM_2017, ZRM_2013)}
DEFAULT_INSTRUMENT = ZRM_2017.version
INSTRUMENT_CHOICES = [(i.version, i.label) for i in INSTRUMENTS.values()]


def instrument(version: str) -> Instrument:
    return INSTRUMENTS[version]
