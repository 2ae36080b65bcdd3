"""The chair's proposal as a Word file, rendered from a version's snapshot only.

The snapshot (schema 1, see `secretariat.proposal_snapshot`) holds everything the
document prints, already formatted; nothing here reads the database. The layout
follows the PDF: a cover, the summaries, the table of contents, the chapters in the
staff's order with the live model after the task chapters, and two annexes.
"""

from django.utils import translation
from django.utils.translation import gettext, pgettext
from docx.shared import Cm, Pt

from alliance import charts, wordfile

OPERATING_MODEL = "operating_model"
SCHEDULE = "schedule"
MONITORING = "monitoring"

_CONTEXT = "proposal document"


def proposal_docx(snapshot: dict) -> bytes:
    """Return the proposal of `snapshot` as the bytes of a .docx file."""
    language = snapshot.get("language") or "fi"
    with translation.override(language):
        document = wordfile.document_new(language=language)
        header = snapshot["header"]
        wordfile.header_set(
            document,
            organisation=header["organisation"],
            document_type=header["document_type"],
            date=header["date"],
            diary_number=header["diary_number"],
            draft=bool(snapshot["version"].get("draft")),
        )
        _cover(document, snapshot)
        _summaries(document, snapshot)
        contents = wordfile.paragraph_add(
            document, pgettext(_CONTEXT, "Contents"), style="TOC Heading"
        )
        contents.paragraph_format.page_break_before = bool(
            (snapshot.get("summary") or "").strip()
            or (snapshot.get("summary_sv") or "").strip()
        )
        wordfile.toc_add(
            document, placeholder=pgettext(_CONTEXT, "Update the table of contents…")
        )
        for section in snapshot["sections"]:
            _chapter(document, section, snapshot)
        _annexes(document, snapshot)
        return wordfile.document_bytes(document)


def _cover(document, snapshot: dict) -> None:
    cover = snapshot["cover"]
    version = snapshot["version"]
    for _ in range(4):
        document.add_paragraph()
    wordfile.paragraph_add(document, cover["title"], style="Title")
    wordfile.paragraph_add(document, cover["issuer"], bold=True)
    if cover.get("body") and cover["body"] != cover["issuer"]:
        wordfile.paragraph_add(document, cover["body"])
    wordfile.paragraph_add(
        document,
        pgettext(_CONTEXT, "Appointment decision %(reference)s of %(date)s")
        % {
            "reference": cover["appointment_reference"],
            "date": cover["appointment_date"],
        },
    )
    if version.get("draft"):
        label = gettext("DRAFT")
    else:
        label = gettext("Version %(number)s") % {"number": version["number"]}
    paragraph = wordfile.paragraph_add(document, label, bold=True)
    wordfile.run_add(paragraph, f" {version['date']}")
    wordfile.page_break_add(document)


def _summaries(document, snapshot: dict) -> None:
    for key, label in (
        ("summary", pgettext(_CONTEXT, "Summary")),
        ("summary_sv", pgettext(_CONTEXT, "Summary in Swedish")),
    ):
        text = snapshot.get(key) or ""
        if not text.strip():
            continue
        # Before the contents, and not in them: the style is outside the outline.
        wordfile.paragraph_add(document, label, style="TOC Heading")
        wordfile.add_markdown(document, text, section_level=1)


def _chapter(document, section: dict, snapshot: dict) -> None:
    number = section["number"]
    heading = wordfile.heading_add(document, f"{number} {section['title']}", 1)
    heading.paragraph_format.page_break_before = True
    wordfile.add_markdown(document, section.get("body") or "", section_level=1)
    kind = section.get("kind")
    if kind == OPERATING_MODEL:
        _themes(document, number, snapshot.get("themes") or [])
    elif kind == SCHEDULE:
        _schedule(document, snapshot)
    elif kind == MONITORING:
        _indicators(document, number, snapshot)


def _themes(document, chapter: int, themes: list[dict]) -> None:
    for index, theme in enumerate(themes, start=1):
        wordfile.heading_add(document, f"{chapter}.{index} {theme['title']}", 2)
        _text(document, theme.get("description"))
        _labelled(document, gettext("Goals"), theme.get("goals"))
        _labelled(document, gettext("Lead organisation"), theme.get("lead"))
        _labelled(document, gettext("Status"), theme.get("status"))
        for number, measure in enumerate(theme.get("measures") or [], start=1):
            wordfile.heading_add(
                document, f"{chapter}.{index}.{number} {measure['title']}", 3
            )
            _text(document, measure.get("description"))
            _labelled(document, gettext("Lead organisation"), measure.get("lead"))
            _labelled(
                document,
                pgettext(_CONTEXT, "Participating organisations"),
                ", ".join(measure.get("participants") or []) or "–",
            )
            _labelled(document, gettext("Schedule"), measure.get("schedule"))
            _labelled(document, gettext("Status"), measure.get("status"))


