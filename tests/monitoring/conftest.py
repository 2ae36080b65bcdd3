import pytest

from tests.monitoring.factories import monitoring_world


@pytest.fixture
def world(organisations):
    """The cast in the monitoring roles, and a theme with two indicators."""
    return monitoring_world(organisations)
