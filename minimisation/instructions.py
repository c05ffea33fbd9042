# ruff: noqa: E501 - one sentence per line reads and reviews better than wrapped strings
"""The caseworker's instructions, per framework and per domain: part of the policy.

The AP found the work instructions of 2018 "not concrete and specific". Each item here
says, for one field (a domain's notes, or a resident field) under one framework, what to
write, what to leave out, and an example. They are data of the policy
(minimisation/policy.py imports them into POLICY and validates them: every framework has
one for every domain and every resident field) and are reviewed with it; the form
(intake/field_help.py), the preview and the processing register show the same text.

An instruction for a domain the framework never keeps says so first ("Noteer hier niets"):
the form shows that at the field before anything is typed.
"""

from __future__ import annotations

from dataclasses import dataclass

EVERY_FRAMEWORK = ""


@dataclass(frozen=True)
class Instruction:
    field: str  # "domainassessment.notes" for a domain, "resident.phone" for a resident field
    write: str  # what to write
    omit: str  # what to leave out
    example: str = ""  # what a good entry looks like ("" where nothing may be written)
    framework: str = EVERY_FRAMEWORK
    domains: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        text = f"{self.write} Niet: {self.omit}"
        if self.example:
            text += f" Bijvoorbeeld: “{self.example}”"
        return text

    def covers(self, framework: str, field: str, domain: str) -> bool:
        if field != self.field or self.framework not in (EVERY_FRAMEWORK, framework):
            return False
        return domain in self.domains if self.domains else not domain


NOTES = "domainassessment.notes"
NOTHING = "Noteer hier niets."

# The older ZRM's domains take the instruction of the 2017 domain they became.
FIN = ("financien",)
WORK = ("werk_opleiding", "dagbesteding")
TIME = ("tijdsbesteding",)
HOUSE = ("huisvesting",)
HOME = ("huiselijke_relaties",)
MENTAL = ("geestelijke_gezondheid",)
PHYS = ("lichamelijke_gezondheid",)
SUBST = ("middelengebruik", "verslaving")
BADL = ("basale_adl", "adl")
IADL = ("instrumentele_adl",)
NET = ("sociaal_netwerk",)
PART = ("maatschappelijke_participatie",)
JUST = ("justitie",)


def _domain(
    framework: str, domains: tuple[str, ...], write: str, omit: str, ex: str
) -> Instruction:
    return Instruction(NOTES, write, omit, ex, framework=framework, domains=domains)


WMO = "wmo"
JW = "jeugdwet"
PW = "participatiewet"
WGS = "schuldhulp"