def _schedule(document, snapshot: dict) -> None:
    milestones = snapshot.get("milestones") or []
    if milestones:
        wordfile.table_add(
            document,
            [
                pgettext(_CONTEXT, "Quarter"),
                gettext("Milestone"),
                gettext("Kind"),
                gettext("Theme or measure"),
                gettext("Due date"),
            ],
            (
                [
                    row["quarter"],
                    row["title"],
                    row["kind"],
                    row["belongs_to"],
                    row["due_date"],
                ]
                for row in milestones
            ),
            widths=[Cm(2.2), Cm(5.0), Cm(2.6), Cm(4.2), Cm(2.5)],
            font_size=Pt(9),
        )
    else:
        wordfile.paragraph_add(document, pgettext(_CONTEXT, "No milestones."))
    _timeline(document, snapshot.get("timeline") or [])


def _timeline(document, rows: list[dict]) -> None:
    """Add the timeline figure: the chart module's PNG (Word cannot embed SVG)."""
    if not rows:
        return
    chart = charts.timeline_chart(rows)
    picture = wordfile.picture_add(document, chart.png(), description=chart.description)
    picture.paragraph_format.keep_with_next = True
    wordfile.paragraph_add(document, chart.title, style="Caption")


def _indicators(document, chapter: int, snapshot: dict) -> None:
    indicators = snapshot.get("indicators") or []
    if not indicators:
        wordfile.paragraph_add(document, pgettext(_CONTEXT, "No indicators."))
        return
    by_theme: dict[str, list[dict]] = {}
    for indicator in indicators:
        by_theme.setdefault(indicator.get("theme") or "", []).append(indicator)
    header = [
        gettext("Indicator"),
        gettext("Unit"),
        gettext("Baseline"),
        gettext("Target"),
        gettext("Data source"),
        gettext("Frequency"),
    ]
    for index, (theme, rows) in enumerate(by_theme.items(), start=1):
        title = theme or gettext("Theme")
        wordfile.heading_add(document, f"{chapter}.{index} {title}", 2)
        wordfile.table_add(
            document,
            header,
            (
                [
                    row["name"],
                    row["unit"],
                    row["baseline"],
                    row["target"],
                    row["data_source"],
                    row["frequency"],
                ]
                for row in rows
            ),
            widths=[Cm(3.8), Cm(1.6), Cm(2.8), Cm(2.8), Cm(2.8), Cm(2.7)],
            font_size=Pt(9),
        )


def _annexes(document, snapshot: dict) -> None:
    annex = pgettext(_CONTEXT, "Annex %(number)s %(title)s")
    members = snapshot.get("members") or {}
    heading = wordfile.heading_add(
        document,
        annex
        % {"number": 1, "title": pgettext(_CONTEXT, "Members of the secretariat")},
        1,
    )
    heading.paragraph_format.page_break_before = True
    wordfile.table_add(
        document,
        [
            gettext("Name"),
            pgettext("person", "Title"),
            gettext("Organisation"),
            gettext("Role"),
            pgettext(_CONTEXT, "Deputy for"),
        ],
        (
            [
                row["name"],
                row["title"],
                row["organisation"],
                row["role"],
                row.get("deputy_of") or "",
            ]
            for row in members.get("rows") or []
        ),
        widths=[Cm(3.6), Cm(3.6), Cm(4.0), Cm(2.6), Cm(2.7)],
        font_size=Pt(9),
    )
    _text(document, members.get("gender_statement"))

    appointment = snapshot.get("appointment") or {}
    heading = wordfile.heading_add(
        document,
        annex
        % {
            "number": 2,
            "title": pgettext(_CONTEXT, "Summary of the appointment decision"),
        },
        1,
    )
    heading.paragraph_format.page_break_before = True
    wordfile.paragraph_add(document, appointment.get("title") or "", bold=True)
    wordfile.heading_add(document, gettext("Tasks"), 2)
    for task in appointment.get("tasks") or []:
        paragraph = wordfile.paragraph_add(
            document, f"{task['number']}. {task['text']}"
        )
        paragraph.paragraph_format.left_indent = Cm(0.75)
        paragraph.paragraph_format.first_line_indent = Cm(-0.75)
    wordfile.heading_add(document, gettext("Term"), 2)
    _text(document, appointment.get("term"))
    wordfile.heading_add(document, gettext("Costs"), 2)
    _text(document, appointment.get("costs"))
    wordfile.heading_add(document, gettext("Signatories"), 2)
    for signatory in appointment.get("signatories") or []:
        paragraph = wordfile.paragraph_add(document, signatory["name"], bold=True)
        paragraph.add_run().add_break()
        wordfile.run_add(paragraph, signatory["title"])


def _text(document, text: str | None) -> None:
    """Add plain text (not Markdown), a paragraph for each block between blank lines."""
    for block in (text or "").replace("\r\n", "\n").split("\n\n"):
        block = block.strip()
        if not block:
            continue
        paragraph = document.add_paragraph()
        for number, line in enumerate(block.split("\n")):
            if number:
                paragraph.add_run().add_break()
            wordfile.run_add(paragraph, line)


def _labelled(document, label: str, value: str | None) -> None:
    if not value:
        return
    paragraph = wordfile.paragraph_add(document, f"{label}: ", bold=True)
    paragraph.paragraph_format.space_after = Pt(2)
    wordfile.run_add(paragraph, value)
