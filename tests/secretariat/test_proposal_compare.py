"""The comparison of two snapshots: exactly what changed, field by field, and the
word difference of long texts, escaped and fast."""

import copy
import html
import random
import re
import time

from hypothesis import given
from hypothesis import strategies as st

from secretariat.models import ProposalSection
from secretariat.proposal_compare import (
    ADDED,
    CHANGED,
    REMOVED,
    snapshot_changes,
    word_diff,
)
from tests.secretariat.proposal_snapshots import HOSTILE_BODY, example_snapshot


def _version_two(snapshot: dict) -> dict:
    """The same content as a later version: another number, date and author."""
    later = copy.deepcopy(snapshot)
    later["version"] = {
        "number": 2,
        "draft": False,
        "date": "5.10.2023",
        "made_by": "Olli Voutilainen",
    }
    later["header"]["date"] = "5.10.2023"
    return later


def _entries(comparison) -> set[tuple[str, str, str]]:
    return {(change.kind, change.action, change.key) for change in comparison.changes}


def _field(change, name):
    (field,) = [field for field in change.fields if field.field == name]
    return field


def _measure(snapshot, key):
    for theme in snapshot["themes"]:
        for measure in theme["measures"]:
            if measure["key"] == key:
                return measure
    raise KeyError(key)


def test_the_same_content_as_another_version_has_no_changes():
    old = example_snapshot()

    comparison = snapshot_changes(old, _version_two(old))

    assert not comparison
    assert comparison.changes == ()
    assert comparison.groups == []


def test_the_comparison_lists_exactly_the_changes_made():
    old = example_snapshot()
    new = _version_two(old)
    # A measure's new title, as the snapshot repeats it for its milestone and
    # in the timeline: one change, not three.
    _measure(new, "measure-1")["title"] = "Kuuden kaupungin osaamiskeskus"
    new["milestones"][0]["belongs_to"] = "Kuuden kaupungin osaamiskeskus"
    new["timeline"][0]["label"] = "Kuuden kaupungin osaamiskeskus"
    new["sections"][1]["body"] = "Teemat valmistellaan *teemaryhmissä* ja verkostoissa."
    new["indicators"].append(
        {
            "key": "indicator-3",
            "theme": "Kestävä kaupunkikehitys",
            "name": "Joukkoliikenteen matkat",
            "unit": "milj.",
            "baseline": "120 (31.12.2022)",
            "target": "150 (31.12.2027)",
            "data_source": "HSL",
            "frequency": "Vuosittain",
        }
    )
    del new["milestones"][1]

    comparison = snapshot_changes(old, new)

    assert _entries(comparison) == {
        ("measure", CHANGED, "measure-1"),
        ("section", CHANGED, "section-2"),
        ("indicator", ADDED, "indicator-3"),
        ("milestone", REMOVED, "milestone-2"),
    }
    assert len(comparison) == 4
    measure = comparison.of_kind("measure")[0]
    assert [field.field for field in measure.fields] == ["title"]
    assert measure.title == "Kuuden kaupungin osaamiskeskus"
    section = comparison.of_kind("section")[0]
    assert [field.field for field in section.fields] == ["body"]
    assert comparison.of_kind("milestone")[0].title == "Väliarviointi"
    assert comparison.of_kind("indicator")[0].title == "Joukkoliikenteen matkat"
    counts = {group.kind: group.counts for group in comparison.groups}
    assert counts == {
        "section": [(CHANGED, 1)],
        "measure": [(CHANGED, 1)],
        "milestone": [(REMOVED, 1)],
        "indicator": [(ADDED, 1)],
    }


def test_short_fields_show_old_and_new_and_long_texts_a_word_difference():
    old = example_snapshot()
    new = _version_two(old)
    measure = _measure(new, "measure-1")
    measure["title"] = "Kuuden kaupungin osaamiskeskus"
    measure["participants"].append("Oulun kaupunki")
    measure["description"] = "Perustetaan yhteinen osaamiskeskus kuuteen kaupunkiin."

    (change,) = snapshot_changes(old, new).changes

    title = _field(change, "title")
    assert (title.old, title.new) == (
        "Yhteinen osaamiskeskus",
        "Kuuden kaupungin osaamiskeskus",
    )
    assert title.diff is None
    assert str(title.label) == "Otsikko"
    participants = _field(change, "participants")
    assert participants.old == "Espoon kaupunki, Opetus- ja kulttuuriministeriö"
    assert participants.new.endswith(", Oulun kaupunki")
    description = _field(change, "description")
    assert description.is_long
    assert description.diff == (
        "Perustetaan <ins>yhteinen</ins> osaamiskeskus kuuteen kaupunkiin."
    )


