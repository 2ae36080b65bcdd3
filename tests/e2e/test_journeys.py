"""The users' journeys, through what they see: labels, roles, names, text.

Each journey runs by mouse and on the keyboard alone (`keyboard_only`). The rows are
read back only once the browser has closed (see tests/e2e/browser.py).
"""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from members.models import Body
from secretariat.meetings import services as meeting_services
from secretariat.meetings.models import AgendaItem, Meeting
from tests.conftest import PDF_BYTES
from themes.models import Measure
from themes.proposals.models import ThemeProposal

pytestmark = pytest.mark.e2e

PASSWORD = "secret-password"


def test_staff_add_a_measure_with_a_milestone_edit_it_and_find_it_again(
    cast_in_finnish, open_browser
):
    with open_browser() as visitor:
        page = visitor.page
        visitor.sign_in("voutilainen", PASSWORD)
        visitor.press(page.get_by_role("link", name="Teemat", exact=True))
        visitor.press(page.get_by_role("link", name="Työllisyys", exact=True))

        visitor.press(page.get_by_role("link", name="Lisää toimenpide"))
        visitor.type_into(
            page.get_by_role("textbox", name="Otsikko", exact=True),
            "Osaamiskeskusten kokeilu",
        )
        visitor.choose(page.get_by_label("Vastuuorganisaatio"), "Helsinki")
        visitor.tick(page.get_by_role("checkbox", name="Espoo"))
        visitor.date_into(page.get_by_label("Alkamispäivä"), datetime.date(2023, 10, 1))
        visitor.date_into(
            page.get_by_label("Päättymispäivä"), datetime.date(2024, 6, 30)
        )
        visitor.press(page.get_by_role("button", name="Tallenna"))
        expect(
            page.get_by_role("heading", name="Osaamiskeskusten kokeilu", level=1)
        ).to_be_visible()

        visitor.press(page.get_by_role("link", name="Lisää välitavoite"))
        visitor.type_into(
            page.get_by_role("textbox", name="Otsikko", exact=True),
            "Kokeilun väliraportti",
        )
        visitor.choose(page.get_by_label("Laji"), "Raportointi")
        visitor.date_into(page.get_by_label("Määräpäivä"), datetime.date(2024, 1, 31))
        visitor.press(page.get_by_role("button", name="Tallenna"))
        expect(
            page.get_by_role("heading", name="Kokeilun väliraportti", level=1)
        ).to_be_visible()
        expect(page.get_by_role("main")).to_contain_text("Raportointi")

        visitor.press(page.get_by_role("link", name="Osaamiskeskusten kokeilu"))

        visitor.press(page.get_by_role("link", name="Muokkaa toimenpidettä"))
        visitor.type_into(
            page.get_by_role("textbox", name="Otsikko", exact=True),
            "Osaamiskeskusten pilotti",
        )
        visitor.press(page.get_by_role("button", name="Tallenna"))
        expect(
            page.get_by_role("heading", name="Osaamiskeskusten pilotti", level=1)
        ).to_be_visible()
        history = page.get_by_role("region", name="Muutoshistoria")
        expect(history).to_contain_text(
            re.compile(
                r"Otsikko: Osaamiskeskusten kokeilu\s*→\s*Osaamiskeskusten pilotti"
            )
        )

        visitor.press(page.get_by_role("link", name="Aikataulu", exact=True))
        schedule = page.get_by_role("region", name="Aikataulu")
        theme_row = schedule.get_by_role("row").filter(
            has=page.get_by_role("link", name="Työllisyys", exact=True)
        )
        # A theme's measures are loaded into its rows when asked for.
        visitor.press(theme_row.get_by_role("link", name=re.compile("^Näytä sen")))
        expect(
            theme_row.get_by_role("link", name="Piilota toimenpiteet")
        ).to_be_focused()
        measure_row = schedule.get_by_role("row").filter(
            has=page.get_by_role("link", name="Osaamiskeskusten pilotti")
        )
        expect(measure_row).to_contain_text("31.1.2024 Kokeilun väliraportti")

    measure = Measure.objects.get(title="Osaamiskeskusten pilotti")
    assert measure.theme == cast_in_finnish.theme
    assert measure.lead_organisation.slug == "helsinki"
    assert [o.slug for o in measure.participating_organisations.all()] == ["espoo"]
    assert [m.title for m in measure.milestones.all()] == ["Kokeilun väliraportti"]


