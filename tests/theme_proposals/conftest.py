import pytest

from tests.members.factories import standard_organisations_create


@pytest.fixture
def organisations(db):
    """The six cities and four ministries of the decision, by slug."""
    return standard_organisations_create()
