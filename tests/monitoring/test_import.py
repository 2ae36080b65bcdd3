"""Importing values from CSV and XLSX: preview, all or nothing, and the templates."""

import csv
import html
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance.history import edit_token
from monitoring import services
from monitoring.models import Observation
from tests.monitoring.factories import Q1_2024, Q2_2024
from tests.monitoring.rounds_factories import Q3_2023, rounds_world

pytestmark = pytest.mark.django_db

IMPORT_URL = "/fi/monitoring/values/import/"


def import_url():
    return reverse("monitoring:observation_import")


def confirm_url():
    return reverse("monitoring:observation_import_confirm")


def template_url(file_format, **query):
    url = reverse("monitoring:observation_import_template", args=[file_format])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def snapshot():
    return list(
        Observation.objects.order_by("pk").values_list(
            "pk", "indicator_id", "period", "city_id", "value", "note", "entered_by_id"
        )
    )


def csv_file(text: str, *, encoding="utf-8", name="arvot.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), "text/csv")


def upload(client, file):
    return client.post(import_url(), {"file": file})


def plan_of(page: str) -> str:
    match = re.search(r'name="plan" value="([^"]+)"', page)
    assert match, "the preview offers no confirmation"
    return match.group(1)


def preview_and_confirm(client, file):
    preview = upload(client, file)
    assert preview.status_code == 200, preview.content.decode()
    return client.post(confirm_url(), {"plan": plan_of(preview.content.decode())})


def error_rows(page: str) -> dict[str, str]:
    """Return each bad row's number and the text of its reasons."""
    table = re.search(r'<table class="import-errors">(.*?)</table>', page, re.S)
    assert table, "no table of bad rows"
    return {
        number: html.unescape(re.sub(r"<[^>]+>", " ", reasons))
        for number, reasons in re.findall(
            r'<tr class="row--error">\s*<th scope="row">(\d+)</th>\s*<td>(.*?)</td>',
            table.group(1),
            re.S,
        )
    }


def value_of(indicator, period, city):
    return Observation.objects.get(indicator=indicator, period=period, city=city).value


# All or nothing, with the bad rows and their reasons


def test_a_file_with_one_bad_row_imports_nothing_and_reports_that_row(client, world):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"
    before = snapshot()
    file = csv_file(
        "indicator;period;city;value\n"
        f"{world.per_city.pk};2024-Q2;Helsinki;140\n"
        f"{world.per_city.pk};2024-Q2;Espoo;1,234.5\n"
        f"{world.per_city.pk};2024-Q2;;100\n"
    )

    response = upload(client, file)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported" in page
    assert set(error_rows(page)) == {"3"}
    assert "1,234.5 is ambiguous" in error_rows(page)["3"]
    assert 'name="plan"' not in page
    assert snapshot() == before


def test_every_bad_row_is_reported_with_its_own_reasons(client, world):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"
    file = csv_file(
        "indikaattori;kausi;kaupunki;arvo\n"
        "Ei tällaista;2024-Q2;Helsinki;1\n"
        f"{world.per_city.pk};2024-05;Helsinki;1\n"
        f"{world.per_city.pk};2024-Q2;Atlantis;1\n"
        f"{world.national_only.pk};2024-Q2;Helsinki;1\n"
        f"{world.per_city.pk};2024-Q2;Espoo;1\n"
        f"{world.per_city.pk};Q2/2024;espoo;2\n"
    )

    errors = error_rows(upload(client, file).content.decode())

    assert "There is no indicator Ei tällaista" in errors["2"]
    assert "enter a quarter" in errors["3"]
    assert "There is no city Atlantis" in errors["4"]
    assert "reported only as a national value" in errors["5"]
    assert "Row 6 already gives the value" in errors["7"]
    assert set(errors) == {"2", "3", "4", "5", "7"}


# Numbers, separators and encodings


def test_finnish_decimal_commas_and_thousands_spaces_are_read(client, world):
    client.force_login(world.users["staff"])
    file = csv_file(
        "indikaattori;kausi;kaupunki;arvo;huomautus\n"
        f"{world.per_city.pk};2024-Q2;Helsinki;1 234,5;Ennakkotieto\n"
        f"{world.per_city.pk};2024-Q2;Espoo;1\u00a0234\u00a0567,25;\n"
        f"{world.per_city.pk};2024-Q2;koko maa;−3,5;\n"
    )

    response = preview_and_confirm(client, file)

    assert response.status_code == 302
    assert value_of(world.per_city, Q2_2024, world.helsinki) == Decimal("1234.5")
    assert value_of(world.per_city, Q2_2024, world.espoo) == Decimal("1234567.25")
    assert value_of(world.per_city, Q2_2024, None) == Decimal("-3.5")
    saved = Observation.objects.get(period=Q2_2024, city=world.helsinki)
    assert saved.note == "Ennakkotieto"
    assert saved.entered_by == world.users["staff"]


def test_a_comma_separated_file_with_quoted_decimal_commas_is_read(client, world):
    client.force_login(world.users["staff"])
    file = csv_file(
        "indicator,period,city,value\n"
        f'{world.per_city.pk},2024-Q2,Helsinki,"1 234,5"\n'
        f"{world.per_city.pk},2024-Q2,Espoo,17.25\n"
    )

    response = preview_and_confirm(client, file)

    assert response.status_code == 302
    assert value_of(world.per_city, Q2_2024, world.helsinki) == Decimal("1234.5")
    assert value_of(world.per_city, Q2_2024, world.espoo) == Decimal("17.25")


def test_an_unquoted_decimal_comma_in_a_comma_separated_file_is_a_bad_row(
    client, world
):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"
    file = csv_file(
        f"indicator,period,city,value\n{world.per_city.pk},2024-Q2,Helsinki,12,5\n"
    )

    errors = error_rows(upload(client, file).content.decode())

    assert "more cells than the first row names" in errors["2"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252", "utf-8"])
def test_utf8_with_or_without_bom_and_windows_1252_are_read(client, world, encoding):
    client.force_login(world.users["staff"])
    world.per_city.name = "Työllisyysaste ä"
    world.per_city.save()
    file = csv_file(
        "indikaattori;kausi;kaupunki;arvo;huomautus\n"
        "Työllisyysaste ä;2024-Q2;Helsinki;5;Lähde: Tilastokeskus, ö\n",
        encoding=encoding,
    )

    response = preview_and_confirm(client, file)

    assert response.status_code == 302
    saved = Observation.objects.get(period=Q2_2024, city=world.helsinki)
    assert saved.value == Decimal("5")
    assert saved.note == "Lähde: Tilastokeskus, ö"


# Updating instead of duplicating, and the preview of what changes


def test_a_reimport_updates_the_value_and_the_preview_shows_what_it_replaces(
    client, world
):
    user = world.users["helsinki"]
    client.force_login(user)
    client.cookies["django_language"] = "en"
    world.helsinki_value.entered_by = world.users["staff"]
    world.helsinki_value.save()
    count = Observation.objects.count()
    file = csv_file(
        "indicator;period;city;value\n"
        f"{world.per_city.pk};2024-Q1;Helsinki;140,5\n"
        f"{world.per_city.pk};2024-Q2;Helsinki;150\n"
    )

    preview = upload(client, file)
    page = preview.content.decode()
    changed = re.search(r"Values that will be changed(.*?)</table>", page, re.S)[1]
    confirm = client.post(confirm_url(), {"plan": plan_of(page)})

    # The preview names the replaced value and who entered it, and saves nothing.
    assert "130" in changed and "140.5" in changed
    assert world.users["staff"].get_full_name() in changed
    assert confirm.status_code == 302
    assert Observation.objects.count() == count + 1
    world.helsinki_value.refresh_from_db()
    assert world.helsinki_value.value == Decimal("140.5")
    assert world.helsinki_value.history.first().history_user == user
    assert world.helsinki_value.history.count() == 3
    # Importing the same file again changes nothing.
    again = upload(client, csv_file(file.open().read().decode()))
    assert "2 rows have the values already recorded" in again.content.decode()
    assert "There is nothing to import" in again.content.decode()


def test_an_empty_note_keeps_the_note_of_the_value_it_changes(client, world):
    client.force_login(world.users["staff"])
    world.helsinki_value.note = "Korjattu"
    world.helsinki_value.save()
    file = csv_file(
        "indicator;period;city;value;note\n"
        f"{world.per_city.pk};2024-Q1;Helsinki;131;\n"
        f"{world.per_city.pk};2024-Q1;Espoo;126;Uusi\n"
    )

    preview_and_confirm(client, file)

    world.helsinki_value.refresh_from_db()
    world.espoo_value.refresh_from_db()
    assert (world.helsinki_value.value, world.helsinki_value.note) == (
        Decimal("131"),
        "Korjattu",
    )
    assert world.espoo_value.note == "Uusi"


def test_nothing_is_imported_if_a_previewed_value_changed_meanwhile(client, world):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"
    before_count = Observation.objects.count()
    file = csv_file(
        "indicator;period;city;value\n"
        f"{world.per_city.pk};2024-Q1;Helsinki;140\n"
        f"{world.per_city.pk};2024-Q2;Helsinki;150\n"
    )
    plan = plan_of(upload(client, file).content.decode())
    services.observation_update(
        observation=world.helsinki_value,
        value=Decimal("135"),
        note="",
        by=world.users["helsinki"],
        token=edit_token(world.helsinki_value),
    )

    response = client.post(confirm_url(), {"plan": plan})

    assert response.status_code == 409
    assert "were changed by someone after the preview" in response.content.decode()
    assert Observation.objects.count() == before_count
    world.helsinki_value.refresh_from_db()
    assert world.helsinki_value.value == Decimal("135")


def test_nothing_is_imported_if_a_value_was_added_after_the_preview(client, world):
    client.force_login(world.users["staff"])
    file = csv_file(
        "indicator;period;city;value\n"
        f"{world.per_city.pk};2024-Q1;Helsinki;140\n"
        f"{world.per_city.pk};2024-Q2;Espoo;150\n"
    )
    plan = plan_of(upload(client, file).content.decode())
    services.observation_add(
        indicator=world.per_city,
        period=Q2_2024,
        city=world.espoo,
        value=Decimal("1"),
        by=world.users["espoo"],
    )
    before = snapshot()

    response = client.post(confirm_url(), {"plan": plan})

    assert response.status_code == 409
    assert snapshot() == before


def test_a_plan_is_only_its_previewers_and_cannot_be_forged(client, world):
    client.force_login(world.users["staff"])
    file = csv_file(f"indicator;period;city;value\n{world.per_city.pk};2024-Q2;;1\n")
    plan = plan_of(upload(client, file).content.decode())
    before = snapshot()

    client.force_login(world.users["chair"])
    someone_elses = client.post(confirm_url(), {"plan": plan})
    forged = client.post(confirm_url(), {"plan": plan[:-3] + "abc"})
    garbage = client.post(confirm_url(), {"plan": "x" * 5000})
    missing = client.post(confirm_url(), {})
    shown = client.get(confirm_url())

    assert [
        r.status_code for r in (someone_elses, forged, garbage, missing, shown)
    ] == [400, 400, 400, 400, 405]
    assert snapshot() == before


# City scope


def test_another_citys_row_is_a_bad_row_and_nothing_is_imported(client, world):
    client.force_login(world.users["helsinki"])
    client.cookies["django_language"] = "en"
    before = snapshot()
    file = csv_file(
        "indicator;period;city;value\n"
        f"{world.per_city.pk};2024-Q2;Helsinki;140\n"
        f"{world.per_city.pk};2024-Q2;Turku;150\n"
        f"{world.per_city.pk};2024-Q2;;160\n"
    )

    response = upload(client, file)

    errors = error_rows(response.content.decode())
    assert response.status_code == 400
    assert set(errors) == {"3", "4"}
    assert "only your own city's values, not Turku's" in errors["3"]
    assert "Only the secretariat records national values" in errors["4"]
    assert snapshot() == before


@pytest.mark.parametrize("role", ["norole", "observer"])
def test_those_who_record_no_values_cannot_import(client, world, role):
    client.force_login(world.users[role])
    file = csv_file(f"indicator;period;city;value\n{world.per_city.pk};2024-Q2;;1\n")

    shown = client.get(import_url())
    posted = upload(client, file)
    template = client.get(template_url("csv"))

    assert [shown.status_code, posted.status_code, template.status_code] == [
        403,
        403,
        403,
    ]


def test_the_import_page_asks_anonymous_users_to_sign_in(client, world):
    assert client.get(import_url()).status_code == 302


# XLSX


def xlsx_file(rows, name="arvot.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_an_xlsx_workbook_is_read_with_its_numbers_and_text(client, world):
    client.force_login(world.users["staff"])
    file = xlsx_file(
        [
            ["Indikaattori", "Kausi", "Kaupunki", "Arvo", "Huomautus"],
            [world.per_city.pk, "2024-Q2", "Helsinki", 1234.5, "Ennakko"],
            [],
            [world.per_city.name, "2024-Q2", "Espoo", "1 234,75", None],
            [world.per_city.pk, "2024-Q2", None, 0.1 + 0.2, None],
            [world.national_only.pk, 2024.0, None, 7, None],
        ]
    )
    world.national_only.frequency = "yearly"
    world.national_only.save()

    response = preview_and_confirm(client, file)

    assert response.status_code == 302
    assert value_of(world.per_city, Q2_2024, world.helsinki) == Decimal("1234.5")
    assert value_of(world.per_city, Q2_2024, world.espoo) == Decimal("1234.75")
    assert value_of(world.per_city, Q2_2024, None) == Decimal("0.3")
    assert world.national_only.observations.get(period=Q1_2024).value == 7


def test_an_xlsx_bad_row_is_reported_by_its_row_number_in_the_sheet(client, world):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"
    file = xlsx_file(
        [
            ["indicator", "period", "city", "value"],
            [world.per_city.pk, "2024-Q2", "Helsinki", 1],
            [None, None, None, None],
            [world.per_city.pk, "2024-Q2", "Espoo", "paljon"],
        ]
    )

    errors = error_rows(upload(client, file).content.decode())

    assert list(errors) == ["4"]
    assert "Enter a number" in errors["4"]


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked(client, world, settings):
    settings.MONITORING_IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"
    bomb = zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            # 50 MB of zeros pack into some 50 kB.
            "xl/worksheets/sheet1.xml": b"0" * (50 * 1024 * 1024),
        }
    )
    assert len(bomb) < 1024 * 1024

    response = upload(client, SimpleUploadedFile("arvot.xlsx", bomb))

    assert response.status_code == 400
    assert "The file unpacks to more than" in response.content.decode()


def test_an_xlsx_with_an_xml_bomb_is_refused(client, world):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"
    honest = xlsx_file([["indicator", "period", "city", "value"]]).read()
    bomb_sheet = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c>'
        b"</row></sheetData></worksheet>"
    )
    with zipfile.ZipFile(io.BytesIO(honest)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/worksheets/sheet1.xml"] = bomb_sheet

    response = upload(client, SimpleUploadedFile("arvot.xlsx", zip_bytes(parts)))

    assert response.status_code == 400
    assert "The file could not be read" in response.content.decode()


def test_a_file_over_the_limit_is_refused(client, world, settings):
    settings.MONITORING_IMPORT_MAX_BYTES = 100
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"
    text = "indicator;period;city;value\n" + f"{world.per_city.pk};2024-Q2;;1\n" * 20

    csv_response = upload(client, csv_file(text))
    xlsx_response = upload(
        client, xlsx_file([["indicator", "period", "city", "value"]])
    )

    for response in (csv_response, xlsx_response):
        assert response.status_code == 400
        assert "The file is too large" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("arvot.xlsx", b"PK\x03\x04 not really a zip", "could not be read"),
        ("arvot.xlsx", b"\x00\x01\x02" * 100, "could not be read"),
        ("arvot.csv", b"\x81\x8d\x8f\x90\x9d" * 10, "characters could not be read"),
        ("arvot.csv", b"a;b\x00;c;d\n1;2;3;4\n", "could not be read"),
        ("arvot.csv", b"just one column\n1\n", "must name the columns"),
        ("arvot.csv", b"indicator;period;city\n1;2;3\n", "Missing: value"),
        ("arvot.csv", b";;;\n\n", "no rows"),
        ("arvot.csv", b"\n\n\n", "must name the columns"),
        ("arvot.csv", b"", "empty"),
        ("arvot.pdf", b"%PDF-1.4\n%%EOF\n", "must name the columns"),
    ],
)
def test_a_hostile_or_malformed_file_gets_a_clear_message(
    client, world, name, content, message
):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"
    before = snapshot()

    response = upload(client, SimpleUploadedFile(name, content))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot() == before