def test_a_form_with_bad_input_shows_the_error_at_the_field_and_saves_nothing(
    cast_in_finnish, open_browser
):
    measures_before = list(Measure.objects.values_list("pk", flat=True))
    with open_browser() as visitor:
        page = visitor.page
        visitor.sign_in("voutilainen", PASSWORD)
        visitor.press(page.get_by_role("link", name="Teemat", exact=True))
        visitor.press(page.get_by_role("link", name="Työllisyys", exact=True))

        visitor.press(page.get_by_role("link", name="Lisää toimenpide"))
        visitor.choose(page.get_by_label("Vastuuorganisaatio"), "Helsinki")
        visitor.type_into(page.get_by_label("Toteutusaste (%)"), "150")
        visitor.press(page.get_by_role("button", name="Tallenna"))

        title = page.get_by_role("textbox", name="Otsikko", exact=True)
        expect(title).to_have_attribute("aria-invalid", "true")
        expect(title).to_have_accessible_description("Tämä kenttä vaaditaan.")
        progress = page.get_by_label("Toteutusaste (%)")
        expect(progress).to_have_attribute("aria-invalid", "true")
        expect(progress).to_have_accessible_description(
            re.compile(r"Tämän arvon on oltava enintään 100\.")
        )
        expect(progress).to_have_value("150")
        expect(page.get_by_label("Vastuuorganisaatio")).not_to_have_attribute(
            "aria-invalid", "true"
        )

    assert list(Measure.objects.values_list("pk", flat=True)) == measures_before


