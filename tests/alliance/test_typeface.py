"""The interface's typeface is served by the app itself, never from elsewhere."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_pages_load_source_sans_3_from_the_app(client):
    page = client.get("/login/").content.decode()
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert any("vendor/source-sans-3/400.css" in href for href in stylesheets)
    assert all(href.startswith("/static/") for href in stylesheets)


def test_the_font_files_the_stylesheet_names_are_there():
    stylesheet = finders.find("vendor/source-sans-3/400.css")
    assert stylesheet, "npm ci installs @fontsource/source-sans-3"
    with open(stylesheet, encoding="utf-8") as file:
        names = re.findall(r"url\(\./(files/[^)]+)\)", file.read())
    latin = [name for name in names if "-latin-400-normal.woff2" in name]
    assert latin
    assert finders.find(f"vendor/source-sans-3/{latin[0]}")
