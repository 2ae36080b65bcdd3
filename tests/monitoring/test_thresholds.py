import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from monitoring.models import StatusThresholds
from monitoring.selectors import ProgressStatus, indicator_progress_list
from tests.monitoring.factories import IndicatorFactory, ObservationFactory

pytestmark = pytest.mark.django_db

# The factory's indicator runs from 100 (31.12.2023) to 200 (31.12.2025).
Q4_2024 = datetime.date(2024, 10, 1)
Q4_2025 = datetime.date(2025, 10, 1)


def test_the_secretariats_thresholds_override_the_settings(settings):
    settings.MONITORING_PROGRESS_THRESHOLDS = {"on_track": 0.7, "at_risk": 0.4}
    indicator = IndicatorFactory()
    ObservationFactory(indicator=indicator, period=Q4_2024, value=Decimal("130"))
    # 0.3 of the way at half time: at risk by the defaults (0.3 >= 0.4 × 0.5).
    assert (
        indicator_progress_list(indicators=[indicator])[0].status
        == ProgressStatus.AT_RISK
    )

    StatusThresholds.objects.create(on_track=Decimal("0.5"), at_risk=Decimal("0.2"))

    assert (
        indicator_progress_list(indicators=[indicator])[0].status
        == ProgressStatus.ON_TRACK
    )


def test_a_target_date_passed_without_reaching_the_target_is_off_track():
    indicator = IndicatorFactory()
    # 95 % of the way, but the last period ends on the target date.
    ObservationFactory(indicator=indicator, period=Q4_2025, value=Decimal("195"))

    progress = indicator_progress_list(indicators=[indicator])[0]

    assert not progress.reached
    assert progress.status == ProgressStatus.OFF_TRACK


def test_reaching_the_target_late_is_still_on_track():
    indicator = IndicatorFactory()
    ObservationFactory(indicator=indicator, period=Q4_2025, value=Decimal("200"))

    assert (
        indicator_progress_list(indicators=[indicator])[0].status
        == ProgressStatus.ON_TRACK
    )


@pytest.mark.parametrize(
    ("on_track", "at_risk"),
    [("0.3", "0.5"), ("1.2", "0.4"), ("0.7", "-0.1")],
)
def test_thresholds_must_be_ordered_within_zero_and_one(on_track, at_risk):
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusThresholds.objects.create(
            on_track=Decimal(on_track), at_risk=Decimal(at_risk)
        )
