"""Template tags that let lower apps' pages show meeting data through a template.

A person's page (members) and a measure's or proposal's page (themes) include a
partial of this app;
the partial loads these tags, so the lower apps never import the secretariat.
"""

from django import template
from django.utils import timezone, translation

from secretariat.meetings import permissions as meeting_permissions
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings import standard_items
from secretariat.meetings.models import AgendaItem

register = template.Library()


@register.simple_tag(takes_context=True)
def action_items_of_person(context, person):
    """Return the person's action items, or none for a user without a role."""
    user = context["request"].user
    if not meeting_permissions.can_view_meetings(user):
        return []
    return meeting_selectors.action_items_of_person(
        person=person, today=timezone.localdate()
    )


@register.simple_tag(takes_context=True)
def agenda_items_about(context, subject):
    """Return the agenda items about a measure or a proposal that the user may see."""
    field = (
        "theme_proposal" if subject._meta.model_name == "themeproposal" else "measure"
    )
    return meeting_selectors.agenda_items_visible_to(
        user=context["request"].user, **{field: subject}
    )


@register.simple_tag
def minutes_decision(item):
    """Return what the minutes record of an item: its decision text (a `Text`) and
    its outcome's label, a standard item's usual ones where none was written."""
    meeting = item.meeting
    next_meeting = (
        meeting_selectors.meeting_next(meeting=meeting)
        if item.kind == AgendaItem.Kind.NEXT_MEETING
        else None
    )
    language = translation.get_language()
    outcome = standard_items.decision_outcome(kind=item.kind, outcome=item.outcome)
    return {
        "decision": standard_items.decision_text(
            kind=item.kind,
            decision=item.decision,
            meeting=meeting,
            next_meeting=next_meeting,
            language=language,
        ),
        "outcome": AgendaItem.Outcome(outcome).label if outcome else "",
    }


@register.simple_tag(takes_context=True)
def decisions_about(context, subject):
    """Return the decisions about a theme (its measures' included) or a measure that
    the user may see."""
    field = "theme" if subject._meta.model_name == "theme" else "measure"
    return list(
        meeting_selectors.decisions_visible_to(
            user=context["request"].user, **{field: subject}
        )
    )
