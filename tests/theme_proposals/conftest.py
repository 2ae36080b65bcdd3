import pytest

from tests.theme_proposals.factories import proposal_world_create


@pytest.fixture
def world(db):
    """The organisations, the cast and one theme."""
    return proposal_world_create()
