import copy

import pytest

from tests.module_rows import made_once_per_module
from tests.theme_proposals.factories import proposal_world_create


@pytest.fixture(scope="module")
def _world_of_the_module(django_db_setup, django_db_blocker):
    yield from made_once_per_module(django_db_blocker, proposal_world_create)


@pytest.fixture
def world(db, _world_of_the_module):
    """The organisations, the cast and one theme."""
    return copy.deepcopy(_world_of_the_module)
