import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder


@pytest.mark.django_db
def test_a_database_made_by_this_codes_migrations_passes():
    call_command("migrations_compatible")


@pytest.mark.django_db
def test_a_database_made_by_the_earlier_migrations_is_refused_in_one_line():
    MigrationRecorder(connection).record_applied("secretariat", "0002_meetings")

    with pytest.raises(CommandError) as refused:
        call_command("migrations_compatible")

    message = str(refused.value)
    assert "\n" not in message
    assert "secretariat.0002_meetings" in message
    assert "delete it" in message
