# ruff: noqa: E501
"""The appointment decision TEM077:00/2023 as data.

Every name, title and sentence is spelled as in the corrected transcription of the
decision (shared/seed/asettamispaatos-TEM077-00-2023.md). The decision is in Finnish
only: every Swedish text here (its title, the bodies' names, the members' titles, the
positions and the tasks) is our translation, not the decision's.
"""

from datetime import date

ORGANISATIONS = [
    # slug, kind, Finnish name, Swedish name, abbreviation
    ("tem", "ministry", "Työ- ja elinkeinoministeriö", "Arbets- och näringsministeriet", "TEM"),
    ("okm", "ministry", "Opetus- ja kulttuuriministeriö", "Undervisnings- och kulturministeriet", "OKM"),
    ("sm", "ministry", "Sisäministeriö", "Inrikesministeriet", "SM"),
    ("vm", "ministry", "Valtiovarainministeriö", "Finansministeriet", "VM"),
    ("helsinki", "city", "Helsinki", "Helsingfors", ""),
    ("espoo", "city", "Espoo", "Esbo", ""),
    ("tampere", "city", "Tampere", "Tammerfors", ""),
    ("vantaa", "city", "Vantaa", "Vanda", ""),
    ("oulu", "city", "Oulu", "Uleåborg", ""),
    ("turku", "city", "Turku", "Åbo", ""),
]  # fmt: skip

# The names that decisions and minutes print: the Finnish ones as the decision spells
# them, the Swedish ones the organisations' own, the English ones their usual names.
OFFICIAL_NAMES = {
    # slug: Finnish, Swedish, English
    "tem": ("Työ- ja elinkeinoministeriö", "Arbets- och näringsministeriet", "Ministry of Economic Affairs and Employment"),
    "okm": ("Opetus- ja kulttuuriministeriö", "Undervisnings- och kulturministeriet", "Ministry of Education and Culture"),
    "sm": ("Sisäministeriö", "Inrikesministeriet", "Ministry of the Interior"),
    "vm": ("Valtiovarainministeriö", "Finansministeriet", "Ministry of Finance"),
    "helsinki": ("Helsingin kaupunki", "Helsingfors stad", "City of Helsinki"),
    "espoo": ("Espoon kaupunki", "Esbo stad", "City of Espoo"),
    "tampere": ("Tampereen kaupunki", "Tammerfors stad", "City of Tampere"),
    "vantaa": ("Vantaan kaupunki", "Vanda stad", "City of Vantaa"),
    "oulu": ("Oulun kaupunki", "Uleåborgs stad", "City of Oulu"),
    "turku": ("Turun kaupunki", "Åbo stad", "City of Turku"),
}  # fmt: skip

SECRETARIAT = {
    "slug": "sihteeristo",
    "kind": "secretariat",
    "name_fi": "Valtion ja suurten kaupunkien yhteistyöallianssin sihteeristö",
    "name_sv": "Sekretariatet för samarbetsalliansen mellan staten och de stora städerna",
    "name_fi_inessive": "Yhteistyöryhmän sihteeristössä",
    "term_start": date(2023, 9, 1),
    "term_end": None,
}

COOPERATION_GROUP = {
    "slug": "yhteistyoryhma",
    "kind": "cooperation_group",
    "name_fi": "Suurten kaupunkien yhteistyöryhmä",
    "name_sv": "Samarbetsgruppen för de stora städerna",
    "name_fi_inessive": "Suurten kaupunkien yhteistyöryhmässä",
    # The decision of 31.8.2023 is the first record of the group in this service.
    "term_start": date(2023, 8, 31),
    "term_end": None,
}

# In the decision's order: title, first name, last name, organisation, role, gender,
# and the demo user name (the ASCII-folded lower-case surname).
SECRETARIAT_MEMBERS = [
    ("johtava asiantuntija", "Katja", "Palonen", "tem", "chair", "woman", "palonen"),
    ("erityisasiantuntija", "Olli", "Voutilainen", "tem", "member", "man", "voutilainen"),
    ("kulttuuriasiainneuvos", "Kirsi", "Kaunisharju", "okm", "member", "woman", "kaunisharju"),
    ("neuvotteleva virkamies", "Lotta", "Mattsson", "vm", "member", "woman", "mattsson"),
    ("yhteysjohtaja", "Inga", "Nyholm", "helsinki", "member", "woman", "nyholm"),
    ("kehittämispäällikkö", "Niko", "Ferm", "espoo", "member", "man", "ferm"),
    ("yhteysjohtaja", "Maggie", "Keskinen", "tampere", "member", "woman", "keskinen"),
    ("kehittämispäällikkö", "Paula", "Harju", "vantaa", "member", "woman", "harju"),
    ("kehittämispäällikkö", "Claes", "Krüger", "oulu", "member", "man", "kruger"),
    ("yhteysjohtaja", "Matti", "Niemi", "turku", "member", "man", "niemi"),
]  # fmt: skip

# The titles in Swedish, as the ministries and cities use them in Swedish.
TITLES_SV = {
    "johtava asiantuntija": "ledande sakkunnig",
    "erityisasiantuntija": "specialsakkunnig",
    "kulttuuriasiainneuvos": "kulturråd",
    "neuvotteleva virkamies": "konsultativ tjänsteman",
    "yhteysjohtaja": "kontaktdirektör",
    "kehittämispäällikkö": "utvecklingschef",
}

