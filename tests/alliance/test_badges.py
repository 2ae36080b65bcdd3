"""The one status badge of every page."""

from django.template import Context, Template
from django.utils import translation

from secretariat.meetings.models import Meeting
from themes.proposals.models import ThemeProposal


def render(source: str, **context) -> str:
    return Template("{% load badges %}" + source).render(Context(context))


def test_a_choices_member_shows_its_translated_label():
    with translation.override("fi"):
        html = render("{% status_badge status %}", status=ThemeProposal.Status.ACCEPTED)

    assert html == '<span class="badge status--accepted">Hyväksytty</span>'


def test_a_stored_value_shows_the_label_it_is_given():
    meeting = Meeting(status=Meeting.Status.AGENDA_PUBLISHED)

    with translation.override("en"):
        html = render("{% status_badge m.status m.get_status_display %}", m=meeting)

    assert (
        html == '<span class="badge status--agenda_published">Agenda published</span>'
    )


def test_the_label_is_escaped():
    html = render("{% status_badge 'x' label %}", label="<b>")

    assert html == '<span class="badge status--x">&lt;b&gt;</span>'
