"""What changed between two snapshots of the chair's proposal.

`snapshot_changes(old, new)` is pure: it reads two snapshots (the schema of
`secretariat.proposal_snapshot`) and returns the added, removed and changed sections,
themes, measures, milestones, indicators, annex rows and document fields, matched by
their "key" and compared field by field. Long texts carry a word-level difference as
HTML with `<ins>` and `<del>`, every piece of text escaped before it is wrapped.

What a snapshot repeats of another row is not a change of its own: a renamed measure
changes the "belongs to" of its milestones, and a renamed theme the "theme" of its
indicators and measures, in the snapshot only; the comparison reports the rename once.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from secretariat.models import ProposalSection

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
ACTIONS = (CHANGED, ADDED, REMOVED)
ACTION_LABELS = {
    CHANGED: pgettext_lazy("proposal comparison", "Changed"),
    ADDED: pgettext_lazy("proposal comparison", "Added"),
    REMOVED: pgettext_lazy("proposal comparison", "Removed"),
}

DOCUMENT = "document"
SECTION = "section"
THEME = "theme"
MEASURE = "measure"
MILESTONE = "milestone"
INDICATOR = "indicator"
MEMBER = "member"
APPOINTMENT = "appointment"

KIND_LABELS = {
    DOCUMENT: _("Title and summary"),
    SECTION: pgettext_lazy("proposal comparison", "Sections"),
    THEME: _("Themes"),
    MEASURE: _("Measures"),
    MILESTONE: _("Milestones"),
    INDICATOR: _("Indicators"),
    MEMBER: _("Annex 1: members of the secretariat"),
    APPOINTMENT: _("Annex 2: the appointment decision"),
}


@dataclass(frozen=True)
class Field:
    """A compared field: its name in the snapshot, its label, and whether it is long."""

    name: str
    label: Promise | str
    long: bool = False
    choices: dict | None = None

    def display(self, value) -> str:
        text = _text(value)
        if self.choices and text in self.choices:
            return str(self.choices[text])
        return text


# The title of a text or an object, not a person's ("Nimike").
HEADING = pgettext_lazy("proposal comparison", "Title")

# The fields compared for each kind, in the order the page shows them. A field of the
# snapshot that is not named here is still compared, under its own name.
FIELDS = {
    DOCUMENT: (
        Field("title", HEADING),
        Field("summary", pgettext_lazy("proposal comparison", "Summary"), long=True),
        Field(
            "summary_sv",
            pgettext_lazy("proposal comparison", "Summary in Swedish"),
            long=True,
        ),
        Field("issuer", pgettext_lazy("proposal comparison", "Issuer")),
        Field("appointment_reference", _("Diary number")),
        Field("appointment_date", _("Date of decision")),
        Field("body", _("Body")),
        Field("organisation", _("Organisation")),
        Field("document_type", pgettext_lazy("proposal comparison", "Document type")),
    ),
    SECTION: (
        Field("title", HEADING),
        Field("number", pgettext_lazy("proposal comparison", "Number")),
        Field("kind", _("Kind"), choices=dict(ProposalSection.Kind.choices)),
        Field("body", pgettext_lazy("proposal comparison", "Text"), long=True),
    ),
    THEME: (
        Field("title", HEADING),
        Field("description", _("Description"), long=True),
        Field("goals", _("Goals"), long=True),
        Field("lead", _("Lead organisation")),
        Field("status", _("Status")),
    ),
    MEASURE: (
        Field("title", HEADING),
        Field("theme", _("Theme")),
        Field("description", _("Description"), long=True),
        Field("lead", _("Lead organisation")),
        Field(
            "participants",
            pgettext_lazy("proposal comparison", "Participating organisations"),
        ),
        Field("schedule", _("Schedule")),
        Field("status", _("Status")),
    ),
    MILESTONE: (
        Field("title", HEADING),
        Field("kind", _("Kind")),
        Field("belongs_to", _("Theme or measure")),
        Field("quarter", pgettext_lazy("proposal comparison", "Quarter")),
        Field("due_date", _("Due date")),
        Field("done_on", pgettext_lazy("proposal comparison", "Done on")),
    ),
    INDICATOR: (
        Field("name", _("Name")),
        Field("theme", _("Theme")),
        Field("unit", _("Unit")),
        Field("baseline", _("Baseline")),
        Field("target", _("Target")),
        Field("data_source", _("Data source")),
        Field("frequency", _("Frequency")),
    ),
    MEMBER: (
        Field("name", _("Name")),
        Field("title", pgettext_lazy("person", "Title")),
        Field("organisation", _("Organisation")),
        Field("role", _("Role")),
        Field("deputy_of", pgettext_lazy("proposal comparison", "Deputy of")),
        Field("gender_statement", _("Statement on gender balance"), long=True),
    ),
    APPOINTMENT: (
        Field("title", HEADING),
        Field("tasks", _("Tasks"), long=True),
        Field("term", _("Term")),
        Field("costs", _("Costs"), long=True),
        Field("signatories", _("Signatories")),
    ),
}

# Snapshot fields that are not content: the ids, and what only repeats the parent.
IGNORED_FIELDS = {"key", "measures", "theme_key"}

# A text this long on both sides is compared word by word only when its changed
# middle is shorter than this many tokens; beyond it the change is shown whole.
WORD_DIFF_LIMIT = 60_000
# Up to this many tokens a changed block is matched exactly (autojunk off); a
# longer one lets SequenceMatcher ignore very frequent words when it looks for
# anchors, which keeps it near-linear.
EXACT_MATCH_LIMIT = 4_000

TOKENS = re.compile(r"\s+|[^\s]+")
TRAILING_SPACE = re.compile(r"\s*$")
SPACED_WORDS = re.compile(r"^\s+|\S+\s*")
# A line with the blank lines after it, so that paragraphs are matched, not gaps.
LINES = re.compile(r"[^\n]*\n+|[^\n]+")


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: Promise | str
    old: str
    new: str
    diff: SafeString | None = None

    @property
    def is_long(self) -> bool:
        return self.diff is not None


@dataclass(frozen=True)
class Change:
    kind: str
    action: str
    key: str
    title: str
    fields: tuple[FieldChange, ...] = ()
    url: str = ""

    @property
    def action_label(self) -> Promise:
        return ACTION_LABELS[self.action]

    @property
    def old_title(self) -> str:
        return next(
            (change.old for change in self.fields if change.field == "title"),
            self.title,
        )


@dataclass(frozen=True)
class Group:
    kind: str
    label: Promise | str
    changes: tuple[Change, ...]

    @property
    def counts(self) -> list[tuple[str, int]]:
        """The number of changes by action, as ("changed", 2), ("added", 1)."""
        counted = [
            (action, sum(change.action == action for change in self.changes))
            for action in ACTIONS
        ]
        return [(action, number) for action, number in counted if number]


@dataclass(frozen=True)
class Comparison:
    changes: tuple[Change, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    @property
    def groups(self) -> list[Group]:
        """The changes by kind, in the order of the document."""
        return [
            Group(kind, label, changes)
            for kind, label in KIND_LABELS.items()
            if (changes := tuple(c for c in self.changes if c.kind == kind))
        ]

    def of_kind(self, kind: str) -> list[Change]:
        return [change for change in self.changes if change.kind == kind]

    def linked(self, links: dict[str, str]) -> "Comparison":
        """The same changes, each with the address of its live object if any."""
        return Comparison(
            tuple(
                replace(change, url=links.get(change.key, ""))
                for change in self.changes
            )
        )


def snapshot_changes(old: dict, new: dict) -> Comparison:
    """Return what changed from snapshot `old` to `new` (their versions ignored)."""
    old, new = old or {}, new or {}
    renames = _renamed_titles(old, new)
    changes = [
        *_document_changes(old, new),
        *_keyed_changes(
            SECTION,
            _keyed(old.get("sections")),
            _keyed(new.get("sections")),
            title_field="title",
            ordered_by="number",
        ),
        *_keyed_changes(
            THEME, _keyed(old.get("themes")), _keyed(new.get("themes")), "title"
        ),
        *_keyed_changes(
            MEASURE,
            _measures(old),
            _measures(new),
            "title",
            repeated=_same_theme,
        ),
        *_keyed_changes(
            MILESTONE,
            _keyed(old.get("milestones")),
            _keyed(new.get("milestones")),
            "title",
            repeated=_renamed(renames, "belongs_to"),
        ),
        *_keyed_changes(
            INDICATOR,
            _keyed(old.get("indicators")),
            _keyed(new.get("indicators")),
            "name",
            repeated=_renamed(renames, "theme"),
        ),
        *_member_changes(old, new),
        *_appointment_changes(old, new),
    ]
    return Comparison(tuple(changes))


def word_diff(old: str, new: str) -> SafeString:
    """Return `new` as HTML with the words deleted from `old` and inserted in it marked.

    Tokens are words and the whitespace between them, so that line breaks survive;
    each piece is escaped before it is wrapped in `<ins>` or `<del>`. Lines are
    matched first and words only within the lines that differ, after the common
    start and end are set aside, so that a few edits in a long text stay cheap.
    """
    old, new = old or "", new or ""
    start, old_middle, new_middle, end = _common_ends(old, new)
    pieces = [escape(start)]
    old_lines, new_lines = LINES.findall(old_middle), LINES.findall(new_middle)
    # Lines repeated very often (a table's rule) anchor nothing: near-linear.
    lines = SequenceMatcher(None, old_lines, new_lines, autojunk=True)
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        old_part = "".join(old_lines[i1:i2])
        new_part = "".join(new_lines[j1:j2])
        if tag == "equal":
            pieces.append(escape(old_part))
        elif tag == "replace" and i2 - i1 == j2 - j1:
            # As many lines on both sides: each paragraph edited in its place.
            for old_line, new_line in zip(
                old_lines[i1:i2], new_lines[j1:j2], strict=True
            ):
                pieces.extend(_words(old_line, new_line))
        else:
            pieces.extend(_words(old_part, new_part))
    pieces.append(escape(end))
    return mark_safe("".join(pieces))  # every piece escaped above


# Comparing the parts.


def _document_changes(old: dict, new: dict) -> list[Change]:
    def values(snapshot):
        cover = snapshot.get("cover") or {}
        header = snapshot.get("header") or {}
        return {
            "title": cover.get("title"),
            "summary": snapshot.get("summary"),
            "summary_sv": snapshot.get("summary_sv"),
            "issuer": cover.get("issuer"),
            "appointment_reference": cover.get("appointment_reference"),
            "appointment_date": cover.get("appointment_date"),
            "body": cover.get("body"),
            "organisation": header.get("organisation"),
            "document_type": header.get("document_type"),
        }

    old_values, new_values = values(old), values(new)
    fields = _field_changes(DOCUMENT, old_values, new_values)
    if not fields:
        return []
    title = _text(new_values["title"]) or _text(old_values["title"])
    return [Change(DOCUMENT, CHANGED, DOCUMENT, title, tuple(fields))]


def _keyed_changes(
    kind: str,
    old: dict[str, dict],
    new: dict[str, dict],
    title_field: str,
    *,
    ordered_by: str | None = None,
    repeated=None,
) -> list[Change]:
    """Added, removed and changed rows of one kind, in the new order then removed.

    `repeated(change, old_row, new_row)` tells a field that only repeats another
    row's change, which is not reported again; `ordered_by` names the field of the
    position, reported only for the rows that moved among the others.
    """
    moved = _moved(list(old), list(new)) if ordered_by else set()
    changes = []
    for key, row in new.items():
        if key not in old:
            changes.append(
                Change(
                    kind,
                    ADDED,
                    key,
                    _text(row.get(title_field)),
                    tuple(_field_changes(kind, {}, row)),
                )
            )
            continue
        if old[key] == row:
            # Most rows are kept as they were, and an equal row prints the same.
            continue
        fields = [
            change
            for change in _field_changes(kind, old[key], row)
            if not (repeated and repeated(change, old[key], row))
            and (change.field != ordered_by or key in moved)
        ]
        if fields:
            changes.append(
                Change(kind, CHANGED, key, _text(row.get(title_field)), tuple(fields))
            )
    for key, row in old.items():
        if key not in new:
            changes.append(
                Change(
                    kind,
                    REMOVED,
                    key,
                    _text(row.get(title_field)),
                    tuple(_field_changes(kind, row, {})),
                )
            )
    return changes


def _member_changes(old: dict, new: dict) -> list[Change]:
    """The members' rows, matched by name (a person sits once), and the §4 a text."""
    old_members = old.get("members") or {}
    new_members = new.get("members") or {}
    changes = _keyed_changes(
        MEMBER,
        _keyed(old_members.get("rows"), by="name"),
        _keyed(new_members.get("rows"), by="name"),
        "name",
    )
    fields = _field_changes(
        MEMBER,
        {"gender_statement": old_members.get("gender_statement")},
        {"gender_statement": new_members.get("gender_statement")},
    )
    if fields:
        changes.append(
            Change(
                MEMBER,
                CHANGED,
                "members-gender-statement",
                str(_("Statement on gender balance")),
                tuple(fields),
            )
        )
    return changes


