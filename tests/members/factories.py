import datetime

import factory

from members.models import Body, Membership, Organisation, Person
from secretariat.seed import OFFICIAL_NAMES, ORGANISATIONS


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    kind = Organisation.Kind.CITY
    slug = factory.Sequence(lambda n: f"org-{n}")
    name_fi = factory.LazyAttribute(lambda o: o.slug.title())
    name_sv = factory.LazyAttribute(lambda o: f"{o.slug.title()} (sv)")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Etunimi{n}")
    last_name = factory.Sequence(lambda n: f"Sukunimi{n}")
    gender = Person.Gender.WOMAN


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    kind = Body.Kind.SECRETARIAT
    slug = factory.Sequence(lambda n: f"body-{n}")
    name_fi = "Testisihteeristö"
    name_sv = "Testsekretariatet"
    name_fi_inessive = "Testisihteeristössä"
    term_start = datetime.date(2023, 9, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    body = factory.SubFactory(BodyFactory)
    person = factory.SubFactory(PersonFactory)
    role = Membership.Role.MEMBER
    start = datetime.date(2023, 9, 1)
    order = factory.Sequence(lambda n: n)


def standard_organisations_create() -> dict[str, Organisation]:
    """Create the decision's four ministries and six cities, keyed by slug."""
    return {
        slug: OrganisationFactory(
            slug=slug,
            kind=kind,
            name_fi=name_fi,
            name_sv=name_sv,
            official_name_fi=OFFICIAL_NAMES[slug][0],
            official_name_sv=OFFICIAL_NAMES[slug][1],
            official_name_en=OFFICIAL_NAMES[slug][2],
            abbreviation=abbreviation,
        )
        for slug, kind, name_fi, name_sv, abbreviation in ORGANISATIONS
    }
