from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse

from alliance.models import Publicity
from members.models import NominationRequest
from monitoring.models import CityReport, Indicator, Observation, ReportingRound
from secretariat.bootstrap import bootstrap
from secretariat.meetings.models import AgendaItem, AgendaVersion, Meeting
from secretariat.scale import SCALE_USERNAME
from tests.conftest import TODAY
from tests.factories import cast_create
from themes.models import Measure, Milestone, Theme
from themes.proposals.models import ProposalAttachment, ProposalComment, ThemeProposal

SCALE = "0.02"


def _generated(model):
    return model.objects.filter(**{f"{_text_field(model)}__startswith": "[Synthetic]"})


def _text_field(model):
    return "name" if model is Indicator else "title"


@pytest.fixture
def seeded(db):
    bootstrap(demo=False, today=TODAY)


def _snapshot() -> dict:
    """What must come out the same for the same seed: titles, values and dates."""
    return {
        "themes": list(_generated(Theme).values_list("title", "goals", "status")),
        "measures": list(
            _generated(Measure).values_list("title", "progress", "start_date")
        ),
        "milestones": list(_generated(Milestone).values_list("title", "due_date")),
        "values": list(
            Observation.objects.order_by(
                "indicator__order", "period", "city__slug"
            ).values_list("indicator__name", "period", "city__slug", "value")
        ),
        "proposals": list(
            _generated(ThemeProposal).order_by("title").values_list("title", "status")
        ),
        "meetings": list(
            Meeting.objects.order_by("starts_at").values_list("number", "starts_at")
        ),
    }


def test_refuses_without_the_seed(db):
    with pytest.raises(CommandError, match="bootstrap_alliance"):
        call_command("generate_scale_data", "--scale", SCALE)
    assert not Theme.objects.exists()


@pytest.mark.parametrize("scale", ["0", "-1", "abc", "nan", "inf"])
def test_refuses_a_scale_that_is_not_a_positive_decimal(seeded, scale):
    with pytest.raises(CommandError, match="positive decimal"):
        call_command("generate_scale_data", "--scale", scale)
    assert not Theme.objects.exists()


def test_counts_are_linear_in_the_scale_and_the_seed_rows_untouched(seeded):
    seed_meetings = set(Meeting.objects.values_list("pk", flat=True))
    call_command("generate_scale_data", "--scale", SCALE)

    # At 0.02: the sizes at 1 times 0.02, rounded, never below one.
    assert Theme.objects.count() == 1
    assert Measure.objects.count() == 12
    assert Milestone.objects.count() == 40
    assert Indicator.objects.count() == 20
    # Each indicator: 24 quarters of the national value and each of the six cities.
    assert Observation.objects.count() == 20 * 24 * 7
    assert Observation.objects.filter(city=None).count() == 20 * 24
    assert ThemeProposal.objects.count() == 6
    assert ProposalComment.objects.count() == 6 * 4
    assert ProposalAttachment.objects.count() == 6 * 2
    assert Meeting.objects.exclude(pk__in=seed_meetings).count() == 2
    assert AgendaItem.objects.count() == 2 * 15
    assert AgendaVersion.objects.count() == 2
    assert ReportingRound.objects.count() == 1
    assert CityReport.objects.count() == 6
    assert NominationRequest.objects.count() == 1
    assert Publicity.objects.exists()
    # A tenth of the objects edited 40 times or more after their creation.
    edited = Measure.history.filter(history_type="~").values("id").distinct()
    assert edited.count() == 2
    assert all(
        Measure.history.filter(id=row["id"], history_type="~").count() >= 40
        for row in edited
    )
    history = Measure.history.filter(history_type="~").first()
    assert history.history_user.username == SCALE_USERNAME
    assert history.history_date is not None


def test_generated_rows_pass_validation(seeded):
    call_command("generate_scale_data", "--scale", SCALE)
    for model in (Theme, Measure, Milestone, Indicator, ThemeProposal):
        for row in _generated(model)[:5]:
            row.full_clean()
    for model in (Observation, AgendaItem, Meeting, ReportingRound, CityReport):
        for row in model.objects.all()[:20]:
            row.full_clean()
    for row in Publicity.objects.all():
        row.full_clean()
    for row in NominationRequest.objects.all():
        row.full_clean()
    # Each measure saves unchanged through its form: its milestones lie within it.
    for milestone in (
        _generated(Milestone).select_related("measure").filter(measure__isnull=False)
    ):
        measure = milestone.measure
        assert measure.start_date <= milestone.due_date <= measure.end_date
    attachment = ProposalAttachment.objects.first()
    assert attachment.file.read().startswith(b"%PDF-")
    assert attachment.size == attachment.file.size
    # The cooperation group's matters name the secretariat's recommendation.
    decided = AgendaItem.objects.filter(
        meeting__body__kind="cooperation_group", kind=AgendaItem.Kind.MATTER
    )
    assert all(item.recommended_in_id for item in decided)
    assert all(
        item.recommended_in.meeting.starts_at < item.meeting.starts_at
        for item in decided
    )


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_gives_the_same_data():
    snapshots = []
    for _ in range(2):
        bootstrap(demo=False, today=TODAY)
        call_command("generate_scale_data", "--scale", SCALE, "--seed", "7")
        snapshots.append(_snapshot())
        call_command("flush", interactive=False, verbosity=0)
        # The flush makes the content types anew; the cached ones are gone.
        ContentType.objects.clear_cache()
    assert snapshots[0] == snapshots[1]
    assert snapshots[0]["values"]
    bootstrap(demo=False, today=TODAY)
    call_command("generate_scale_data", "--scale", SCALE, "--seed", "8")
    assert _snapshot()["values"] != snapshots[0]["values"]


def test_pages_answer_on_generated_data(seeded, client):
    call_command("generate_scale_data", "--scale", SCALE)
    chair = cast_create("palonen")["palonen"]
    client.force_login(chair)
    most_edited = (
        Measure.history.filter(history_type="~").values_list("id", flat=True).first()
    )
    for url in (
        reverse("secretariat:dashboard"),
        reverse("themes:theme_list"),
        reverse("themes:measure_detail", args=[most_edited]),
        reverse("monitoring:indicator_list"),
    ):
        assert client.get(url).status_code == 200, url


def test_scale_is_a_decimal(seeded):
    call_command("generate_scale_data", "--scale", "0.021")
    assert Measure.objects.count() == round(Decimal("0.021") * 600)