def _appointment_changes(old: dict, new: dict) -> list[Change]:
    def values(snapshot):
        appointment = snapshot.get("appointment") or {}
        return {
            "title": appointment.get("title"),
            "tasks": "\n".join(
                f"{_text(task.get('number'))}. {_text(task.get('text'))}"
                for task in _rows(appointment.get("tasks"))
            ),
            "term": appointment.get("term"),
            "costs": appointment.get("costs"),
            "signatories": [
                ", ".join(
                    filter(None, (_text(row.get("name")), _text(row.get("title"))))
                )
                for row in _rows(appointment.get("signatories"))
            ],
        }

    old_values, new_values = values(old), values(new)
    fields = _field_changes(APPOINTMENT, old_values, new_values)
    if not fields:
        return []
    title = _text(new_values["title"]) or _text(old_values["title"])
    return [Change(APPOINTMENT, CHANGED, APPOINTMENT, title, tuple(fields))]


def _field_changes(kind: str, old: dict, new: dict) -> list[FieldChange]:
    """The fields whose printed value differs, known ones first in their order."""
    known = FIELDS[kind]
    names = {declared.name for declared in known}
    others = [
        Field(name, name)
        for name in sorted({*old, *new} - names - IGNORED_FIELDS)
        if isinstance(name, str)
    ]
    changes = []
    for declared in (*known, *others):
        old_value = declared.display(old.get(declared.name))
        new_value = declared.display(new.get(declared.name))
        if old_value == new_value:
            continue
        diff = None
        if declared.long and old_value and new_value:
            diff = word_diff(old_value, new_value)
        changes.append(
            FieldChange(declared.name, declared.label, old_value, new_value, diff)
        )
    return changes