DOMAIN_INSTRUCTIONS: tuple[Instruction, ...] = (
    # ---- Wmo 2015: wat lukt niet zelf of met het netwerk, en welke ondersteuning past
    _domain(
        WMO,
        FIN,
        "Noteer of geldzaken de zelfredzaamheid beperken en welke ondersteuning nodig is.",
        "bedragen van schulden, rekeningnummers of namen van schuldeisers.",
        "Opent de post niet meer; heeft hulp nodig bij het ordenen van de administratie.",
    ),
    _domain(
        WMO,
        WORK,
        "Noteer alleen wat (het ontbreken van) werk of opleiding betekent voor de ondersteuning.",
        "werkgever, salaris of de reden van ontslag.",
        "Werkt sinds een jaar niet meer; mist daardoor structuur in de week.",
    ),
    _domain(
        WMO,
        TIME,
        "Noteer of de inwoner een zinvolle dagbesteding heeft en of daarvoor ondersteuning nodig is.",
        "een dagritme tot op het uur of namen van instellingen die niet nodig zijn.",
        "Zit de meeste dagen thuis; wil graag twee dagdelen dagbesteding.",
    ),
    _domain(
        WMO,
        HOUSE,
        "Noteer of de woning passend en toegankelijk is voor de beperking (trap, douche, drempels).",
        "het huurbedrag of namen van verhuurder of huisgenoten.",
        "Slaapkamer op de eerste verdieping; kan de trap niet meer veilig op.",
    ),
    _domain(
        WMO,
        HOME,
        "Noteer of de relaties thuis de zelfredzaamheid steunen of belasten, voor zover het de ondersteuning raakt.",
        "details van conflicten, de relatiegeschiedenis of gegevens van huisgenoten.",
        "Partner is mantelzorger en raakt overbelast.",
    ),
    _domain(
        WMO,
        MENTAL,
        "Noteer alleen welke beperking er in het dagelijks leven is en welke ondersteuning die vraagt.",
        "diagnose, medicatie, behandelaar of behandelgeschiedenis.",
        "Kan door somberheid het huishouden niet volhouden; begeleiding nodig bij dagstructuur.",
    ),
    _domain(
        WMO,
        PHYS,
        "Noteer welke lichamelijke beperking het dagelijks functioneren raakt en wat er nodig is.",
        "diagnose, ziektegeschiedenis of medicatie.",
        "Loopt hooguit 50 meter; heeft vervoer nodig naar de dagbesteding.",
    ),
    _domain(
        WMO,
        SUBST,
        "Noteer alleen of middelengebruik de zelfredzaamheid beperkt en welke ondersteuning dat vraagt.",
        "welke middelen, hoeveelheden of strafbare feiten.",
        "Gebruik maakt zelfstandig wonen onzeker; begeleiding thuis nodig.",
    ),
    _domain(
        WMO,
        BADL,
        "Noteer welke persoonlijke verzorging (wassen, aankleden, eten) niet zelfstandig lukt.",
        "intieme details of de medische oorzaak.",
        "Heeft drie keer per week hulp nodig bij het douchen.",
    ),
    _domain(
        WMO,
        IADL,
        "Noteer welke huishoudelijke taken (schoonmaken, boodschappen, koken) niet lukken en wie nu helpt.",
        "de medische oorzaak of gegevens van helpers die niet nodig zijn.",
        "Kan niet meer stofzuigen of boodschappen tillen; dochter doet nu de boodschappen.",
    ),
    _domain(
        WMO,
        NET,
        "Noteer wie kan helpen (de rol, niet de naam) en hoeveel, zodat de ondersteuning daarop aansluit.",
        "namen, telefoonnummers of adressen van mensen uit het netwerk.",
        "Buurvrouw helpt één keer per week; verder geen netwerk.",
    ),
    _domain(
        WMO,
        PART,
        "Noteer of de inwoner meedoet (vereniging, vrijwilligerswerk, buurt) en wat daarvoor nodig is.",
        "lidmaatschap van een politieke, religieuze of vakorganisatie (bijzondere gegevens).",
        "Wil weer naar het buurthuis, maar komt er niet zelfstandig.",
    ),
    _domain(
        WMO,
        JUST,
        NOTHING + " Onder de Wmo 2015 worden strafrechtelijke gegevens nooit bewaard.",
        "strafbare feiten, veroordelingen of contact met politie of reclassering; wat nodig is voor de ondersteuning noteert u in het domein waar de hulp over gaat.",
        "",
    ),
    # ---- Jeugdwet: de ontwikkeling en veiligheid van de jeugdige
    _domain(
        JW,
        FIN,
        "Noteer alleen of geldzorgen in het gezin de opvoeding of de ontwikkeling van de jeugdige raken.",
        "bedragen, schuldeisers of het inkomen van de ouders.",
        "Gezin heeft schulden; er is geen ruimte voor de sportclub van het kind.",
    ),
    _domain(
        JW,
        WORK,
        "Noteer hoe het op school of de opleiding gaat (aanwezigheid, extra ondersteuning).",
        "cijfers, rapporten of namen van leerkrachten.",
        "Verzuimt sinds twee maanden vaak; de leerplichtambtenaar is op de hoogte.",
    ),
    _domain(
        JW,
        TIME,
        "Noteer of de jeugdige een vrije tijd heeft die past bij de leeftijd en wat daarvoor nodig is.",
        "namen van vrienden of details over gebruik van sociale media.",
        "Zit na school alleen thuis; wil graag op voetbal.",
    ),
    _domain(
        JW,
        HOUSE,
        "Noteer of de woonsituatie veilig en passend is voor de jeugdige.",
        "huurbedragen of gegevens van de verhuurder.",
        "Gezin van vijf woont in twee kamers; het kind heeft geen eigen slaapplek.",
    ),
    _domain(
        JW,
        HOME,
        "Noteer hoe het gezin functioneert voor zover het de veiligheid en ontwikkeling van de jeugdige raakt.",
        "details over de relatie tussen de ouders die niet over het kind gaan, of gegevens van familie buiten het gezin.",
        "Veel spanning sinds de scheiding; het kind wil niet meer naar vader.",
    ),
    _domain(
        JW,
        MENTAL,
        "Noteer welk gedrag of welke klachten het dagelijks leven van de jeugdige raken en welke hulp nodig is.",
        "een diagnose of testuitslagen van de jeugdige of de ouders; die staan bij de behandelaar.",
        "Slaapt slecht en is erg angstig; wil hulp bij het omgaan met angst.",
    ),
    _domain(
        JW,
        PHYS,
        "Noteer welke lichamelijke beperking de ontwikkeling of het meedoen van de jeugdige raakt.",
        "diagnose, medisch dossier of medicatie.",
        "Kan door de beperking niet mee met gym; school vraagt om begeleiding.",
    ),
    _domain(
        JW,
        SUBST,
        "Noteer of middelengebruik (van de jeugdige of een ouder) de veiligheid of ontwikkeling raakt.",
        "hoeveelheden, welke middelen of namen van anderen die gebruiken.",
        "Moeder gebruikt; het kind zorgt 's avonds vaak voor zijn broertje.",
    ),
    _domain(
        JW,
        BADL,
        "Noteer welke verzorging niet past bij de leeftijd en extra hulp vraagt.",
        "intieme details of de medische oorzaak.",
        "Heeft op zijn negende nog hulp nodig bij het aankleden.",
    ),
    _domain(
        JW,
        IADL,
        "Noteer welke taken passend bij de leeftijd niet lukken, of welke de jeugdige te veel op zich neemt.",
        "details over het huishouden die de hulp niet raken.",
        "Doet als 14-jarige het hele huishouden voor het gezin.",
    ),
    _domain(
        JW,
        NET,
        "Noteer welke steunfiguren er rond de jeugdige zijn (de rol, niet de naam).",
        "namen of contactgegevens van familie, vrienden of buren.",
        "Oma is een belangrijk steunfiguur; verder weinig contacten.",
    ),
    _domain(
        JW,
        PART,
        "Noteer of de jeugdige meedoet aan club, vereniging of buurt en wat meedoen in de weg staat.",
        "geloofsovertuiging of lidmaatschap van organisaties (bijzondere gegevens).",
        "Is gestopt met de scouting; de ouders kunnen de contributie niet betalen.",
    ),
    _domain(
        JW,
        JUST,
        "Noteer alleen wat nodig is voor jeugdhulp of jeugdreclassering: of er een traject of maatregel loopt.",
        "details van het delict of gegevens uit politie- of strafdossiers.",
        "Heeft een taakstraf; de jeugdreclassering vraagt om begeleiding bij de dagbesteding.",
    ),
    # ---- Participatiewet: bijstand en de weg naar werk
    _domain(
        PW,
        FIN,
        "Noteer of er schulden zijn en of die het werken belemmeren.",
        "rekeningnummers, saldi of namen van schuldeisers; die horen bij de aanvraag voor bijstand.",
        "Problematische schulden; eerst naar schuldhulpverlening, dan het traject naar werk.",
    ),
    _domain(
        PW,
        WORK,
        "Noteer werkervaring, opleiding en wat nodig is om aan het werk te gaan.",
        "referenties, beoordelingen door vorige werkgevers of details over een ontslag.",
        "Mbo-2 logistiek, 6 jaar magazijnwerk; wil een heftruckcertificaat halen.",
    ),
    _domain(
        PW,
        TIME,
        "Noteer of de inwoner een vaste week heeft die werken of een traject mogelijk maakt.",
        "hobby's of vrije tijd die voor werk niet van belang zijn.",
        "Geen vast dagritme; begint met twee ochtenden werkstage.",
    ),
    _domain(
        PW,
        HOUSE,
        "Noteer alleen of de woonsituatie werken belemmert (dakloos, dreigende uitzetting).",
        "het huurbedrag of gegevens van huisgenoten; die horen bij de aanvraag voor bijstand.",
        "Dreigende huisuitzetting; eerst woonruimte, dan het traject.",
    ),
    _domain(
        PW,
        HOME,
        "Noteer alleen of de situatie thuis werken belemmert, bijvoorbeeld de zorg voor kinderen.",
        "relatieproblemen of gegevens van gezinsleden die werken niet raken.",
        "Alleenstaande ouder van twee jonge kinderen; kinderopvang nodig om te kunnen werken.",
    ),
    _domain(
        PW,
        MENTAL,
        "Kies alleen score en hulpvraag: die tellen voor re-integratie en ontheffing. De toelichting wordt onder de Participatiewet nooit bewaard; laat haar leeg.",
        "diagnose, behandeling of klachten, ook niet tijdelijk.",
        "Score 2, hulpvraag bevestigd; de belastbaarheid beoordeelt de arbeidsdeskundige.",
    ),
    _domain(
        PW,
        PHYS,
        "Kies alleen score en hulpvraag: voor werk telt dat er een beperking is. De toelichting wordt onder de Participatiewet nooit bewaard; laat haar leeg.",
        "diagnose, ziektegeschiedenis of medicatie.",
        "Score 3, hulpvraag bevestigd; alleen werk zonder tillen.",
    ),
    _domain(
        PW,
        SUBST,
        NOTHING + " Middelengebruik wordt onder de Participatiewet nooit bewaard.",
        "gebruik van alcohol, drugs of gokken; verwijs zo nodig door naar de Wmo of de verslavingszorg.",
        "",
    ),
    _domain(
        PW,
        BADL,
        NOTHING + " Persoonlijke verzorging wordt onder de Participatiewet nooit bewaard.",
        "hulp bij wassen, aankleden of eten; verwijs zo nodig door naar de Wmo.",
        "",
    ),
    _domain(
        PW,
        IADL,
        NOTHING + " Huishoudelijke taken worden onder de Participatiewet nooit bewaard.",
        "hulp bij huishouden, boodschappen of koken; verwijs zo nodig door naar de Wmo.",
        "",
    ),
    _domain(
        PW,
        NET,
        "Noteer of er een netwerk is dat kan helpen bij werk zoeken of oppas (de rol, niet de naam).",
        "namen of contactgegevens.",
        "Zus kan twee dagen per week oppassen.",
    ),
    _domain(
        PW,
        PART,
        "Noteer vrijwilligerswerk of activiteiten die kunnen helpen op weg naar werk.",
        "lidmaatschap van een politieke, religieuze of vakorganisatie.",
        "Doet vrijwilligerswerk bij de voedselbank; wil dat uitbreiden tot een werkervaringsplek.",
    ),
    _domain(
        PW,
        JUST,
        NOTHING
        + " Strafrechtelijke gegevens uit de ZRM worden onder de Participatiewet nooit bewaard.",
        "detentie, veroordelingen of contact met politie; detentie stelt de gemeente vast via Suwinet.",
        "",
    ),
    # ---- Wet gemeentelijke schuldhulpverlening: een plan van aanpak voor de schulden
    _domain(
        WGS,
        FIN,
        "Noteer wat nodig is voor een plan van aanpak: aantal schuldeisers, geschatte totale schuld, lopende beslagen.",
        "rekeningnummers of de volledige schuldenlijst; die horen met de stukken in het schuldhulpdossier.",
        "Ongeveer 12 schuldeisers, samen circa € 18.000; beslag op het loon.",
    ),
    _domain(
        WGS,
        WORK,
        "Noteer de bron van inkomen en of meer inkomen mogelijk is, voor de aflossingsruimte.",
        "gegevens van de werkgever of loonstroken.",
        "Werkt 20 uur in loondienst; wil meer uren, de werkgever kan dat niet bieden.",
    ),
    _domain(
        WGS,
        TIME,
        "Noteer alleen of de invulling van de dag het volhouden van een traject beïnvloedt.",
        "hobby's of een uitgavenpatroon in detail.",
        "Geen vaste dagstructuur; afspraken worden vaak vergeten.",
    ),
    _domain(
        WGS,
        HOUSE,
        "Noteer of er een huurachterstand of dreigende uitzetting is: die gaat voor in het plan.",
        "gegevens van huisgenoten, of van de verhuurder verder dan nodig voor een betalingsregeling.",
        "Drie maanden huurachterstand; de verhuurder heeft een deurwaarder ingeschakeld.",
    ),
    _domain(
        WGS,
        HOME,
        "Noteer of iemand in het huishouden meebetaalt of meebeslist over geld, voor zover dat het plan raakt.",
        "relatieproblemen of gegevens van huisgenoten die het plan niet raken.",
        "Partner beheert het geld; beiden moeten het plan tekenen.",
    ),
    _domain(
        WGS,
        MENTAL,
        "Kies alleen score en hulpvraag: psychische problemen bepalen welk traject past. De toelichting wordt bij schuldhulpverlening nooit bewaard; laat haar leeg.",
        "diagnose, behandeling of klachten.",
        "Score 2, hulpvraag bevestigd; traject met extra begeleiding bij de administratie.",
    ),
    _domain(
        WGS,
        SUBST,
        "Kies alleen score en hulpvraag: een verslaving (bijvoorbeeld gokken) bepaalt welk traject past. De toelichting wordt nooit bewaard; laat haar leeg.",
        "welke middelen, hoeveel of hoe vaak.",
        "Score 2, hulpvraag bevestigd; budgetbeheer in plaats van een regeling op eigen kracht.",
    ),
    _domain(
        WGS,
        PHYS,
        NOTHING + " Lichamelijke gezondheid wordt bij schuldhulpverlening nooit bewaard.",
        "ziekte, beperking of medicatie; ook niet als reden voor de schulden.",
        "",
    ),
    _domain(
        WGS,
        BADL,
        NOTHING + " Persoonlijke verzorging wordt bij schuldhulpverlening nooit bewaard.",
        "hulp bij wassen, aankleden of eten; verwijs zo nodig door naar de Wmo.",
        "",
    ),
    _domain(
        WGS,
        IADL,
        NOTHING + " Huishoudelijke taken worden bij schuldhulpverlening nooit bewaard.",
        "hulp in het huishouden; alleen wie de post en administratie doet, noteert u bij Sociaal netwerk.",
        "",
    ),
    _domain(
        WGS,
        NET,
        "Noteer of iemand uit het netwerk kan helpen met de post of de administratie (de rol, niet de naam).",
        "namen, contactgegevens of bedragen die van familie zijn geleend.",
        "Broer helpt bij het openen van de post.",
    ),
    _domain(
        WGS,
        PART,
        "Noteer alleen of meedoen (sport, vereniging) kosten meebrengt die in het plan moeten passen.",
        "lidmaatschap van een politieke, religieuze of vakorganisatie.",
        "De kinderen sporten; de contributie loopt via het jeugdfonds.",
    ),
    _domain(
        WGS,
        JUST,
        NOTHING + " Strafrechtelijke gegevens worden bij schuldhulpverlening nooit bewaard.",
        "strafbare feiten of veroordelingen; een fraudeschuld staat gewoon in de schuldenlijst onder Financiën.",
        "",
    ),
)