def test_the_word_difference_marks_deleted_and_inserted_words():
    diff = word_diff(
        "Malli käynnistyy vuoden 2024 alussa.\n\nToinen kappale pysyy.",
        "Malli käynnistyy vuoden 2025 keväällä.\n\nToinen kappale pysyy.",
    )

    assert diff == (
        "Malli käynnistyy vuoden <del>2024 alussa.</del><ins>2025 keväällä.</ins>"
        "\n\nToinen kappale pysyy."
    )


def test_html_typed_into_a_text_is_shown_as_text_in_the_difference():
    old = example_snapshot()
    new = _version_two(old)
    new["sections"][4]["body"] = HOSTILE_BODY
    new["summary"] = old["summary"] + "\n\n<img src=x onerror=alert(1)>"

    comparison = snapshot_changes(old, new)

    section = comparison.of_kind("section")[0]
    diff = _field(section, "body").diff
    assert "<script>" not in diff
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in diff
    assert "&lt;b&gt;lihavoitu&lt;/b&gt;" in diff
    assert set(re.findall(r"</?(\w+)", diff)) <= {"ins", "del"}
    summary = _field(comparison.of_kind("document")[0], "summary").diff
    assert "<img" not in summary
    assert "<ins>&lt;img src=x onerror=alert(1)&gt;</ins>" in summary


def _side(diff: str, keep: str) -> str:
    drop = "del" if keep == "ins" else "ins"
    text = re.sub(rf"<{drop}>.*?</{drop}>", "", diff, flags=re.S)
    return html.unescape(re.sub(rf"</?{keep}>", "", text))


TEXTS = st.lists(
    st.sampled_from(["ja", "malli", "<b>", "&", " ", "\n", "\n\n", "  ", "kaupunki."]),
    max_size=40,
).map("".join)


@given(TEXTS, TEXTS)
def test_the_difference_holds_both_texts(old, new):
    """Without its deletions the difference is the new text; without its insertions,
    the old one less any whitespace that alone was deleted."""
    diff = word_diff(old, new)

    assert _side(diff, "ins") == new
    assert _side(diff, "del").split() == old.split()


def _long_text(words: int, seed: int) -> str:
    generator = random.Random(seed)
    common = ["ja", "on", "kaupunki", "valtio", "yhteistyö", "sekä", "että"]
    rare = [f"sana{number}" for number in range(3000)]
    tokens = []
    for position in range(words):
        pool = common if generator.random() < 0.4 else rare
        tokens.append(generator.choice(pool))
        tokens.append("\n\n" if position % 80 == 79 else " ")
    return "".join(tokens)


def test_two_long_texts_are_compared_quickly():
    old = _long_text(20_000, seed=1)
    words = old.split(" ")
    for position in range(0, len(words), 1_000):
        words[position] = "MUUTETTU"
    new = " ".join(words)
    one_paragraph = old.replace("\n\n", " ")

    started = time.perf_counter()
    diff = word_diff(old, new)
    flat = word_diff(one_paragraph, new.replace("\n\n", " "))
    rewritten = word_diff(old, _long_text(20_500, seed=2))
    elapsed = time.perf_counter() - started

    assert elapsed < 5, elapsed
    assert diff.count("<ins>MUUTETTU</ins>") == len(range(0, len(words), 1_000))
    assert flat.count("<ins>MUUTETTU</ins>") == len(range(0, len(words), 1_000))
    assert _side(diff, "ins") == new
    assert _side(rewritten, "del").split() == old.split()


def test_a_measure_moved_to_another_theme_is_changed_with_its_theme():
    old = example_snapshot()
    new = _version_two(old)
    moved = new["themes"][0]["measures"].pop(1)
    new["themes"][1]["measures"].append(moved)

    (change,) = snapshot_changes(old, new).changes

    assert (change.kind, change.action, change.key) == ("measure", CHANGED, "measure-2")
    theme = _field(change, "theme")
    assert (theme.old, theme.new) == (
        "Työllisyys ja osaaminen",
        "Kestävä kaupunkikehitys",
    )


