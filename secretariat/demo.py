"""The example text of the proposal's task sections (`bootstrap_alliance --demo`)."""

import datetime

from django.db import transaction

from secretariat.models import ModelProposal, ProposalSection
from secretariat.services import section_save

# The example content. What the decision TEM077:00/2023 says is quoted from it; the
# rest is invented for demonstration and says so.
EXAMPLE_NOTE = "*Esimerkkisisältö, ei sihteeristön esitys.*"

EXAMPLE_SECTIONS = {
    ProposalSection.Kind.ORGANISATION: f"""\
Hallitusohjelman mukaan hallitus käynnistää **strategisen yhteistyöallianssin** \
suurimpien kaupunkien kanssa ja hyödyntää kuuden suurimman kaupungin vakiintunutta \
yhteistyötä valtakunnallisten haasteiden ratkaisemisen välineenä. Tässä luvussa \
esitetään allianssin organisointi ja tavoitteet asettamispäätöksen TEM077:00/2023 \
tehtävän 1 mukaisesti.

# Organisointi

Allianssi toimii kolmella tasolla:

- **Suurten kaupunkien yhteistyöryhmä** linjaa yhteistyön suunnan. Sitä johtaa \
pääministeri, varapuheenjohtajana toimii kunta- ja alueministeri, ja siihen kutsutaan \
kaupunkien johtajat, asianomaiset ministeriöt (TEM, OKM, SM) sekä VM:n ja TEM:n \
kansliapäälliköt.
- **Sihteeristö** valmistelee yhteistyöryhmän käsittelemät asiat, seuraa \
toimeenpanoa ja raportoi siitä. Sihteeristön puheenjohtajana toimii työ- ja \
elinkeinoministeriön johtava asiantuntija.
- **Teemakohtaiset työryhmät** valmistelevat ja toteuttavat toimenpiteet. Kunkin \
työryhmän vetovastuu on yhdellä ministeriöllä tai kaupungilla.

| Taso | Kokoontuu | Päättää tai valmistelee |
| --- | --- | --- |
| Yhteistyöryhmä | kaksi kertaa vuodessa | teemat, tavoitteet ja resurssit |
| Sihteeristö | kuukausittain | esitykset, seuranta ja raportointi |
| Teematyöryhmät | tarpeen mukaan | toimenpiteiden toteutus |

# Tavoitteet

Kaupungeille ja kaupunkiseuduille annetaan nykyistä suurempi rooli talouden \
vauhdittamisessa. Allianssin tavoitteena on, että

1. valtio ja suuret kaupungit sopivat yhteisistä tavoitteista työllisyyden, \
korkeakoulutuksen, innovaatiopolitiikan ja kansainvälistymisen teemoissa,
2. yhteisten toimenpiteiden vastuut, aikataulut ja resurssit ovat selvät ja
3. toimeenpanon etenemistä seurataan yhteisesti sovituilla mittareilla.

{EXAMPLE_NOTE}
""",
    ProposalSection.Kind.OPERATING_MODEL: f"""\
Asettamispäätöksen tehtävän 2 mukaisesti sihteeristö on määrittänyt yhteistyömallin \
teemat ja toimenpiteet sekä kuvannut toimintamallin. Teemat ja niiden toimenpiteet \
vastuuorganisaatioineen ja aikatauluineen esitetään tämän luvun lopussa.

# Toimintamalli

Yhteistyö etenee **vuosikellon** mukaan:

1. Teematyöryhmät valmistelevat kevään aikana seuraavan vuoden toimenpide-ehdotukset.
2. Sihteeristö kokoaa ehdotukset ja arvioi niiden vaikutukset ja kustannukset.
3. Yhteistyöryhmä päättää syksyn kokouksessaan toimenpiteistä ja niiden \
vastuuorganisaatioista.
4. Toimenpiteiden eteneminen raportoidaan sihteeristölle neljännesvuosittain.

Jokaisella toimenpiteellä on yksi *vastuuorganisaatio* ja sen lisäksi osallistuvat \
organisaatiot. Kaupungit voivat ehdottaa uusia teemoja ja toimenpiteitä \
sihteeristön avaamalla ehdotuskierroksella.

{EXAMPLE_NOTE}
""",
    ProposalSection.Kind.SCHEDULE: f"""\
Tehtävän 2 mukainen aikataulu yhteistyömallin käynnistämiseksi ja toteuttamiseksi \
etenee kolmessa vaiheessa:

| Vaihe | Ajankohta | Sisältö |
| --- | --- | --- |
| Käynnistys | syksy 2023 | esitys mallista 30.9.2023, teematyöryhmien asettaminen |
| Toteutus | 2024–2025 | toimenpiteet, neljännesvuosiraportit |
| Arviointi | 2026 | väliarvio ja mallin tarkistaminen |

Sihteeristön toimikausi alkoi 1.9.2023 ja on voimassa **toistaiseksi**, joten \
aikataulua tarkistetaan vuosittain yhteistyöryhmän syksyn kokouksessa. \
Välitavoitteet neljännesvuosittain ja toimenpiteiden aikajana esitetään alla.

{EXAMPLE_NOTE}
""",
    ProposalSection.Kind.MONITORING: f"""\
Asettamispäätöksen tehtävän 3 mukaisesti sihteeristö esittää, että mallin \
toimeenpanoa seurataan kolmella tavalla:

- **Indikaattorit**: kullekin teemalle sovitaan mittarit, joiden lähtötaso ja \
tavoitetaso kirjataan. Kaupungit ilmoittavat omat lukunsa sovituin väliajoin.
- **Toimenpiteiden tilanne**: vastuuorganisaatiot raportoivat toimenpiteiden ja \
välitavoitteiden etenemisestä neljännesvuosittain.
- **Vuosiraportti**: sihteeristö kokoaa vuosittain raportin yhteistyöryhmälle.

Seurannan tiedot kootaan yhteen palveluun, josta jokainen osapuoli näkee saman \
tilannekuvan. Teemakohtaiset indikaattorit lähtö- ja tavoitetasoineen esitetään \
alla.

{EXAMPLE_NOTE}
""",
}


def model_proposal_demo_load(*, today: datetime.date) -> dict[str, int]:
    """Write the example text into the proposal's task sections, marked as examples.

    Written through the services as the system (`by` None). A section whose text the
    secretariat has written (not blank, not an example) is left alone; a second call
    writes nothing and no history. Makes no version. `today` is not used: the text
    does not depend on the day.
    """
    written = 0
    with transaction.atomic():
        proposal = (
            ModelProposal.objects.select_related("appointment")
            .order_by("-appointment__date", "-appointment__pk")
            .first()
        )
        if proposal is None:
            return {"written": 0}
        sections = {
            section.kind: section
            for section in proposal.sections.filter(kind__in=list(EXAMPLE_SECTIONS))
        }
        for kind, body in EXAMPLE_SECTIONS.items():
            section = sections.get(kind)
            if section is None or (section.body.strip() and not section.is_example):
                continue
            if section.body == body and section.is_example:
                continue
            section.body = body
            section.is_example = True
            section_save(section=section, by=None)
            written += 1
    return {"written": written}