RESIDENT_INSTRUCTIONS: tuple[Instruction, ...] = (
    Instruction(
        "resident.name",
        "Noteer de naam zoals in de BRP: voornamen en achternaam.",
        "bijnamen, of namen van gezinsleden of anderen.",
        "Johanna Maria de Vries",
    ),
    Instruction(
        "resident.name",
        "Noteer de naam van de jeugdige zoals in de BRP; de ouders horen hier niet.",
        "namen van ouders, broers of zussen.",
        "Sem de Vries",
        framework=JW,
    ),
    Instruction(
        "resident.date_of_birth",
        "Noteer de geboortedatum zoals in de BRP of op het identiteitsbewijs.",
        "een geschatte leeftijd.",
        "14-03-1975",
    ),
    Instruction(
        "resident.bsn",
        "Noteer het BSN alleen als het vaststaat (BRP of identiteitsbewijs); de elfproef controleert het.",
        "het BSN van gezinsleden, of een kopie van het identiteitsbewijs.",
        "123456782",
    ),
    Instruction(
        "resident.address",
        "Noteer het woonadres waar de inwoner post ontvangt.",
        "adressen van familie of hulpverleners, of een beschrijving van de woning.",
        "Dorpsstraat 12, 1234 AB Ergenshuizen",
    ),
    Instruction(
        "resident.phone",
        "Noteer één nummer waarop de inwoner over de hulp bereikbaar is.",
        "nummers van familie of buren.",
        "06 12345678",
    ),
    Instruction(
        "resident.email",
        "Noteer een e-mailadres alleen als de inwoner zo contact wil.",
        "het e-mailadres van iemand anders.",
        "j.devries@voorbeeld.nl",
    ),
)

INSTRUCTIONS: tuple[Instruction, ...] = DOMAIN_INSTRUCTIONS + RESIDENT_INSTRUCTIONS
