"""The proposal's snapshot: everything its document shows, as plain JSON.

`snapshot_build` reads the proposal's own text and the live model (themes, measures,
milestones, indicators, the members with the §4 a statement, the appointment) and
returns the dict that both renderers print from (schema in docs of issue 11). Dates
are already formatted as 31.8.2023 and decimals as Finnish text, so a renderer
formats nothing; the ids ("key") let two snapshots be compared.
A final version freezes this dict; `snapshot_content` drops what differs between two
versions of the same content (the "version" block: number, date, author; and the
header's date).
"""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import Membership
from members.selectors import equality_check, memberships_active_on
from monitoring.models import Indicator
from secretariat.models import ModelProposal
from themes.models import Measure, Milestone, Theme

SCHEMA = 1
DOCUMENT_TYPE = {"fi": "ESITYS", "sv": "FÖRSLAG", "en": "PROPOSAL"}
# The thousands separator of Finnish text: a no-break space keeps a number whole.
THOUSANDS = "\u00a0"


def day_text(value: date | None) -> str:
    """31.8.2023, as Finnish government documents write a date in every language."""
    if value is None:
        return ""
    return f"{value.day}.{value.month}.{value.year}"


def decimal_text(value: Decimal | None) -> str:
    """1 234,5: Finnish decimals, without trailing zeros."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    sign = "-" if text.startswith("-") else ""
    whole, _dot, fraction = text.lstrip("-").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + THOUSANDS.join(groups)
    return f"{text},{fraction}" if fraction else text


def quarter_text(value: date) -> str:
    return f"{value.year} Q{(value.month - 1) // 3 + 1}"


def schedule_text(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return _("not decided")
    return f"{day_text(start)}–{day_text(end)}"


def _user_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _proposal_rows(proposal: ModelProposal) -> ModelProposal:
    return (
        ModelProposal.objects.select_related("appointment__issuer", "appointment__body")
        .prefetch_related("sections")
        .get(pk=proposal.pk)
    )


def _themes() -> list[Theme]:
    measures = (
        Measure.objects.select_related("lead_organisation")
        .prefetch_related("participating_organisations")
        .order_by("order", "pk")
    )
    return list(
        Theme.objects.select_related("lead_organisation")
        .prefetch_related(Prefetch("measures", queryset=measures))
        .order_by("order", "title", "pk")
    )


def _labels(model, field_name: str) -> dict:
    """The display labels of a field's choices in the active language.

    Read once per snapshot: Model.get_FOO_display() rebuilds the choices' mapping on
    every call, which took a third of a large proposal's snapshot.
    """
    return {
        value: str(label)
        for value, label in model._meta.get_field(field_name).flatchoices
    }


def _theme_rows(themes: list[Theme]) -> list[dict]:
    theme_status = _labels(Theme, "status")
    measure_status = _labels(Measure, "status")
    return [
        {
            "key": f"theme-{theme.pk}",
            "title": theme.title,
            "description": theme.description,
            "goals": theme.goals,
            "status": theme_status.get(theme.status, theme.status),
            "lead": theme.lead_organisation.name,
            "measures": [
                {
                    "key": f"measure-{measure.pk}",
                    "title": measure.title,
                    "description": measure.description,
                    "lead": measure.lead_organisation.name,
                    "participants": sorted(
                        organisation.name
                        for organisation in measure.participating_organisations.all()
                    ),
                    "schedule": schedule_text(measure.start_date, measure.end_date),
                    "status": measure_status.get(measure.status, measure.status),
                }
                for measure in theme.measures.all()
            ],
        }
        for theme in themes
    ]


def _milestone_rows(milestones: list[Milestone], themes: list[Theme]) -> list[dict]:
    kinds = _labels(Milestone, "kind")
    theme_titles = {theme.pk: theme.title for theme in themes}
    measure_titles = {
        measure.pk: measure.title
        for theme in themes
        for measure in theme.measures.all()
    }
    return [
        {
            "key": f"milestone-{milestone.pk}",
            "title": milestone.title,
            "kind": kinds.get(milestone.kind, milestone.kind),
            "quarter": quarter_text(milestone.due_date),
            "due_date": day_text(milestone.due_date),
            "done_on": day_text(milestone.done_on),
            "belongs_to": (
                measure_titles[milestone.measure_id]
                if milestone.measure_id
                else theme_titles[milestone.theme_id]
            ),
        }
        for milestone in milestones
    ]


def _timeline_rows(themes: list[Theme], milestones: list[Milestone]) -> list[dict]:
    """One row per measure (its schedule and milestones) and per theme's own
    milestones; ISO dates, the input of alliance.charts.timeline_chart."""
    of_measure: dict[int, list[date]] = {}
    of_theme: dict[int, list[date]] = {}
    for milestone in milestones:
        if milestone.measure_id:
            of_measure.setdefault(milestone.measure_id, []).append(milestone.due_date)
        else:
            of_theme.setdefault(milestone.theme_id, []).append(milestone.due_date)
    rows = []
    for theme in themes:
        own = sorted(of_theme.get(theme.pk, []))
        if own:
            rows.append(
                {
                    "label": theme.title,
                    "start": own[0].isoformat(),
                    "end": None,
                    "group": theme.title,
                    "milestones": [day.isoformat() for day in own],
                }
            )
        for measure in theme.measures.all():
            days = sorted(of_measure.get(measure.pk, []))
            start = measure.start_date or (days[0] if days else None)
            if start is None:
                continue
            rows.append(
                {
                    "label": measure.title,
                    "start": start.isoformat(),
                    "end": measure.end_date.isoformat() if measure.end_date else None,
                    "group": theme.title,
                    "milestones": [day.isoformat() for day in days],
                }
            )
    return rows


def _indicator_rows(themes: list[Theme]) -> list[dict]:
    theme_order = {theme.pk: index for index, theme in enumerate(themes)}
    theme_titles = {theme.pk: theme.title for theme in themes}
    frequencies = _labels(Indicator, "frequency")
    # The indicator's own theme, or its measure's: the themes are already read.
    indicators = Indicator.objects.annotate(
        theme_of=Coalesce("theme_id", "measure__theme_id")
    )
    rows = sorted(
        indicators,
        key=lambda i: (
            theme_order.get(i.theme_of, len(theme_order)),
            i.order,
            i.name,
            i.pk,
        ),
    )
    return [
        {
            "key": f"indicator-{indicator.pk}",
            "theme": theme_titles[indicator.theme_of],
            "name": indicator.name,
            "unit": indicator.unit,
            "baseline": (
                f"{decimal_text(indicator.baseline_value)} "
                f"({day_text(indicator.baseline_date)})"
            ),
            "target": (
                f"{decimal_text(indicator.target_value)} "
                f"({day_text(indicator.target_date)})"
            ),
            "data_source": indicator.data_source,
            "frequency": frequencies.get(indicator.frequency, indicator.frequency),
        }
        for indicator in rows
    ]


def _member_rows(appointment, on: date) -> dict:
    body = appointment.body
    memberships = list(memberships_active_on(body=body, on=on))
    check = equality_check(body=body, on=on, memberships=memberships)
    return {
        "rows": [
            {
                "name": membership.holder_name,
                "title": membership.title,
                "organisation": (
                    membership.organisation.name if membership.organisation_id else ""
                ),
                "role": membership.get_role_display(),
                "deputy_of": (
                    membership.deputy_of.holder_name
                    if membership.role == Membership.Role.DEPUTY
                    and membership.deputy_of_id
                    else ""
                ),
            }
            for membership in memberships
        ],
        "gender_statement": check.statement,
    }


def _appointment_data(appointment) -> dict:
    body = appointment.body
    term = f"{day_text(body.term_start)}–{day_text(body.term_end)}"
    return {
        "title": appointment.title_fi,
        "tasks": [
            {"number": task.number, "text": task.text}
            for task in appointment.tasks.order_by("number")
        ],
        "term": term,
        "costs": appointment.cost_provisions,
        "signatories": [
            {"name": signatory.name, "title": signatory.title}
            for signatory in appointment.signatories.order_by("order", "pk")
        ],
    }


def snapshot_build(
    *,
    proposal: ModelProposal,
    language: str = "fi",
    draft: bool,
    number: int | None,
    made_by,
    at: datetime,
) -> dict:
    """Everything the proposal's document shows, from the rows as they are now.

    `draft`, `number`, `made_by` and `at` fill the "version" block; the date of the
    document is `at` in Helsinki time. A fixed number of queries at any size.
    """
    with translation.override(language):
        proposal = _proposal_rows(proposal)
        appointment = proposal.appointment
        day = day_text(timezone.localtime(at).date())
        themes = _themes()
        milestones = list(Milestone.objects.order_by("due_date", "pk"))
        sections = sorted(proposal.sections.all(), key=lambda s: (s.order, s.pk))
        return {
            "schema": SCHEMA,
            "language": language,
            "version": {
                "number": number,
                "draft": draft,
                "date": day,
                "made_by": _user_name(made_by),
            },
            "header": {
                "organisation": appointment.issuer.name,
                "document_type": DOCUMENT_TYPE.get(language, DOCUMENT_TYPE["fi"]),
                "diary_number": appointment.diary_number,
                "date": day,
            },
            "cover": {
                "title": proposal.title,
                "issuer": appointment.issuer.name,
                "appointment_reference": appointment.diary_number,
                "appointment_date": day_text(appointment.date),
                "body": appointment.body.name,
            },
            "summary": proposal.summary,
            "summary_sv": proposal.summary_sv,
            "sections": [
                {
                    "key": f"section-{section.pk}",
                    "kind": section.kind,
                    "number": number_,
                    "title": section.title,
                    "body": section.body,
                }
                for number_, section in enumerate(sections, 1)
            ],
            "themes": _theme_rows(themes),
            "milestones": _milestone_rows(milestones, themes),
            "timeline": _timeline_rows(themes, milestones),
            "indicators": _indicator_rows(themes),
            "members": _member_rows(appointment, timezone.localtime(at).date()),
            "appointment": _appointment_data(appointment),
        }


def snapshot_content(snapshot: dict) -> dict:
    """The snapshot less its number, date and author: what two versions compare by.

    That is the "version" block, and the header's date (the version's date again).
    """
    content = {key: value for key, value in snapshot.items() if key != "version"}
    if "header" in content:
        content["header"] = {
            key: value for key, value in content["header"].items() if key != "date"
        }
    return content


def snapshots_equal(first: dict, second: dict) -> bool:
    return snapshot_content(first) == snapshot_content(second)