# Reading the snapshots.


def _rows(value) -> list[dict]:
    if not isinstance(value, list):
        return []
    return [row for row in value if isinstance(row, dict)]


def _keyed(rows, *, by: str = "key") -> dict[str, dict]:
    """Rows by their key, in their order; a row without one keeps its position."""
    keyed = {}
    for position, row in enumerate(_rows(rows), start=1):
        key = _text(row.get(by)) or f"#{position}"
        keyed.setdefault(key, row)
    return keyed


def _measures(snapshot: dict) -> dict[str, dict]:
    """Every theme's measures, each with its theme's title and key (where it sits)."""
    measures = {}
    for theme_key, theme in _keyed(snapshot.get("themes")).items():
        for key, measure in _keyed(theme.get("measures")).items():
            measures.setdefault(
                key, {**measure, "theme": theme.get("title"), "theme_key": theme_key}
            )
    return measures


def _renamed_titles(old: dict, new: dict) -> set[tuple[str, str]]:
    """(old title, new title) of each theme and measure kept under another title."""
    pairs = set()
    for old_rows, new_rows in (
        (_keyed(old.get("themes")), _keyed(new.get("themes"))),
        (_measures(old), _measures(new)),
    ):
        for key, row in new_rows.items():
            if key in old_rows:
                before, after = (
                    _text(old_rows[key].get("title")),
                    _text(row.get("title")),
                )
                if before != after:
                    pairs.add((before, after))
    return pairs