def test_helsinki_proposal_is_returned_revised_and_accepted_into_a_theme(
    cast_in_finnish, open_browser, tmp_path
):
    plan = tmp_path / "suunnitelma.pdf"
    plan.write_bytes(PDF_BYTES)
    with open_browser() as visitor:
        page = visitor.page

        visitor.sign_in("nyholm", PASSWORD)
        visitor.press(page.get_by_role("link", name="Ehdotukset", exact=True))
        visitor.press(page.get_by_role("link", name="Uusi ehdotus"))
        visitor.type_into(
            page.get_by_role("textbox", name="Otsikko", exact=True),
            "Osaamisen kaupunkikokeilut",
        )
        visitor.type_into(page.get_by_label("Perustelut"), "Kaupungit tarvitsevat.")
        visitor.type_into(
            page.get_by_label("Ehdotetut toimenpiteet"), "Osaamiskeskusten verkosto"
        )
        visitor.press(page.get_by_role("button", name="Tallenna"))
        expect(
            page.get_by_role("heading", name="Osaamisen kaupunkikokeilut", level=1)
        ).to_be_visible()
        visitor.attach(page.get_by_label("Tiedosto"), plan)
        visitor.press(page.get_by_role("button", name="Liitä tiedosto"))
        attachments = page.get_by_role("region", name="Liitteet")
        expect(attachments.get_by_role("link", name="suunnitelma.pdf")).to_be_visible()
        visitor.press(page.get_by_role("button", name="Lähetä sihteeristölle"))
        expect(page.get_by_role("status")).to_contain_text(
            "Ehdotus lähetettiin sihteeristölle."
        )
        visitor.sign_out()

        visitor.sign_in("voutilainen", PASSWORD)
        visitor.press(page.get_by_role("link", name="Ehdotukset", exact=True))
        visitor.press(page.get_by_role("link", name="Osaamisen kaupunkikokeilut"))
        visitor.press(page.get_by_role("button", name="Aloita käsittely"))
        returning = page.get_by_role("form", name="Palauta täydennettäväksi")
        visitor.type_into(
            returning.get_by_label("Perustelu kaupungille"), "Lisätkää kustannusarvio."
        )
        visitor.press(page.get_by_role("button", name="Palauta täydennettäväksi"))
        expect(page.get_by_role("status")).to_contain_text(
            "Ehdotus palautettiin kaupungille täydennettäväksi."
        )
        visitor.sign_out()

        visitor.sign_in("nyholm", PASSWORD)
        visitor.press(page.get_by_role("link", name="Ehdotukset", exact=True))
        visitor.press(page.get_by_role("link", name="Osaamisen kaupunkikokeilut"))
        expect(page.get_by_role("main")).to_contain_text("Lisätkää kustannusarvio.")
        visitor.press(page.get_by_role("link", name="Muokkaa ehdotusta"))
        visitor.type_into(
            page.get_by_label("Odotetut vaikutukset"), "Kustannusarvio 200 000 euroa."
        )
        visitor.press(page.get_by_role("button", name="Tallenna"))
        visitor.press(page.get_by_role("button", name="Lähetä uudelleen"))
        expect(page.get_by_role("status")).to_contain_text(
            "Täydennetty ehdotus lähetettiin sihteeristölle."
        )
        visitor.sign_out()

        visitor.sign_in("voutilainen", PASSWORD)
        visitor.press(page.get_by_role("link", name="Ehdotukset", exact=True))
        visitor.press(page.get_by_role("link", name="Osaamisen kaupunkikokeilut"))
        visitor.press(page.get_by_role("button", name="Aloita käsittely"))
        visitor.press(page.get_by_role("link", name="Hyväksy…"))
        visitor.choose(page.get_by_label("Olemassa oleva teema"), "Työllisyys")
        visitor.type_into(page.get_by_label("Uuden teeman otsikko"), "")
        visitor.tick(
            page.get_by_role("group", name="Toimenpide 1").get_by_label(
                "Luo tämä toimenpide"
            )
        )
        visitor.type_into(page.get_by_label("Viesti kaupungille"), "Hyvä ehdotus.")
        visitor.press(page.get_by_role("button", name="Hyväksy"))
        expect(page.get_by_role("status")).to_contain_text("Ehdotus hyväksyttiin.")
        visitor.sign_out()

        visitor.sign_in("nyholm", PASSWORD)
        visitor.press(page.get_by_role("link", name="Ehdotukset", exact=True))
        visitor.press(page.get_by_role("link", name="Osaamisen kaupunkikokeilut"))
        facts = page.get_by_role("main")
        expect(facts).to_contain_text("Hyväksytty")
        expect(facts.get_by_role("link", name="Työllisyys")).to_be_visible()
        expect(facts).to_contain_text("Hyvä ehdotus.")

    proposal = ThemeProposal.objects.get(title="Osaamisen kaupunkikokeilut")
    assert proposal.status == ThemeProposal.Status.ACCEPTED
    assert proposal.resulting_theme == cast_in_finnish.theme
    assert cast_in_finnish.theme.measures.filter(
        title="Osaamiskeskusten verkosto"
    ).exists()
    assert [a.original_name for a in proposal.attachments.all()] == ["suunnitelma.pdf"]
    assert list(
        proposal.transitions.values_list("to_status", flat=True).order_by("at", "pk")
    ) == [
        "submitted",
        "under_review",
        "returned",
        "submitted",
        "under_review",
        "accepted",
    ]