def test_a_huge_cell_or_too_many_rows_is_refused_clearly(client, world, monkeypatch):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"
    monkeypatch.setattr("monitoring.importing.MAX_ROWS", 3)
    long_cell = csv_file(
        f"indicator;period;city;value\n{world.per_city.pk};2024-Q2;;{'1' * 5000}\n"
    )
    many = csv_file(
        "indicator;period;city;value\n" + f"{world.per_city.pk};2024-Q2;;1\n" * 4
    )

    long_page = upload(client, long_cell).content.decode()
    many_response = upload(client, many)

    assert "A cell is longer than 200 characters" in error_rows(long_page)["2"]
    assert many_response.status_code == 400
    assert "more than 3 rows" in many_response.content.decode()


def test_no_file_is_refused_next_to_the_field(client, world):
    client.force_login(world.users["staff"])

    response = client.post(import_url(), {})

    assert response.status_code == 400


# Templates, and reading them back


def test_the_csv_template_is_for_finnish_excel_and_lists_what_the_user_records(
    client, world
):
    client.force_login(world.users["helsinki"])

    response = client.get(template_url("csv", period="2024-Q2"))

    data = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "indikaattori;nimi;yksikkö;kausi;kaupunki;arvo;huomautus"
    # Helsinki's row of the indicator reported per city only: no national values.
    assert lines[1:] == [f"{world.per_city.pk};Työllisyysaste;%;2024-Q2;Helsinki;;"]


