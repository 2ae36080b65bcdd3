import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_page_rendered_in_swedish(client, world):
    client.force_login(world.users["observer"])
    client.cookies["django_language"] = "sv"

    page = client.get(reverse("members:body_detail", args=[world.secretariat.pk]))

    text = page.content.decode()
    assert '<html lang="sv">' in text
    assert "Medlemmar" in text
    assert "Jämn könsfördelning" in text
    assert "Sekretariatet för samarbetsalliansen" in text  # the body's Swedish name
    assert "1.9.2023" in text


@pytest.mark.parametrize(
    ("language", "heading", "foreign_headings"),
    [("fi", "Teemat", ["Teman", "Themes"]), ("sv", "Teman", ["Teemat", "Themes"])],
)
def test_the_theme_list_in_finnish_and_in_swedish(
    client, world, language, heading, foreign_headings
):
    client.force_login(world.users["observer"])
    client.cookies["django_language"] = language

    text = client.get(reverse("themes:theme_list")).content.decode()

    assert f'<html lang="{language}">' in text
    assert f"<h1>{heading}</h1>" in text
    for foreign in foreign_headings:
        assert f"<h1>{foreign}</h1>" not in text


def test_the_page_in_english(client, world):
    client.force_login(world.users["observer"])
    client.cookies["django_language"] = "en"

    text = client.get(reverse("themes:theme_list")).content.decode()

    assert '<html lang="en">' in text
    assert "<h1>Themes</h1>" in text
    assert "Teemat" not in text


def test_no_language_prefix_in_urls():
    assert reverse("themes:theme_list") == "/themes/"


def test_a_date_range_has_no_spaces_around_its_dash(client, world):
    client.force_login(world.users["observer"])

    text = client.get(
        reverse("themes:measure_detail", args=[world.measure.pk])
    ).content.decode()

    assert "1.9.2023–31.12.2024" in text
    assert "1.9.2023 – 31.12.2024" not in text