# The cooperation group by position only: the decision names no persons.
COOPERATION_GROUP_SEATS = [
    # position, organisation, role
    ("pääministeri", None, "chair"),
    ("kunta- ja alueministeri", None, "vice_chair"),
    ("kaupunginjohtaja", "helsinki", "member"),
    ("kaupunginjohtaja", "espoo", "member"),
    ("kaupunginjohtaja", "tampere", "member"),
    ("kaupunginjohtaja", "vantaa", "member"),
    ("kaupunginjohtaja", "oulu", "member"),
    ("kaupunginjohtaja", "turku", "member"),
    ("ministeriön edustaja", "tem", "member"),
    ("ministeriön edustaja", "okm", "member"),
    ("ministeriön edustaja", "sm", "member"),
    ("kansliapäällikkö", "vm", "member"),
    ("kansliapäällikkö", "tem", "member"),
]

POSITIONS_SV = {
    "pääministeri": "statsminister",
    "kunta- ja alueministeri": "kommun- och regionminister",
    "kaupunginjohtaja": "stadsdirektör",
    "ministeriön edustaja": "ministeriets representant",
    "kansliapäällikkö": "kanslichef",
}

APPOINTMENT = {
    "diary_number": "TEM077:00/2023",
    "date": date(2023, 8, 31),
    "document_type": "Asettamispäätös",
    "title_fi": "VALTION JA SUURTEN KAUPUNKIEN YHTEISTYÖALLIANSSIN SIHTEERISTÖN ASETTAMINEN",
    "title_sv": (
        "TILLSÄTTANDE AV SEKRETARIATET FÖR SAMARBETSALLIANSEN MELLAN STATEN OCH DE "
        "STORA STÄDERNA"
    ),
    "distribution": "Jakelussa mainituille",
    "background": (
        "Pääministeri Petteri Orpon hallitusohjelman mukaan hallitus vahvistaa "
        "kaupunkipolitiikkaa, joka rakentuu valtion ja kaupunkien välisen reilun "
        "kumppanuuden varaan. Vahvan kaupunkipolitiikan synnyttämä kasvu hyödyttää koko "
        "yhteiskuntaa ja tuo resursseja myös kaupunkiseutujen ulkopuolella sijaitsevien "
        "alueiden kehittämiseen.\n\n"
        "Kaupungeille ja kaupunkiseuduille annetaan nykyistä suurempi rooli talouden "
        "vauhdittamisessa työllisyyden, korkeakoulutuksen, innovaatiopolitiikan ja "
        "kansainvälistymisen keinoilla. Suurilla kaupungeilla on kyky ja mahdollisuudet "
        "kantaa vastuuta laajoista, koko yhteiskuntaa kohtaavista ilmiöistä yhdessä "
        "valtion kanssa.\n\n"
        "Hallitusohjelmassa todetaan, että hallitus hyödyntää kuuden suurimman kaupungin "
        "vakiintunutta yhteistyötä valtakunnallisten haasteiden ratkaisemisen välineenä. "
        "Hallitus käynnistää strategisen yhteistyöallianssin suurimpien kaupunkien "
        "kanssa. Hallitus asettaa osana kaupunkipolitiikan kokonaisuutta sihteeristön "
        "valmistelemaan strategisen allianssimallin sisältöjä. Allianssin "
        "yhteistyöryhmänä toimii pääministerin johtama (varapuheenjohtajana kunta- ja "
        "alueministeri) suurten kaupunkien yhteistyöryhmä, johon kutsutaan kaupunkien "
        "johtajat, asianomaiset ministeriöt (TEM, OKM, SM) sekä VM:n ja TEM:n "
        "kansliapäälliköt. Kokoonpano täsmentyy tarvittavan valmistelun perusteella."
    ),
    "objective": (
        "Sihteeristön tavoitteena on ensi vaiheessa valmistella esitys yhteistyömallista "
        "valtion ja suurten kaupunkien välille sekä jatkaa tulevaisuudessa allianssin "
        "sisältöjen valmistelijana."
    ),
    "model_proposal_due": date(2023, 9, 30),
    "experts": "Sihteeristö voi kuulla asiantuntijoita työnsä tueksi.",
    # As printed; the budget item of TEM's operating expenses is 32.01.01.
    "cost_provisions": (
        "Työryhmän jäsenille ei makseta kokouspalkkioita, eikä korvata "
        "matkakustannuksia. Muut mahdollisesti aiheutuvat kustannukset maksetaan työ- ja "
        "elinkeinoministeriön toimintamenoista momentilta 320101012."
    ),
}

SIGNATORIES = [
    ("Kunta- ja alueministeri", "Anna-Kaisa Ikonen"),
    ("Osastopäällikkö, ylijohtaja", "Tiina Korhonen"),
]

# The decision's tasks in its Finnish words, each with our Swedish translation.
TASKS = [
    (
        "Valmistella yhteistyömallin organisointi ja tavoitteet.",
        "Bereda samarbetsmodellens organisering och mål.",
    ),
    (
        "Määrittää yhteistyömallin teemat sekä toimenpiteet ja kuvata toimintamalli sekä "
        "luoda aikataulu yhteistyömallin käynnistämiseksi ja toteuttamiseksi.",
        "Fastställa samarbetsmodellens teman och åtgärder, beskriva verksamhetsmodellen "
        "samt göra upp en tidsplan för att inleda och genomföra samarbetsmodellen.",
    ),
    (
        "Valmistella esitys mallin toimeenpanon seurannasta.",
        "Bereda ett förslag om uppföljningen av modellens genomförande.",
    ),
    (
        "Toimia yhteistyöryhmän sihteeristönä.",
        "Fungera som samarbetsgruppens sekretariat.",
    ),
]
