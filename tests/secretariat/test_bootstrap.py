import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from alliance.models import InstallationSetting
from members.models import Body, Membership, Organisation, Person
from members.permissions import can_act_for
from members.selectors import equality_check
from secretariat import seed
from secretariat.models import Appointment, AppointmentTask

pytestmark = pytest.mark.django_db

APPS = {"members", "secretariat", "themes", "monitoring", "auth", "guardian"}
SEED_STATEMENT = (
    "Yhteistyöryhmän sihteeristössä on puheenjohtaja mukaan lukien yhteensä 10 "
    "jäsentä, joista miehiä on 4 ja naisia 6. Naisten ja miesten välisestä "
    "tasa-arvosta annetun lain (609/1986) 4 a §:n 1 momentin vaatimus täyttyy "
    "jäsenten osalta."
)


def _row_and_history_counts():
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in APPS:
            counts[model._meta.label] = model.objects.count()
    return counts


def _history_ids():
    return {
        model._meta.label: list(model.objects.values_list("pk", flat=True))
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    }


@pytest.fixture
def loaded():
    call_command("bootstrap_alliance", "--demo", verbosity=0)


def test_second_run_changes_no_row_and_writes_no_history(loaded):
    before = _row_and_history_counts()
    histories = _history_ids()

    call_command("bootstrap_alliance", "--demo", verbosity=0)

    assert _row_and_history_counts() == before
    assert _history_ids() == histories


def test_the_decision_is_loaded_as_written(loaded):
    appointment = Appointment.objects.get()
    assert appointment.diary_number == "TEM077:00/2023"
    assert appointment.date == datetime.date(2023, 8, 31)
    assert appointment.document_type == "Asettamispäätös"
    assert appointment.issuer.name_sv == "Arbets- och näringsministeriet"
    assert appointment.model_proposal_due == datetime.date(2023, 9, 30)
    assert appointment.body.term_start == datetime.date(2023, 9, 1)
    assert appointment.body.term_end is None
    assert [t.number for t in appointment.tasks.all()] == [1, 2, 3, 4]
    assert (
        appointment.tasks.get(number=4).text == "Toimia yhteistyöryhmän sihteeristönä."
    )
    assert [(s.title, s.name) for s in appointment.signatories.all()] == [
        ("Kunta- ja alueministeri", "Anna-Kaisa Ikonen"),
        ("Osastopäällikkö, ylijohtaja", "Tiina Korhonen"),
    ]


def test_organisations_with_finnish_and_swedish_names(loaded):
    names = dict(Organisation.objects.values_list("slug", "name_sv"))
    assert names["oulu"] == "Uleåborg"
    assert names["turku"] == "Åbo"
    assert names["helsinki"] == "Helsingfors"
    assert set(names) == {
        "tem", "okm", "sm", "vm", "helsinki", "espoo", "tampere", "vantaa", "oulu",
        "turku",
    }  # fmt: skip


def test_secretariat_members_in_the_decisions_order(loaded):
    secretariat = Appointment.objects.get().body
    seats = list(secretariat.memberships.select_related("person", "organisation"))

    assert [(s.person.full_name, s.title) for s in seats] == [
        ("Katja Palonen", "johtava asiantuntija"),
        ("Olli Voutilainen", "erityisasiantuntija"),
        ("Kirsi Kaunisharju", "kulttuuriasiainneuvos"),
        ("Lotta Mattsson", "neuvotteleva virkamies"),
        ("Inga Nyholm", "yhteysjohtaja"),
        ("Niko Ferm", "kehittämispäällikkö"),
        ("Maggie Keskinen", "yhteysjohtaja"),
        ("Paula Harju", "kehittämispäällikkö"),
        ("Claes Krüger", "kehittämispäällikkö"),
        ("Matti Niemi", "yhteysjohtaja"),
    ]
    assert seats[0].role == Membership.Role.CHAIR
    assert {s.role for s in seats[1:]} == {Membership.Role.MEMBER}
    assert seats[8].organisation.slug == "oulu"


def test_the_seed_meets_section_4a_in_the_decisions_words(loaded):
    secretariat = Appointment.objects.get().body

    check = equality_check(body=secretariat, on=datetime.date(2023, 9, 1))

    assert check.is_met
    assert check.statement == SEED_STATEMENT


def test_cooperation_group_by_position_with_no_invented_names(loaded):
    group = Body.objects.get(kind=Body.Kind.COOPERATION_GROUP)
    seats = list(group.memberships.select_related("organisation"))

    assert all(seat.person_id is None for seat in seats)
    assert (seats[0].position, seats[0].role) == ("pääministeri", "chair")
    assert (seats[1].position, seats[1].role) == (
        "kunta- ja alueministeri",
        "vice_chair",
    )
    assert {s.organisation.slug for s in seats if s.position == "kaupunginjohtaja"} == {
        "helsinki", "espoo", "tampere", "vantaa", "oulu", "turku",
    }  # fmt: skip
    assert {s.organisation.slug for s in seats if s.position == "kansliapäällikkö"} == {
        "vm",
        "tem",
    }
    assert Appointment.objects.get().body.serves == group
    assert Person.objects.count() == 10


