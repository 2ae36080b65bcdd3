"""A member replaced during the term: both seats' dates, the §4 a check, the account."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from alliance.models import AuditEvent
from members import services
from members.models import Membership, MembershipReplacement, Person
from members.selectors import body_list, equality_check
from tests.members.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
NOW = datetime.datetime(2023, 10, 16, 10, 0, tzinfo=HELSINKI)
CHANGEOVER = datetime.date(2023, 11, 1)
DAY_BEFORE = datetime.date(2023, 10, 31)
DAY_AFTER = datetime.date(2023, 11, 2)


@pytest.fixture(autouse=True)
def fixed_clock():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


@pytest.fixture
def seats(alliance):
    """Two women and two men in the secretariat: the 40 per cent rule is met."""
    palonen, voutilainen, nyholm = alliance.secretariat_seats
    Person.objects.filter(pk=voutilainen.person_id).update(gender=Person.Gender.MAN)
    mattsson = MembershipFactory(
        body=alliance.secretariat,
        person=PersonFactory(last_name="Mattsson", gender=Person.Gender.MAN),
        organisation=alliance.organisations["espoo"],
        order=4,
    )
    return {"palonen": palonen, "nyholm": nyholm, "mattsson": mattsson}


def test_one_membership_ends_and_the_other_starts_on_the_same_day(alliance, seats):
    nyholm = seats["nyholm"]
    successor = PersonFactory(last_name="Lindqvist", gender=Person.Gender.MAN)
    before = equality_check(body=alliance.secretariat, on=CHANGEOVER)
    assert before.is_met

    replacement = services.membership_replace(
        leaver=nyholm,
        successor=successor,
        on=CHANGEOVER,
        nomination_reference="HEL-2023-012345",
        by=alliance.users["staff"],
    )

    nyholm.refresh_from_db()
    seat = replacement.successor
    assert (nyholm.start, nyholm.end) == (datetime.date(2023, 9, 1), CHANGEOVER)
    assert (seat.start, seat.end) == (CHANGEOVER, None)
    assert seat.person == successor
    assert (seat.organisation, seat.role, seat.order) == (
        nyholm.organisation,
        Membership.Role.MEMBER,
        nyholm.order,
    )
    assert seat.nomination_reference == "HEL-2023-012345"
    assert (replacement.leaver, replacement.on) == (nyholm, CHANGEOVER)
    # Each day counts exactly one of the two: on the day itself, the successor.
    for day, holder in [(DAY_BEFORE, nyholm), (CHANGEOVER, seat), (DAY_AFTER, seat)]:
        held = Membership.objects.filter(body=alliance.secretariat).active_on(day)
        assert holder in held
        assert {nyholm, seat} & set(held) == {holder}

    day_before = equality_check(body=alliance.secretariat, on=DAY_BEFORE)
    after = equality_check(body=alliance.secretariat, on=CHANGEOVER)
    assert (day_before.members.women, day_before.members.men) == (2, 2)
    assert (after.members.women, after.members.men) == (1, 3)
    assert not after.is_met
    assert "miehiä on 3 ja naisia 1" in after.statement
    assert "Naisten osuus (25 %) jää alle 40 prosentin" in after.statement
    staff = alliance.users["staff"]
    assert nyholm.history.latest().history_user == staff
    assert seat.history.get().history_user == staff
    assert replacement.history.get().history_user == staff


def test_the_check_of_that_day_is_shown_before_the_change(client, alliance, seats):
    nyholm = seats["nyholm"]
    successor = PersonFactory(last_name="Lindqvist", gender=Person.Gender.MAN)
    url = reverse("members:membership_replace", args=[nyholm.pk])
    client.force_login(alliance.users["staff"])
    form = client.get(url).context["form"]
    data = {
        "successor": successor.pk,
        "on": "2023-11-01",
        "title": nyholm.title,
        "nomination_reference": "",
        "edit_token": form["edit_token"].value(),
    }

    response = client.post(url, data)
    assert response.status_code == 200
    before, after = response.context["checks"]
    assert before.on == after.on == CHANGEOVER
    assert before.is_met and not after.is_met
    page = response.content.decode()
    assert after.statement in page and before.statement in page
    assert not MembershipReplacement.objects.exists()
    nyholm.refresh_from_db()
    assert nyholm.end is None

    # Another day is another check: shown again, nothing changed.
    checked = response.context["form"]["checked"].value()
    response = client.post(url, {**data, "on": "2023-12-01", "checked": checked})
    assert response.status_code == 200
    assert response.context["checks"][1].on == datetime.date(2023, 12, 1)
    assert not MembershipReplacement.objects.exists()

    response = client.post(url, {**data, "checked": checked})
    assert response.status_code == 302
    replacement = MembershipReplacement.objects.get()
    assert replacement.successor.person == successor
    body_page = client.get(alliance.secretariat.get_absolute_url())
    assert (
        body_page.context["equality"].statement
        == equality_check(body=alliance.secretariat, on=NOW.date()).statement
    )


def test_a_term_that_ends_later_and_the_deputies_pass_to_the_successor(alliance, seats):
    mattsson = seats["mattsson"]
    Membership.objects.filter(pk=mattsson.pk).update(end=datetime.date(2024, 12, 31))
    mattsson.refresh_from_db()
    deputy = MembershipFactory(
        body=alliance.secretariat, role=Membership.Role.DEPUTY, deputy_of=mattsson
    )
    replacement = services.membership_replace(
        leaver=mattsson,
        successor=PersonFactory(gender=Person.Gender.MAN),
        on=CHANGEOVER,
        title="erityisasiantuntija",
        by=alliance.users["chair"],
    )
    mattsson.refresh_from_db()
    deputy.refresh_from_db()
    assert mattsson.end == CHANGEOVER
    assert replacement.successor.end == datetime.date(2024, 12, 31)
    assert replacement.successor.title == "erityisasiantuntija"
    assert deputy.deputy_of == replacement.successor


def test_refused_replacements_change_nothing(alliance, seats):
    nyholm = seats["nyholm"]
    successor = PersonFactory()
    with pytest.raises(PermissionDenied):
        services.membership_replace(
            leaver=nyholm, successor=successor, on=CHANGEOVER, by=alliance.users["city"]
        )
    for on, person, field, code in [
        (nyholm.start, successor, "on", "replacement_before_start"),
        (CHANGEOVER, nyholm.person, "successor", "successor_same"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.membership_replace(
                leaver=nyholm, successor=person, on=on, by=alliance.users["staff"]
            )
        assert refused.value.error_dict[field][0].code == code
    nyholm.refresh_from_db()
    assert nyholm.end is None
    assert not MembershipReplacement.objects.exists()

    services.membership_replace(
        leaver=nyholm, successor=successor, on=CHANGEOVER, by=alliance.users["staff"]
    )
    with pytest.raises(ValidationError) as refused:
        services.membership_replace(
            leaver=nyholm,
            successor=PersonFactory(),
            on=CHANGEOVER,
            by=alliance.users["staff"],
        )
    assert refused.value.error_dict["on"][0].code == "already_replaced"
    ended = MembershipFactory(body=alliance.secretariat, end=datetime.date(2023, 9, 30))
    with pytest.raises(ValidationError) as refused:
        services.membership_replace(
            leaver=ended,
            successor=PersonFactory(),
            on=CHANGEOVER,
            by=alliance.users["staff"],
        )
    assert refused.value.error_dict["on"][0].code == "replacement_after_end"
    assert Membership.objects.filter(start=CHANGEOVER).count() == 1


def test_the_page_is_the_secretariats(client, alliance, seats):
    url = reverse("members:membership_replace", args=[seats["nyholm"].pk])
    for role, status in [("city", 403), ("observer", 403), ("none", 403)]:
        client.force_login(alliance.users[role])
        assert client.get(url).status_code == status
    client.force_login(alliance.users["chair"])
    assert client.get(url).status_code == 200
    detail = client.get(seats["nyholm"].get_absolute_url()).content.decode()
    assert url in detail


def _daily_work_at(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        call_command("run_daily")


def test_the_leavers_account_closes_at_the_start_of_the_next_day(alliance, seats):
    nyholm = seats["nyholm"]
    account = nyholm.person.user
    services.membership_replace(
        leaver=nyholm,
        successor=PersonFactory(),
        on=CHANGEOVER,
        by=alliance.users["staff"],
    )
    _daily_work_at(datetime.datetime(2023, 11, 1, 0, 5, tzinfo=HELSINKI))
    account.refresh_from_db()
    assert account.is_active

    _daily_work_at(datetime.datetime(2023, 11, 2, 0, 5, tzinfo=HELSINKI))
    account.refresh_from_db()
    assert not account.is_active
    replacement = MembershipReplacement.objects.get()
    assert replacement.account_closed_on == DAY_AFTER
    # The person's record and the ended membership stay.
    assert Person.objects.filter(pk=nyholm.person_id, user=account).exists()
    assert Membership.objects.filter(pk=nyholm.pk).exists()
    event = AuditEvent.objects.get(what__endswith="deactivated")
    assert event.what == f"{account.username}: deactivated"

    # Closed once: a later run finds nothing to do.
    assert services.replaced_accounts_deactivate(today=DAY_AFTER) == 0


def test_a_leaver_who_holds_another_seat_keeps_the_account(alliance, seats):
    nyholm = seats["nyholm"]
    MembershipFactory(body=alliance.group, person=nyholm.person, position="")
    services.membership_replace(
        leaver=nyholm,
        successor=PersonFactory(),
        on=CHANGEOVER,
        by=alliance.users["staff"],
    )
    assert services.replaced_accounts_deactivate(today=DAY_AFTER) == 0
    nyholm.person.user.refresh_from_db()
    assert nyholm.person.user.is_active
    assert MembershipReplacement.objects.get().account_closed_on is None


def test_a_chair_passes_the_seat_on_without_two_chairs_on_the_day(alliance, seats):
    palonen = seats["palonen"]
    assert palonen.role == Membership.Role.CHAIR
    seats_before = body_list(on=CHANGEOVER).get(pk=alliance.secretariat.pk)

    replacement = services.membership_replace(
        leaver=palonen,
        successor=PersonFactory(gender=Person.Gender.WOMAN),
        on=CHANGEOVER,
        by=alliance.users["staff"],
    )

    chairs = Membership.objects.filter(
        body=alliance.secretariat, role=Membership.Role.CHAIR
    )
    assert list(chairs.active_on(CHANGEOVER)) == [replacement.successor]
    assert list(chairs.active_on(DAY_BEFORE)) == [palonen]
    seats_after = body_list(on=CHANGEOVER).get(pk=alliance.secretariat.pk)
    assert seats_after.active_seats == seats_before.active_seats
