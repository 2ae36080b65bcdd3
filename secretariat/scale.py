"""Synthetic data at a chosen scale for benchmarks, added to the loaded seed.

Each app makes its own rows (its `scale` module); this module runs them in the order
the apps depend on each other and refuses a database without the seed.
"""

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from alliance.scale import ScaleContext
from members.models import Body, Organisation
from members.scale import nominations_generate
from monitoring.scale import monitoring_generate
from secretariat import seed
from secretariat.meetings.scale import meetings_generate
from secretariat.models import Appointment
from themes.proposals.scale import proposals_generate
from themes.scale import themes_generate

# The account the generated rows and their history are credited to; it cannot sign in.
SCALE_USERNAME = "synthetic-scale-data"


class SeedMissing(Exception):
    """The appointment decision and its bodies have not been loaded."""


def seed_is_loaded() -> bool:
    """Whether bootstrap_alliance has loaded the decision, the bodies and cities."""
    return (
        Appointment.objects.filter(
            diary_number=seed.APPOINTMENT["diary_number"]
        ).exists()
        and Body.objects.filter(
            kind__in=[Body.Kind.SECRETARIAT, Body.Kind.COOPERATION_GROUP]
        ).count()
        == 2
        and Organisation.objects.filter(kind=Organisation.Kind.CITY).count() == 6
    )


def scale_data_generate(*, scale: Decimal, seed_number: int = 0) -> dict[str, int]:
    """Add synthetic rows, linear in `scale`, the same for the same `seed_number`.

    Return the number of rows made by kind.
    """
    if not seed_is_loaded():
        raise SeedMissing
    with transaction.atomic():
        user, _ = get_user_model().objects.get_or_create(
            username=SCALE_USERNAME,
            defaults={
                "first_name": "Synthetic",
                "last_name": "Data",
                "is_active": False,
            },
        )
        context = ScaleContext(scale=scale, rng=random.Random(seed_number), user=user)
        counts, themes, measures = themes_generate(context=context)
        counts |= monitoring_generate(context=context, themes=themes, measures=measures)
        counts |= proposals_generate(context=context, themes=themes)
        counts |= meetings_generate(context=context, measures=measures)
        counts |= nominations_generate(context=context)
    return counts