def test_a_template_round_trips_through_the_importer(client, world):
    user = world.users["helsinki"]
    client.force_login(user)
    response = client.get(template_url("csv", period="2024-Q2"))
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")),
            delimiter=";",
        )
    )
    rows[1][5] = "1 234,5"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    file = SimpleUploadedFile("pohja.csv", ("\ufeff" + buffer.getvalue()).encode())

    confirmed = preview_and_confirm(client, file)

    assert confirmed.status_code == 302
    saved = Observation.objects.get(period=Q2_2024, city=world.helsinki)
    assert (saved.value, saved.entered_by) == (Decimal("1234.5"), user)


def test_the_xlsx_template_of_a_theme_round_trips_and_blank_rows_are_skipped(
    client, world
):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "sv"
    response = client.get(template_url("xlsx", theme=world.theme.pk, period="2024-Q2"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2))
    # The national value and the six cities of one, the national value of the other.
    assert header[:6] == ["indikator", "namn", "enhet", "period", "stad", "värde"]
    assert len(rows) == 8
    assert rows[0][4].value == "hela landet"
    rows[0][5].value = 99
    rows[2][5].value = "5,5"
    buffer = io.BytesIO()
    workbook.save(buffer)

    preview = upload(client, SimpleUploadedFile("mall.xlsx", buffer.getvalue()))
    page = preview.content.decode()
    confirmed = client.post(confirm_url(), {"plan": plan_of(page)})

    assert "6 rader utan värde hoppas över" in page
    assert confirmed.status_code == 302
    assert value_of(world.per_city, Q2_2024, None) == Decimal("99")
    second_city = rows[2][4].value
    saved = Observation.objects.get(period=Q2_2024, city__name_sv=second_city)
    assert saved.value == Decimal("5.5")