def _same_theme(change: FieldChange, old_row: dict, new_row: dict) -> bool:
    """A measure's theme title changed but it sits in the same theme: a rename."""
    return change.field == "theme" and old_row["theme_key"] == new_row["theme_key"]


def _renamed(renames: set[tuple[str, str]], name: str):
    def repeated(change: FieldChange, old_row: dict, new_row: dict) -> bool:
        return change.field == name and (change.old, change.new) in renames

    return repeated


def _moved(old_keys: list[str], new_keys: list[str]) -> set[str]:
    """The keys that moved among the kept ones (not those merely renumbered).

    The longest run of kept keys in the same order stays; the others moved.
    """
    kept = set(old_keys) & set(new_keys)
    before = [key for key in old_keys if key in kept]
    after = [key for key in new_keys if key in kept]
    stayed = set()
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for block in matcher.get_matching_blocks():
        stayed.update(before[block.a : block.a + block.size])
    return kept - stayed


def _text(value) -> str:
    """The value as the document prints it: a list as its items, one per line."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(_text(item) for item in value.values())
    return str(value)


# The word difference.


def _common_ends(old: str, new: str) -> tuple[str, str, str, str]:
    """Split off the longest common start and end, at whole tokens."""
    old_tokens, new_tokens = TOKENS.findall(old), TOKENS.findall(new)
    limit = min(len(old_tokens), len(new_tokens))
    start = 0
    while start < limit and old_tokens[start] == new_tokens[start]:
        start += 1
    end = 0
    while end < limit - start and old_tokens[-1 - end] == new_tokens[-1 - end]:
        end += 1
    return (
        "".join(old_tokens[:start]),
        "".join(old_tokens[start : len(old_tokens) - end]),
        "".join(new_tokens[start : len(new_tokens) - end]),
        "".join(old_tokens[len(old_tokens) - end :]),
    )


def _words(old: str, new: str) -> Iterable[str]:
    old_tokens, new_tokens = TOKENS.findall(old), TOKENS.findall(new)
    if max(len(old_tokens), len(new_tokens)) > WORD_DIFF_LIMIT:
        yield from _wrapped(old, new)
        return
    if max(len(old_tokens), len(new_tokens)) > EXACT_MATCH_LIMIT:
        # Words with their spaces, so that the frequent words SequenceMatcher
        # sets aside leave runs of the others to anchor on; a space alone would
        # be the most frequent token and cut every run to one word.
        old_tokens, new_tokens = SPACED_WORDS.findall(old), SPACED_WORDS.findall(new)
        matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=True)
    else:
        matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    opcodes = matcher.get_opcodes()
    deleted, inserted = [], []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        old_part = "".join(old_tokens[i1:i2])
        new_part = "".join(new_tokens[j1:j2])
        if tag != "equal":
            deleted.append(old_part)
            inserted.append(new_part)
        elif old_part.isspace() and deleted and index + 1 < len(opcodes):
            # A space kept between two changed words: one change, not two.
            deleted.append(old_part)
            inserted.append(new_part)
        else:
            yield from _wrapped("".join(deleted), "".join(inserted))
            deleted, inserted = [], []
            yield escape(old_part)
    yield from _wrapped("".join(deleted), "".join(inserted))


def _wrapped(old: str, new: str) -> Iterable[str]:
    """Deleted then inserted text, escaped; whitespace alone is not marked, and
    the spaces around an insertion stay outside its mark."""
    space = TRAILING_SPACE.search(new).group()
    if space and old.endswith(space) and old.strip() and new.strip():
        yield from _wrapped(old[: -len(space)], new[: -len(space)])
        yield escape(space)
        return
    if old.strip():
        yield f"<del>{escape(old)}</del>"
    if not new.strip():
        yield escape(new)
        return
    if old.strip():
        yield f"<ins>{escape(new)}</ins>"
        return
    core = new.strip()
    start = new.index(core)
    yield escape(new[:start])
    yield f"<ins>{escape(core)}</ins>"
    yield escape(new[start + len(core) :])
