"""Every string the interface can show has its Finnish and Swedish translation.

The catalogues are written by hand, so a string added to the code or a template
without its entry, or one whose context changed, would show in English. Extracting
the strings afresh from a copy of the sources, as `makemessages` does, and merging
them into copies of the catalogues finds both: a new string comes out untranslated,
a changed one fuzzy.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("fi", "sv")
NOT_SOURCES = {".git", ".venv", "node_modules", "var", "static", "docs", "bench"}

_ENTRY = re.compile(
    r'^(?:msgctxt "(?P<context>.*)"\n)?'
    r'msgid (?P<id>(?:".*"\n)+)'
    r'msgstr (?P<str>(?:".*"\n?)+)',
    re.MULTILINE,
)


def _strings(text: str) -> str:
    return "".join(re.findall(r'"(.*)"', text))


def _needing_work(catalogue: str) -> list[str]:
    """The entries that are fuzzy or have no translation, header excluded."""
    found = []
    for block in catalogue.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        entry = _ENTRY.search(block.strip() + "\n")
        if entry is None or not _strings(entry["id"]):
            continue
        label = _strings(entry["id"])
        if entry["context"]:
            label = f"{entry['context']} | {label}"
        if "#, fuzzy" in block:
            found.append(f"fuzzy: {label}")
        elif not _strings(entry["str"]):
            found.append(f"untranslated: {label}")
    return found


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext's xgettext is not installed")
    copy = tmp_path_factory.mktemp("sources") / "allianssi"
    shutil.copytree(
        ROOT,
        copy,
        ignore=lambda folder, names: [
            name
            for name in names
            if (Path(folder) == ROOT and name in NOT_SOURCES)
            or name == "__pycache__"
            or name.endswith(".mo")
        ],
    )
    arguments = ["makemessages", "--no-obsolete", "--no-location"]
    arguments += [f"--locale={language}" for language in LANGUAGES]
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=copy,
        env={**os.environ, "DEBUG": "1"},
        check=True,
        capture_output=True,
    )
    return {
        language: (copy / "locale" / language / "LC_MESSAGES" / "django.po").read_text()
        for language in LANGUAGES
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_interface_string_is_translated(extracted, language):
    assert _needing_work(extracted[language]) == []


def test_the_check_finds_a_missing_and_a_fuzzy_translation():
    catalogue = (
        'msgid ""\nmsgstr ""\n"Language: fi\\n"\n\n'
        'msgid "Issuer"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgctxt "proposal document"\nmsgid "Members"\nmsgstr "Jäsenet"\n\n'
        'msgid "Secretariat"\nmsgstr "Sihteeristö"\n\n'
        '#~ msgid "Old"\n#~ msgstr ""\n'
    )
    assert _needing_work(catalogue) == [
        "untranslated: Issuer",
        "fuzzy: proposal document | Members",
    ]