@pytest.mark.parametrize(
    "query",
    [{"theme": "abc"}, {"theme": "999999"}, {"period": "xyz"}, {"period": "2024-Q9"}],
)
def test_a_template_asked_with_hostile_parameters_is_refused(client, world, query):
    client.force_login(world.users["staff"])

    response = client.get(template_url("csv", **query))

    assert response.status_code == 400


def test_a_template_of_an_unknown_format_is_not_found(client, world):
    client.force_login(world.users["staff"])

    assert client.get(template_url("pdf")).status_code == 404


def test_the_indicator_list_links_to_the_import(client, world):
    client.force_login(world.users["helsinki"])
    page = client.get(reverse("monitoring:indicator_list")).content.decode()
    client.force_login(world.users["observer"])
    observer_page = client.get(reverse("monitoring:indicator_list")).content.decode()

    assert import_url() in page
    assert import_url() not in observer_page


# A round's template: the walk-through of the issue, as keskinen of Tampere


def test_a_city_imports_its_values_from_the_rounds_template(
    client, organisations, fixed_today
):
    rounds = rounds_world(organisations)
    user = rounds.users["tampere"]
    client.force_login(user)
    page = client.get(import_url()).content.decode()

    response = client.get(template_url("csv", round=rounds.round.pk))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    rows = [line.split(";") for line in lines[1:]]
    # The open round is offered first; its indicators, Tampere's rows, its period.
    assert f'<option value="{rounds.round.pk}" selected>' in page
    assert [(row[0], row[3], row[4]) for row in rows] == [
        (str(indicator.pk), "2023-Q3", "Tampere") for indicator in rounds.indicators
    ]
    rows[0][5] = "12,5"
    rows[1][5] = "7"
    turku_row = [str(rounds.indicators[2].pk), "", "", "2023-Q3", "Turku", "3", ""]
    text = "\n".join(";".join(row) for row in [lines[0].split(";"), *rows])

    with_turku = upload(client, csv_file(text + "\n" + ";".join(turku_row) + "\n"))
    confirmed = preview_and_confirm(client, csv_file(text + "\n"))

    assert with_turku.status_code == 400
    assert "Turku" in error_rows(with_turku.content.decode())[str(len(rows) + 2)]
    assert confirmed.status_code == 302
    saved = Observation.objects.filter(city=rounds.tampere, period=Q3_2023)
    assert sorted(saved.values_list("value", flat=True)) == [
        Decimal("7"),
        Decimal("12.5"),
    ]
    assert {observation.entered_by for observation in saved} == {user}