def test_the_chair_plans_a_meeting_publishes_its_agenda_and_downloads_the_pdf(
    cast_in_finnish, open_browser
):
    with open_browser() as visitor:
        page = visitor.page
        visitor.sign_in("palonen", PASSWORD)
        visitor.press(page.get_by_role("link", name="Kokoukset", exact=True))
        visitor.press(page.get_by_role("link", name="Suunnittele kokous"))
        visitor.choose(
            page.get_by_label("Toimielin"), "Suurten kaupunkien yhteistyöryhmä"
        )
        visitor.moment_into(
            page.get_by_label("Alkaa"), datetime.datetime(2023, 10, 12, 9, 30)
        )
        visitor.type_into(page.get_by_label("Paikka"), "Valtioneuvoston linna")
        visitor.press(page.get_by_role("button", name="Tallenna"))
        expect(
            page.get_by_role(
                "heading", name="Suurten kaupunkien yhteistyöryhmä: kokous 1/2023"
            )
        ).to_be_visible()
        expect(page.get_by_role("main")).to_contain_text("12.10.2023 klo 9.30")
        visitor.press(page.get_by_role("link", name="Laadi esityslista"))

        for title in ["Kaupunkipolitiikan tilannekatsaus", "Allianssin teemat"]:
            visitor.press(page.get_by_role("link", name="Lisää asia"))
            visitor.type_into(
                page.get_by_role("textbox", name="Otsikko", exact=True), title
            )
            visitor.press(page.get_by_role("button", name="Tallenna"))
            expect(page.get_by_role("main")).to_contain_text(title)
        visitor.press(
            page.get_by_role("button", name="Siirrä asia Allianssin teemat ylemmäs")
        )
        expect(page.get_by_role("main")).to_contain_text(
            re.compile(
                r"1\. Allianssin teemat.*2\. Kaupunkipolitiikan tilannekatsaus", re.S
            )
        )

        visitor.press(page.get_by_role("button", name="Julkaise esityslista"))
        expect(page.get_by_role("status").first).to_contain_text(
            "Esityslistan versio 1 julkaistiin"
        )
        expect(
            page.get_by_role("heading", name="Suurten kaupunkien yhteistyöryhmä")
        ).to_be_visible()
        facts = page.get_by_role("main")
        expect(facts).to_contain_text("Esityslista julkaistu")
        expect(facts).to_contain_text("versio 1, julkaistu 15.9.2023")

        visitor.press(
            page.get_by_role(
                "button", name="Julkaistu esityslista (versio 1) PDF-tiedostona"
            )
        )
        with page.expect_download() as download:
            visitor.press(page.get_by_role("link", name="Lataa"))
        pdf = download.value.path().read_bytes()
        filename = download.value.suggested_filename

    assert pdf.startswith(b"%PDF")
    assert filename == "esityslista-1-2023-v1-fi.pdf"
    text = "".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(pdf)).pages)
    assert "Allianssin teemat" in text
    meeting = Meeting.objects.get()
    assert meeting.body.kind == Body.Kind.COOPERATION_GROUP
    assert meeting.number == 1
    assert timezone.localtime(meeting.starts_at) == datetime.datetime(
        2023, 10, 12, 9, 30, tzinfo=ZoneInfo("Europe/Helsinki")
    )
    assert meeting.status == Meeting.Status.AGENDA_PUBLISHED
    version = meeting.agenda_versions.get()
    assert version.number == 1
    assert version.published_by == cast_in_finnish.users["chair"]
    assert [item["title"] for item in version.content["items"]] == [
        "Allianssin teemat",
        "Kaupunkipolitiikan tilannekatsaus",
    ]
    assert list(meeting.agenda_items.values_list("title", flat=True)) == [
        "Allianssin teemat",
        "Kaupunkipolitiikan tilannekatsaus",
    ]


def test_the_chair_cancels_a_published_meeting_with_a_reason(
    cast_in_finnish, open_browser
):
    chair = cast_in_finnish.users["chair"]
    meeting = meeting_services.meeting_save(
        meeting=Meeting(
            body=Body.objects.get(kind=Body.Kind.COOPERATION_GROUP),
            starts_at=datetime.datetime(
                2023, 10, 12, 9, 30, tzinfo=ZoneInfo("Europe/Helsinki")
            ),
            place="Valtioneuvoston linna",
        ),
        by=chair,
    )
    meeting_services.agenda_item_save(
        item=AgendaItem(meeting=meeting, title="Allianssin teemat"), by=chair
    )
    meeting_services.agenda_publish(meeting=meeting, by=chair, notify=False)
    path = meeting.get_absolute_url()

    with open_browser() as visitor:
        page = visitor.page
        visitor.sign_in("palonen", PASSWORD)
        visitor.open(path)
        visitor.press(page.get_by_role("link", name="Peru kokous"))
        visitor.type_into(
            page.get_by_label("Peruutuksen syy"), "Puheenjohtaja on estynyt."
        )
        # Without the confirmation nothing happens but a question at the field.
        visitor.press(page.get_by_role("button", name="Peru kokous"))
        expect(page.get_by_role("main")).to_contain_text(
            "Vahvista, että kokous perutaan."
        )
        visitor.tick(page.get_by_label("Kyllä, peru tämä kokous."))
        visitor.press(page.get_by_role("button", name="Peru kokous"))
        expect(page.get_by_role("status").first).to_contain_text("Kokous peruttiin.")
        main = page.get_by_role("main")
        expect(main.locator(".status--cancelled")).to_have_text("Peruttu")
        expect(main).to_contain_text("Peruutuksen syy: Puheenjohtaja on estynyt.")
        expect(page.get_by_role("link", name="Peru kokous")).to_have_count(0)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    change = meeting.status_changes.get(to_status=Meeting.Status.CANCELLED)
    assert (change.by, change.note) == (chair, "Puheenjohtaja on estynyt.")
