"""The catalogues speak the glossary's one vocabulary.

`docs/glossary.md` names each thing once in Finnish, Swedish and English. The
catalogues are read as text, not through the compiled `.mo` files, so a retired word
is caught in the source a translator edits.
"""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format, time_format

ROOT = Path(settings.BASE_DIR)
GLOSSARY = ROOT / "docs" / "glossary.md"

# Words the glossary retires, in every inflected form (matched as word beginnings).
RETIRED = {
    "fi": ["virstanpylv", "vetäjäorganisaat", "vastuutah"],
    "sv": ["milstolp", "ledande organisation"],
}
# "ajallaan" stays for "done on time"; it is retired only for an indicator on track.
ON_TRACK = re.compile(r"on[ -]track", re.IGNORECASE)


def _catalogue(language):
    """Every entry of a catalogue as {(context, msgid): msgstr}, plural forms joined."""
    entries, entry, field = {}, {}, None
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        keyword = re.match(
            r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line
        )
        if keyword:
            field = keyword.group(1).split("[")[0]
            if field in ("msgctxt", "msgid") and "msgstr" in entry:
                entries[entry.get("msgctxt"), entry["msgid"]] = entry["msgstr"]
                entry = {}
            joiner = " " if field == "msgstr" and entry.get(field) else ""
            entry[field] = (
                entry.get(field, "") + joiner + ast.literal_eval(keyword.group(2))
            )
        elif line.startswith('"') and field:
            entry[field] += ast.literal_eval(line)
        elif not line.strip() and "msgstr" in entry:
            entries[entry.get("msgctxt"), entry["msgid"]] = entry["msgstr"]
            entry, field = {}, None
    return entries


def _glossary_terms():
    """(Finnish, Swedish, English) of each term row, qualifiers in brackets dropped.

    A row whose English is qualified ("title (of a text)") names one meaning of an
    ambiguous source word; the source gives that meaning a context of its own.
    """
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("suomi", "what") or set(cells[0]) <= {"-"}:
            continue
        if not re.search(r"[a-zåäö]", cells[0]) or cells[0][0].isdigit():
            continue
        fi, sv, en = (
            re.sub(r"\s*\([^)]*\)\s*", " ", cell).strip() for cell in cells[:3]
        )
        rows.append((fi, sv, en, "(" in cells[2]))
    return rows


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_no_retired_word_comes_back(language):
    found = [
        (msgid, msgstr)
        for (_context, msgid), msgstr in _catalogue(language).items()
        for word in RETIRED[language]
        if re.search(r"\b" + word, msgstr, re.IGNORECASE)
    ]
    assert found == []


def test_on_track_is_aikataulussa_in_finnish():
    on_track = {
        msgid: msgstr
        for (_context, msgid), msgstr in _catalogue("fi").items()
        if ON_TRACK.search(msgid)
    }
    assert on_track
    assert {
        msgid for msgid, msgstr in on_track.items() if "ajallaan" in msgstr
    } == set()
    assert _catalogue("fi")[None, "On track"] == "Aikataulussa"


def test_the_glossary_lists_the_decision_s_own_words():
    finnish = {fi for fi, _sv, _en, _qualified in _glossary_terms()}
    for word in (
        "sihteeristö",
        "yhteistyöryhmä",
        "toimenpide",
        "välitavoite",
        "esityslista",
        "pöytäkirja",
        "diaarinumero",
        "vastuuorganisaatio",
        "vastuuhenkilö",
    ):
        assert word in finnish


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_glossary_term_is_translated_by_its_glossary_word(language):
    """Where the English term is a source string, its translation uses the term."""
    catalogue = _catalogue(language)
    checked, wrong = 0, []
    for fi, sv, en, qualified in _glossary_terms():
        if qualified:
            continue
        expected = fi if language == "fi" else sv
        for msgid in (en, en[:1].upper() + en[1:]):
            msgstr = catalogue.get((None, msgid))
            if msgstr is None:
                continue
            checked += 1
            if expected.lower() not in msgstr.lower():
                wrong.append((msgid, msgstr, expected))
    assert checked >= 15
    assert wrong == []


@pytest.mark.parametrize(
    ("context", "msgid", "finnish", "swedish"),
    [
        ("person", "title", "nimike", "titel"),
        ("person", "Title", "Nimike", "Titel"),
        ("text", "Title", "Otsikko", "Rubrik"),
        ("meeting", "Number", "Numero", "Nummer"),
    ],
)
def test_an_ambiguous_source_word_is_translated_in_its_context(
    context, msgid, finnish, swedish
):
    assert _catalogue("fi")[context, msgid] == finnish
    assert _catalogue("sv")[context, msgid] == swedish
    assert (context, msgid) in _catalogue("en")
    assert (None, "Title") not in _catalogue("fi")


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("fi", "12.10.2023 klo 9.30"),
        ("sv", "12.10.2023 kl. 9.30"),
        ("en", "12.10.2023 9.30"),
    ],
)
def test_a_time_is_written_as_the_glossary_says(language, shown):
    moment = datetime.datetime(2023, 10, 12, 9, 30)
    with translation.override(language):
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == shown
        assert date_format(moment, "DATETIME_FORMAT") == shown
        assert time_format(moment.time()) == shown.split(" ", 1)[1]