def test_demo_accounts_and_roles(loaded):
    User = get_user_model()
    usernames = set(User.objects.values_list("username", flat=True))
    assert usernames == {
        "palonen", "voutilainen", "kaunisharju", "mattsson", "nyholm", "ferm",
        "keskinen", "harju", "kruger", "niemi", "observer", "admin",
    }  # fmt: skip
    assert all(User.objects.values_list("is_example", flat=True))

    def roles(username):
        return set(
            User.objects.get(username=username).groups.values_list("name", flat=True)
        )

    assert roles("palonen") == {"chair", "secretariat-staff"}
    assert roles("voutilainen") == {"secretariat-staff"}
    assert roles("mattsson") == {"secretariat-staff"}
    assert roles("nyholm") == {"city-helsinki"}
    assert roles("kruger") == {"city-oulu"}
    assert roles("observer") == {"observer"}
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="kruger").person.full_name == "Claes Krüger"
    assert User.objects.get(username="palonen").check_password("allianssi-demo")

    nyholm = User.objects.get(username="nyholm")
    helsinki, espoo = (Organisation.objects.get(slug=s) for s in ("helsinki", "espoo"))
    assert can_act_for(nyholm, helsinki)
    assert not can_act_for(nyholm, espoo)
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "chair", "secretariat-staff", "observer", "city-helsinki", "city-espoo",
        "city-tampere", "city-vantaa", "city-oulu", "city-turku",
    }  # fmt: skip


def test_password_changes_only_when_given_and_different(loaded):
    User = get_user_model()
    palonen = User.objects.get(username="palonen")
    hashed = palonen.password

    call_command("bootstrap_alliance", "--demo", verbosity=0)
    palonen.refresh_from_db()
    assert palonen.password == hashed

    call_command(
        "bootstrap_alliance", "--demo", "--password", "uusi-salasana-42", verbosity=0
    )
    palonen.refresh_from_db()
    assert palonen.check_password("uusi-salasana-42")
    hashed = palonen.password

    call_command(
        "bootstrap_alliance", "--demo", "--password", "uusi-salasana-42", verbosity=0
    )
    palonen.refresh_from_db()
    assert palonen.password == hashed


def test_without_demo_no_accounts_are_made():
    call_command("bootstrap_alliance", verbosity=0)
    assert not get_user_model().objects.exists()
    assert Appointment.objects.count() == 1


def test_the_roles_hold_no_model_permissions_that_no_rule_reads(loaded):
    """The roles are the groups, read by the permissions modules; the city scope is
    the one object permission, on each city's own organisation."""
    chair = Group.objects.get(name="chair")
    chair.permissions.add(Permission.objects.get(codename="change_theme"))

    call_command("bootstrap_alliance", verbosity=0)

    assert not Permission.objects.filter(group__isnull=False).exists()
    nyholm = get_user_model().objects.get(username="nyholm")
    assert can_act_for(nyholm, Organisation.objects.get(slug="helsinki"))


def test_the_first_run_fixes_the_calendar_uid_host_and_later_runs_keep_it(settings):
    settings.CALENDAR_UID_DOMAIN = ""
    settings.SITE_URL = "https://allianssi.tem.example.fi"
    call_command("bootstrap_alliance", verbosity=0)

    settings.SITE_URL = "https://allianssi.uusi.example.fi"
    call_command("bootstrap_alliance", verbosity=0)

    (stored,) = InstallationSetting.objects.all()
    assert (stored.name, stored.value) == (
        "CALENDAR_UID_DOMAIN",
        "allianssi.tem.example.fi",
    )


def test_tasks_titles_and_positions_have_our_swedish_translation(loaded):
    appointment = Appointment.objects.get()
    secretariat = appointment.body
    group = secretariat.serves

    assert [t.text_sv for t in appointment.tasks.all()] == [
        sv for _fi, sv in seed.TASKS
    ]
    assert appointment.tasks.get(number=4).text_sv == (
        "Fungera som samarbetsgruppens sekretariat."
    )
    assert [(s.title, s.title_sv) for s in secretariat.memberships.all()][:2] == [
        ("johtava asiantuntija", "ledande sakkunnig"),
        ("erityisasiantuntija", "specialsakkunnig"),
    ]
    assert all(s.title_sv for s in secretariat.memberships.all())
    assert [(s.position, s.position_sv) for s in group.memberships.all()][:3] == [
        ("pääministeri", "statsminister"),
        ("kunta- ja alueministeri", "kommun- och regionminister"),
        ("kaupunginjohtaja", "stadsdirektör"),
    ]
    assert all(s.position_sv for s in group.memberships.all())


def test_an_installation_loaded_before_the_swedish_texts_gets_them(loaded):
    Membership.objects.update(title_sv="", position_sv="")
    AppointmentTask.objects.update(text_sv="")

    call_command("bootstrap_alliance", verbosity=0)

    assert not Membership.objects.filter(person__isnull=False, title_sv="").exists()
    assert not Membership.objects.filter(person__isnull=True, position_sv="").exists()
    assert not AppointmentTask.objects.filter(text_sv="").exists()


def test_the_migrations_fill_in_only_empty_swedish_texts_of_known_finnish_ones(
    loaded,
):
    Membership.objects.update(title_sv="", position_sv="")
    AppointmentTask.objects.update(text_sv="")
    own = Membership.objects.get(person__last_name="Palonen")
    own.title_sv = "ledande expert"
    own.save()
    renamed = Membership.objects.get(person__last_name="Ferm")
    renamed.title = "kehitysjohtaja"
    renamed.save()

    for app, name in (
        ("members", "0006_membership_swedish_title_position"),
        ("secretariat", "0005_appointment_task_swedish_text"),
    ):
        import_module(f"{app}.migrations.{name}").swedish_fill(apps, None)

    own.refresh_from_db()
    renamed.refresh_from_db()
    assert own.title_sv == "ledande expert"
    assert renamed.title_sv == ""
    assert Membership.objects.get(person__last_name="Voutilainen").title_sv == (
        "specialsakkunnig"
    )
    assert Membership.objects.get(order=1, person__isnull=True).position_sv == (
        "statsminister"
    )
    assert [t.text_sv for t in AppointmentTask.objects.order_by("number")] == [
        sv for _fi, sv in seed.TASKS
    ]
