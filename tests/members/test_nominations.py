"""Nomination requests: from the request to the organisation's decision to the seat."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from members import services
from members.models import Membership, NominationRequest
from tests.html import rendered_rows
from tests.members.factories import PersonFactory

pytestmark = pytest.mark.django_db

Status = NominationRequest.Status
# The secretariat was formed in the last week of August 2023.
NOW = datetime.datetime(2023, 8, 30, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def fixed_clock():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def _request(alliance, **fields):
    """TEM's request of 24.8.2023 to Helsinki to name its representative by 30.8."""
    return services.nomination_request_save(
        nomination_request=NominationRequest(
            body=alliance.secretariat,
            organisation=alliance.organisations["helsinki"],
            sent_on=datetime.date(2023, 8, 24),
            reply_due=datetime.date(2023, 8, 30),
            reference="VN/12345/2023",
            **fields,
        ),
        by=alliance.users["staff"],
    )


def test_a_nomination_becomes_a_membership_citing_the_cities_decision(client, alliance):
    staff = alliance.users["staff"]
    nyholm = PersonFactory(first_name="Inga", last_name="Nyholm")
    client.force_login(staff)
    response = client.post(
        reverse("members:nomination_add"),
        {
            "body": alliance.secretariat.pk,
            "organisation": alliance.organisations["helsinki"].pk,
            "role": Membership.Role.MEMBER,
            "sent_on": "2023-08-24",
            "reply_due": "2023-08-30",
            "reference": "VN/12345/2023",
        },
    )
    nomination = NominationRequest.objects.get()
    assert response.status_code == 302
    assert nomination.status == Status.SENT
    assert nomination.nominee is None

    page = client.get(nomination.get_absolute_url()).content.decode()
    record_url = reverse("members:nomination_record", args=[nomination.pk])
    appoint_url = reverse("members:nomination_appoint", args=[nomination.pk])
    assert record_url in page
    assert appoint_url not in page
    # Only the organisation's answer can make a member.
    response = client.get(appoint_url)
    assert response["Location"] == nomination.get_absolute_url()

    response = client.post(
        record_url,
        {
            "nominee": nyholm.pk,
            "decision_reference": "HEL-2023-010779",
            "decision_date": "2023-08-29",
        },
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == Status.NOMINATED
    assert (nomination.nominee, nomination.decision_reference) == (
        nyholm,
        "HEL-2023-010779",
    )
    assert nomination.decision_date == datetime.date(2023, 8, 29)
    assert not Membership.objects.filter(person=nyholm).exists()

    response = client.post(appoint_url, {"start": "2023-08-31", "title": "johtaja"})
    membership = Membership.objects.get(person=nyholm)
    assert response.status_code == 302
    assert response["Location"] == membership.get_absolute_url()
    assert membership.body == alliance.secretariat
    assert membership.organisation == alliance.organisations["helsinki"]
    assert membership.role == Membership.Role.MEMBER
    assert membership.start == datetime.date(2023, 8, 31)
    assert membership.end is None
    assert membership.title == "johtaja"
    assert membership.nomination_reference == "HEL-2023-010779 (29.8.2023)"
    nomination.refresh_from_db()
    assert nomination.status == Status.APPOINTED
    assert nomination.membership == membership

    steps = list(
        nomination.status_changes.values_list("from_status", "to_status", "by")
    )
    assert steps == [
        (Status.SENT, Status.NOMINATED, staff.pk),
        (Status.NOMINATED, Status.APPOINTED, staff.pk),
    ]
    assert {entry.history_user for entry in nomination.history.all()} == {staff}
    assert membership.history.get().history_user == staff
    page = client.get(membership.get_absolute_url()).content.decode()
    assert nomination.get_absolute_url() in page
    # A member added is not withdrawn, nor named again.
    assert client.get(record_url)["Location"] == nomination.get_absolute_url()
    assert client.post(record_url, {"nominee": nyholm.pk}).status_code == 302
    with pytest.raises(ValidationError) as refused:
        services.nomination_withdraw(nomination_request=nomination, by=staff)
    assert refused.value.code == "transition_not_allowed"


def test_only_the_secretariat_asks_and_records(client, alliance):
    nomination = _request(alliance)
    city = alliance.users["city"]
    for write in (
        lambda: services.nomination_request_save(
            nomination_request=NominationRequest(
                body=alliance.secretariat,
                organisation=alliance.organisations["espoo"],
                sent_on=datetime.date(2023, 8, 24),
                reply_due=datetime.date(2023, 8, 30),
            ),
            by=city,
        ),
        lambda: services.nomination_record(
            nomination_request=nomination,
            nominee=PersonFactory(),
            decision_reference="HEL-1",
            decision_date=datetime.date(2023, 8, 29),
            by=city,
        ),
        lambda: services.nomination_withdraw(nomination_request=nomination, by=city),
    ):
        with pytest.raises(PermissionDenied):
            write()
    nomination.refresh_from_db()
    assert nomination.status == Status.SENT
    assert NominationRequest.objects.count() == 1

    client.force_login(city)
    assert client.get(nomination.get_absolute_url()).status_code == 200
    assert client.get(reverse("members:nomination_add")).status_code == 403
    record_url = reverse("members:nomination_record", args=[nomination.pk])
    assert client.get(record_url).status_code == 403
    # The chair asks too.
    chair_request = services.nomination_request_save(
        nomination_request=NominationRequest(
            body=alliance.group,
            organisation=alliance.organisations["espoo"],
            sent_on=datetime.date(2023, 8, 24),
            reply_due=datetime.date(2023, 8, 30),
        ),
        by=alliance.users["chair"],
    )
    assert chair_request.status == Status.SENT


def test_bad_dates_are_shown_at_their_field_and_nothing_is_saved(client, alliance):
    client.force_login(alliance.users["staff"])
    response = client.post(
        reverse("members:nomination_add"),
        {
            "body": alliance.secretariat.pk,
            "organisation": alliance.organisations["helsinki"].pk,
            "role": Membership.Role.MEMBER,
            "sent_on": "2023-08-24",
            "reply_due": "2023-08-20",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors.as_data()["reply_due"][0].code == (
        "reply_due_before_sent"
    )
    assert not NominationRequest.objects.exists()

    nomination = _request(alliance)
    response = client.post(
        reverse("members:nomination_record", args=[nomination.pk]),
        {
            "nominee": PersonFactory().pk,
            "decision_reference": "HEL-2023-010779",
            "decision_date": "2023-08-01",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors.as_data()["decision_date"][0].code == (
        "decision_before_request"
    )
    nomination.refresh_from_db()
    assert (nomination.status, nomination.nominee) == (Status.SENT, None)


def test_a_membership_cannot_start_before_the_decision(alliance):
    staff = alliance.users["staff"]
    nomination = services.nomination_record(
        nomination_request=_request(alliance),
        nominee=PersonFactory(),
        decision_reference="HEL-2023-010779",
        decision_date=datetime.date(2023, 8, 29),
        by=staff,
    )
    with pytest.raises(ValidationError) as refused:
        services.nomination_appoint(
            nomination_request=nomination, start=datetime.date(2023, 8, 28), by=staff
        )
    assert refused.value.error_dict["start"][0].code == "start_before_decision"
    nomination.refresh_from_db()
    assert nomination.status == Status.NOMINATED
    assert nomination.membership is None


def test_a_withdrawn_request_makes_no_member(client, alliance):
    staff = alliance.users["staff"]
    nomination = _request(alliance)
    client.force_login(staff)
    response = client.post(reverse("members:nomination_withdraw", args=[nomination.pk]))
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == Status.WITHDRAWN
    with pytest.raises(ValidationError) as refused:
        services.nomination_appoint(
            nomination_request=nomination, start=datetime.date(2023, 9, 1), by=staff
        )
    assert refused.value.code == "transition_not_allowed"
    response = client.get(reverse("members:nomination_list"), {"status": "withdrawn"})
    assert rendered_rows(response, "nomination-request") == 1
    response = client.get(reverse("members:nomination_list"), {"status": "sent"})
    assert rendered_rows(response, "nomination-request") == 0


def test_the_seed_invents_no_nomination_requests(world):
    # The decision names the members; the requests that led to it are not recorded.
    assert not NominationRequest.objects.exists()
    assert Membership.objects.exists()