def test_a_renamed_theme_is_one_change_not_one_per_row_that_names_it():
    old = example_snapshot()
    new = _version_two(old)
    new["themes"][0]["title"] = "Työllisyys, osaaminen ja koulutus"
    new["indicators"][0]["theme"] = "Työllisyys, osaaminen ja koulutus"
    new["milestones"][1]["belongs_to"] = "Työllisyys, osaaminen ja koulutus"

    comparison = snapshot_changes(old, new)

    assert _entries(comparison) == {("theme", CHANGED, "theme-1")}


def test_a_section_added_renumbers_the_others_without_changing_them():
    old = example_snapshot()
    new = _version_two(old)
    new["sections"].insert(
        1,
        {
            "key": "section-9",
            "kind": "own",
            "number": 2,
            "title": "Tausta",
            "body": "Taustaa.",
        },
    )
    for number, section in enumerate(new["sections"], 1):
        section["number"] = number

    comparison = snapshot_changes(old, new)

    assert _entries(comparison) == {("section", ADDED, "section-9")}
    (added,) = comparison.changes
    assert {field.field: field.new for field in added.fields} == {
        "title": "Tausta",
        "number": "2",
        "kind": str(ProposalSection.Kind.OWN.label),
        "body": "Taustaa.",
    }


def test_a_section_moved_reports_its_new_number():
    old = example_snapshot()
    new = _version_two(old)
    own = new["sections"].pop(4)
    new["sections"].insert(0, own)
    for number, section in enumerate(new["sections"], 1):
        section["number"] = number

    comparison = snapshot_changes(old, new)

    assert _entries(comparison) == {("section", CHANGED, "section-5")}
    number = _field(comparison.changes[0], "number")
    assert (number.old, number.new) == ("5", "1")


def test_the_title_summaries_and_annexes_are_compared():
    old = example_snapshot()
    new = _version_two(old)
    new["cover"]["title"] = "Esitys yhteistyömallista"
    new["summary_sv"] = "Sekretariatet föreslår en *allians*."
    new["members"]["rows"][1]["role"] = "Varajäsen"
    new["members"]["rows"].append(
        {
            "name": "Niko Ferm",
            "title": "kehitysjohtaja",
            "organisation": "Espoo",
            "role": "Jäsen",
            "deputy_of": "",
        }
    )
    new["members"]["gender_statement"] = "Vaatimus ei täyty."
    new["appointment"]["tasks"][3]["text"] = "Toimia sihteeristönä."
    new["appointment"]["signatories"].pop()

    comparison = snapshot_changes(old, new)

    assert _entries(comparison) == {
        ("document", CHANGED, "document"),
        ("member", CHANGED, "Olli Voutilainen"),
        ("member", ADDED, "Niko Ferm"),
        ("member", CHANGED, "members-gender-statement"),
        ("appointment", CHANGED, "appointment"),
    }
    document = comparison.of_kind("document")[0]
    assert [field.field for field in document.fields] == ["title", "summary_sv"]
    assert document.title == "Esitys yhteistyömallista"
    appointment = comparison.of_kind("appointment")[0]
    assert [field.field for field in appointment.fields] == ["tasks", "signatories"]
    assert "<del>Toimia yhteistyöryhmän sihteeristönä.</del>" not in (
        _field(appointment, "tasks").diff
    )
    assert (
        "Toimia <del>yhteistyöryhmän </del>sihteeristönä."
        in _field(appointment, "tasks").diff
    )
    assert _field(appointment, "signatories").new == (
        "Anna-Kaisa Ikonen, Kunta- ja alueministeri"
    )


def test_a_snapshot_with_missing_or_odd_parts_is_still_compared():
    old = example_snapshot()
    new = {"schema": 1, "sections": [{"title": "Ilman avainta"}, "ei rivi"]}

    comparison = snapshot_changes(old, new)

    assert ("section", ADDED, "#1") in _entries(comparison)
    assert ("section", REMOVED, "section-1") in _entries(comparison)
    assert snapshot_changes({}, {}).changes == ()
