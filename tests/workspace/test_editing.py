import datetime
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from alliance.editing import TrackedFormMixin, TrackedUpdateView
from tests.members.factories import PersonFactory
from themes.models import Measure, Theme

pytestmark = pytest.mark.django_db


def _token(response):
    return response.context["form"]["edit_token"].value()


def test_the_second_of_two_concurrent_saves_is_refused_and_shows_the_first(
    client, world
):
    url = reverse("themes:theme_edit", args=[world.theme.pk])
    staff, chair = world.users["staff"], world.users["chair"]
    client.force_login(staff)
    stale_token = _token(client.get(url))
    client.force_login(chair)
    first = client.post(
        url,
        {
            "edit_token": _token(client.get(url)),
            "title": "Työllisyys ja osaaminen",
            "description": "",
            "goals": "",
            "status": "active",
            "lead_organisation": world.theme.lead_organisation_id,
        },
    )
    assert first.status_code == 302

    client.force_login(staff)
    second = client.post(
        url,
        {
            "edit_token": stale_token,
            "title": "Työllisyys 2024",
            "description": "",
            "goals": "",
            "status": "active",
            "lead_organisation": world.theme.lead_organisation_id,
        },
    )

    assert second.status_code == 409
    page = second.content.decode()
    assert "Joku muu tallensi tämän" in page
    assert "Työllisyys ja osaaminen" in page  # what the other person saved
    assert "Työllisyys 2024" in page  # the refused input is kept in the form
    world.theme.refresh_from_db()
    assert world.theme.title == "Työllisyys ja osaaminen"
    assert world.theme.history.order_by("-history_id").first().history_user == chair


def test_history_shows_who_changed_what_on_the_objects_page(client, world):
    client.force_login(world.users["chair"])
    url = reverse("themes:measure_edit", args=[world.measure.pk])
    response = client.post(
        url,
        {
            "edit_token": _token(client.get(url)),
            "title": world.measure.title,
            "description": "",
            "lead_organisation": world.measure.lead_organisation_id,
            "start_date": "2023-09-01",
            "end_date": "2024-12-31",
            "status": "in_progress",
            "progress": "40",
        },
    )
    assert response.status_code == 302

    page = client.get(reverse("themes:measure_detail", args=[world.measure.pk]))

    text = page.content.decode()
    assert "Muutoshistoria" in text
    assert world.users["chair"].get_full_name() in text
    assert "0 → " not in text or "40" in text
    assert "<del>0</del> → <ins>40</ins>" in text


def test_a_milestone_outside_its_measures_dates_is_refused_next_to_the_field(
    client, world
):
    client.force_login(world.users["staff"])
    url = reverse("themes:measure_milestone_add", args=[world.measure.pk])

    response = client.post(
        url,
        {"title": "Liian myöhään", "kind": "reporting", "due_date": "2025-06-30"},
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "due_date" in errors
    assert "31.12.2024" in errors["due_date"][0]
    assert not world.measure.milestones.filter(title="Liian myöhään").exists()


def test_a_measure_ending_before_it_starts_is_refused_and_nothing_saved(client, world):
    client.force_login(world.users["staff"])
    url = reverse("themes:measure_add", args=[world.theme.pk])

    response = client.post(
        url,
        {
            "title": "Uusi toimenpide",
            "lead_organisation": world.theme.lead_organisation_id,
            "start_date": "2024-06-01",
            "end_date": "2024-01-01",
            "status": "planned",
            "progress": "0",
        },
    )

    assert response.status_code == 400
    assert "Toimenpide ei voi päättyä ennen kuin se alkaa." in response.content.decode()
    assert not Measure.objects.filter(title="Uusi toimenpide").exists()


def test_missing_fields_are_named_next_to_them(client, world):
    client.force_login(world.users["staff"])

    response = client.post(reverse("themes:theme_add"), {"title": ""})

    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"title", "lead_organisation"}
    assert Theme.objects.count() == 1


def test_htmx_add_returns_the_form_fragment_and_keeps_errors(client, world):
    client.force_login(world.users["staff"])
    url = reverse("themes:measure_add", args=[world.theme.pk])

    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert 'hx-post="' in fragment

    invalid = client.post(url, {"title": ""}, headers={"HX-Request": "true"})
    assert invalid.status_code == 200
    assert "field__errors" in invalid.content.decode()


