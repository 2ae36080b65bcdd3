"""The example proposals that `bootstrap_alliance --demo` loads."""

import datetime
from collections import Counter

from django.db import transaction
from django.utils import timezone

from members.models import User
from themes.demo import EXAMPLE_NOTE, DemoDataError, demo_organisations_get
from themes.models import Theme
from themes.proposals.models import ThemeProposal
from themes.proposals.services import proposal_create, proposal_transition

Status = ThemeProposal.Status

# Example data

EXAMPLE_PROPOSALS = [
    {
        "city": "tampere",
        "author": "keskinen",
        "title": "Kaupunkien yhteinen datatalousalusta innovaatiotoiminnalle",
        "theme": "Innovaatiopolitiikka",
        "rationale": (
            "Kaupungeilla on paljon dataa, jota yritykset ja korkeakoulut voisivat "
            "hyödyntää uusien palvelujen kehittämisessä. Yhteinen alusta ja yhteiset "
            "käyttöehdot madaltaisivat kynnystä kokeiluihin."
        ),
        "proposed_measures": (
            "Kaupunkien avoimen datan yhteinen luettelo\n"
            "Yhteiset datan käyttöehdot yrityskokeiluille\n"
            "Datatalouden kokeiluraha pk-yrityksille"
        ),
        "expected_impact": (
            "Yritysten kokeilut kaupunkien datalla lisääntyvät, ja onnistuneet "
            "ratkaisut leviävät kaupungista toiseen."
        ),
        "submitted_days_ago": 12,
    },
    {
        "city": "helsinki",
        "author": "nyholm",
        "title": "Kansainvälisten opiskelijoiden työllistymisen kesäohjelma",
        "theme": None,
        "rationale": (
            "Moni kansainvälinen opiskelija lähtee Suomesta valmistuttuaan, koska "
            "ensimmäistä työpaikkaa ei löydy. Kesätyöohjelma kaupunkien ja yritysten "
            "kanssa tarjoaisi työkokemusta jo opintojen aikana."
        ),
        "proposed_measures": (
            "Kaupunkien yhteinen kesätyöohjelma kansainvälisille opiskelijoille\n"
            "Yritysten mentorointiverkosto"
        ),
        "expected_impact": (
            "Valmistuneista kansainvälisistä opiskelijoista yhä useampi jää Suomeen."
        ),
        "submitted_days_ago": None,
    },
]


def proposal_demo_load(*, today: datetime.date) -> dict[str, int]:
    """Load the example proposals: one submitted by Tampere, one Helsinki draft.

    Idempotent: a proposal is found by city and title among the examples and is
    written only when missing, so a second call writes nothing. Each is written by
    its author through the services, the submission dated as it would have happened
    and sending no e-mail. The organisations and the demo accounts (keskinen,
    nyholm, each in their city's group) must be loaded first; the example theme is
    linked when it exists.
    """
    counts = Counter(written=0, unchanged=0)
    organisations = demo_organisations_get(slugs={s["city"] for s in EXAMPLE_PROPOSALS})
    usernames = {spec["author"] for spec in EXAMPLE_PROPOSALS}
    authors = User.objects.in_bulk(sorted(usernames), field_name="username")
    missing = sorted(usernames - authors.keys())
    if missing:
        raise DemoDataError(
            "Load the demo accounts before the example proposals; missing: "
            + ", ".join(missing)
        )
    with transaction.atomic():
        for spec in EXAMPLE_PROPOSALS:
            city = organisations[spec["city"]]
            if ThemeProposal.objects.filter(
                is_example=True, city=city, title=spec["title"]
            ).exists():
                counts["unchanged"] += 1
                continue
            author = authors[spec["author"]]
            theme = (
                Theme.objects.filter(is_example=True, title=spec["theme"]).first()
                if spec["theme"]
                else None
            )
            proposal = proposal_create(
                city=city,
                by=author,
                is_example=True,
                title=spec["title"],
                rationale=spec["rationale"] + "\n\n" + EXAMPLE_NOTE,
                proposed_measures=spec["proposed_measures"],
                expected_impact=spec["expected_impact"],
                theme=theme,
            )
            counts["written"] += 1
            if spec["submitted_days_ago"] is not None:
                submitted_at = timezone.make_aware(
                    datetime.datetime.combine(
                        today - datetime.timedelta(days=spec["submitted_days_ago"]),
                        datetime.time(10, 0),
                    )
                )
                # Recorded as it would have happened; example steps send no e-mail.
                proposal_transition(
                    proposal=proposal,
                    to_status=Status.SUBMITTED,
                    by=author,
                    at=submitted_at,
                    notify=False,
                )
                counts["written"] += 1
    return dict(counts)