def test_reordering_measures_moves_one_place_and_records_it(client, world):
    second = Measure.objects.create(
        theme=world.theme,
        title="Toinen",
        lead_organisation=world.theme.lead_organisation,
        order=world.measure.order + 1,
    )
    client.force_login(world.users["staff"])

    response = client.post(
        reverse("themes:measure_move", args=[second.pk, "up"]),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert list(
        world.theme.measures.order_by("order").values_list("pk", flat=True)
    ) == [
        second.pk,
        world.measure.pk,
    ]
    assert (
        second.history.order_by("-history_id").first().history_user
        == (world.users["staff"])
    )


def test_membership_change_that_breaks_the_40_per_cent_rule_asks_first(client, world):
    client.force_login(world.users["chair"])
    # The seed has 6 women of 10. With two of them recorded as men, replacing one
    # more woman by a man would leave 3 of 10.
    women = list(
        world.secretariat.memberships.filter(person__gender="woman").order_by("order")
    )
    for seat in women[1:3]:
        seat.person.gender = "man"
        seat.person.save()
    seat = women[3]
    url = reverse("members:membership_edit", args=[seat.pk])
    data = {
        "edit_token": _token(client.get(url)),
        "person": PersonFactory(gender="man", first_name="Uusi", last_name="Jäsen").pk,
        "organisation": seat.organisation_id,
        "title": seat.title,
        "role": "member",
        "start": "2023-09-01",
    }

    warned = client.post(url, data)

    assert warned.status_code == 400
    assert "ei enää täyttyisi" in warned.content.decode()
    seat.refresh_from_db()
    assert seat.person.gender == "woman"

    confirmed = client.post(url, {**data, "confirm_equality": "on"})

    assert confirmed.status_code == 302
    seat.refresh_from_db()
    assert seat.person.gender == "man"


def test_dates_are_shown_as_finnish_government_documents_write_them(client, world):
    client.force_login(world.users["observer"])

    page = client.get(
        reverse("secretariat:appointment_detail", args=[world.appointment.pk])
    )

    text = page.content.decode()
    assert "31.8.2023" in text
    assert "30.9.2023" in text
    assert datetime.date(2023, 9, 1).strftime("%d.%m.%Y") not in text


def _form_views(resolver=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _form_views(entry)
        elif isinstance(entry, URLPattern):
            view_class = getattr(entry.callback, "view_class", None)
            if view_class is not None and issubclass(view_class, TrackedFormMixin):
                yield view_class


def test_every_form_page_names_the_service_that_writes():
    views = list(_form_views())
    assert len(views) > 20
    assert [view.__name__ for view in views if view.save_service is None] == []


def test_a_save_without_the_edit_token_is_refused_and_changes_nothing(client, world):
    # Without the token the lost-update check could not run, so it must not save.
    url = reverse("themes:theme_edit", args=[world.theme.pk])
    client.force_login(world.users["staff"])
    entries = world.theme.history.count()

    response = client.post(
        url,
        {
            "title": "Työllisyys 2024",
            "description": "",
            "goals": "",
            "status": "active",
            "lead_organisation": world.theme.lead_organisation_id,
        },
    )

    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()
    assert "missing_edit_token" in [e.code for e in errors["__all__"]]
    assert "Lataa sivu uudelleen" in response.content.decode()
    world.theme.refresh_from_db()
    assert world.theme.title != "Työllisyys 2024"
    assert world.theme.history.count() == entries


def test_a_form_page_without_a_service_is_a_configuration_error():
    view = TrackedUpdateView(model=Theme, request=RequestFactory().post("/"))
    with pytest.raises(ImproperlyConfigured):
        view.perform_save(form=None)


def test_every_save_confirms_with_a_message(client, world):
    client.force_login(world.users["staff"])
    url = reverse("themes:measure_edit", args=[world.measure.pk])
    response = client.post(
        url,
        {
            "edit_token": _token(client.get(url)),
            "title": world.measure.title,
            "description": "",
            "lead_organisation": world.measure.lead_organisation_id,
            "start_date": "2023-09-01",
            "end_date": "2024-12-31",
            "status": "in_progress",
            "progress": "40",
        },
        follow=True,
    )
    assert f"Tallennettu: {world.measure.title}" in response.content.decode()

    response = client.post(
        reverse("themes:measure_milestone_add", args=[world.measure.pk]),
        {"title": "Väliraportti", "kind": "reporting", "due_date": "2024-06-30"},
        follow=True,
    )
    assert "Lisätty: Väliraportti" in response.content.decode()


def test_an_end_before_the_start_is_shown_at_the_end_date(client, world):
    client.force_login(world.users["staff"])
    url = reverse("themes:measure_edit", args=[world.measure.pk])
    response = client.post(
        url,
        {
            "edit_token": _token(client.get(url)),
            "title": world.measure.title,
            "description": "",
            "lead_organisation": world.measure.lead_organisation_id,
            "start_date": "2024-09-01",
            "end_date": "2024-01-31",
            "status": "in_progress",
            "progress": "40",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "end_before_start" in [e.code for e in form.errors.as_data()["end_date"]]
    assert not form.non_field_errors()
    end_input = re.search(
        r'<input[^>]*name="end_date"[^>]*>', response.content.decode()
    )
    assert 'aria-invalid="true"' in end_input.group(0)


def test_a_form_opened_within_a_page_takes_a_second_level_heading(client, world):
    client.force_login(world.users["staff"])
    url = reverse("themes:measure_add", args=[world.theme.pk])

    inline = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<h1" not in inline and '<h2 tabindex="-1">' in inline
    assert '<input type="hidden" name="inline" value="1">' in inline

    refused = client.post(
        url, {"inline": "1", "title": ""}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "<h1" not in refused and '<h2 tabindex="-1">' in refused

    page = client.get(url).content.decode()
    assert page.count("<h1") == 1 and 'name="inline"' not in page
