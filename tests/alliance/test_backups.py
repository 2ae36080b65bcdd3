"""The backup round trip: every row and file comes back, into empty targets only."""

import hashlib
import io
import os
import sqlite3
import stat
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections

from alliance.backups import (
    FILES_ARCHIVE,
    POSTGRESQL_ARCHIVE,
    SQLITE_ARCHIVE,
    stored_file_names,
)

ROOT = Path(__file__).resolve().parents[2]


def _stored_files_create():
    """Files like those the app stores, beside the world's attachment."""
    default_storage.save("jobs/2023/pöytäkirja 1.pdf", ContentFile(b"%PDF-1.4\n"))
    default_storage.save("empty.txt", ContentFile(b""))


def _rows_by_table(database) -> dict[str, list[tuple]]:
    quote = database.ops.quote_name
    rows = {}
    with database.cursor() as cursor:
        for table in database.introspection.table_names(cursor):
            key = database.introspection.get_primary_key_column(cursor, table)
            assert key, f"{table} has no primary key to order its rows by"
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(key)}")
            rows[table] = cursor.fetchall()
    return rows


def _file_digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def _restored_connection(name: str):
    """A second connection, like Django's own, to the database restored into."""
    default = connections[DEFAULT_DB_ALIAS]
    return type(default)({**default.settings_dict, "NAME": name}, "restored")


def _restore_in_a_new_process(backup: Path, *, database_url: str, media_root: Path):
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
        ),
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "restore", str(backup)],
        cwd=backup.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _assert_restored_as_backed_up(restored, media_root: Path, settings):
    expected_rows = _rows_by_table(connection)
    try:
        restored_rows = _rows_by_table(restored)
    finally:
        restored.close()
    assert sorted(restored_rows) == sorted(expected_rows)
    assert sum(len(rows) for rows in expected_rows.values()) > 100
    for table, rows in expected_rows.items():
        assert restored_rows[table] == rows, f"{table} differs after the restore"
    expected_files = _file_digests(Path(settings.MEDIA_ROOT))
    assert len(expected_files) == 3
    assert _file_digests(media_root) == expected_files


@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_restores_every_row_and_file_into_a_fresh_database(
    world, settings, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("the pg_dump round trip needs DATABASE_URL=postgres://... (CI)")
    _stored_files_create()
    call_command("backup", directory=tmp_path / "backups")
    (backup,) = (tmp_path / "backups").iterdir()
    assert sorted(path.name for path in backup.iterdir()) == sorted(
        [POSTGRESQL_ARCHIVE, FILES_ARCHIVE]
    )
    database = connection.settings_dict
    fresh = f"{database['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        result = _restore_in_a_new_process(
            backup,
            database_url=(
                f"postgres://{quote(database['USER'])}:{quote(database['PASSWORD'])}"
                f"@{database['HOST']}:{database['PORT']}/{fresh}"
            ),
            media_root=tmp_path / "restored-media",
        )
        assert result.returncode == 0, result.stderr

        restored = _restored_connection(fresh)
        with restored.cursor() as cursor:
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences")
            restored_sequences = sorted(cursor.fetchall())
        with connection.cursor() as cursor:
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences")
            assert restored_sequences == sorted(cursor.fetchall())
        _assert_restored_as_backed_up(restored, tmp_path / "restored-media", settings)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_is_a_consistent_copy_restored_only_into_empty_targets(
    world, settings, tmp_path
):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip runs where the tests run on SQLite")
    _stored_files_create()
    call_command("backup", directory=tmp_path / "backups")
    (backup,) = (tmp_path / "backups").iterdir()
    assert sorted(path.name for path in backup.iterdir()) == sorted(
        [SQLITE_ARCHIVE, FILES_ARCHIVE]
    )
    assert stat.S_IMODE(backup.stat().st_mode) == 0o700
    restored_database = tmp_path / "restored.sqlite3"
    occupied_media = tmp_path / "occupied-media"
    (occupied_media / "jobs").mkdir(parents=True)
    (occupied_media / "jobs" / "earlier.pdf").write_bytes(b"earlier")

    refused = _restore_in_a_new_process(
        backup,
        database_url=f"sqlite:///{restored_database}",
        media_root=occupied_media,
    )
    restored = _restore_in_a_new_process(
        backup,
        database_url=f"sqlite:///{restored_database}",
        media_root=tmp_path / "restored-media",
    )

    assert refused.returncode != 0
    assert "file storage is not empty" in refused.stderr
    assert _file_digests(occupied_media) == {
        "jobs/earlier.pdf": hashlib.sha256(b"earlier").hexdigest()
    }
    assert restored.returncode == 0, restored.stderr
    _assert_restored_as_backed_up(
        _restored_connection(str(restored_database)),
        tmp_path / "restored-media",
        settings,
    )


def _backup_directory(path: Path, *, file_names=()) -> Path:
    path.mkdir()
    for name in (POSTGRESQL_ARCHIVE, SQLITE_ARCHIVE):
        (path / name).write_bytes(b"")
    with tarfile.open(path / FILES_ARCHIVE, "w:gz") as tar:
        for name in file_names:
            member = tarfile.TarInfo(name)
            member.size = 4
            tar.addfile(member, io.BytesIO(b"data"))
    return path


@pytest.mark.django_db
def test_restore_refuses_a_database_with_tables_and_changes_nothing(tmp_path):
    backup = _backup_directory(tmp_path / "backup", file_names=["jobs/a.pdf"])

    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", backup)

    assert list(stored_file_names()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["../outside.txt", "/etc/cron.d/x", "a/../../b"])
def test_restore_refuses_an_archive_naming_a_file_outside_the_storage(tmp_path, name):
    backup = _backup_directory(tmp_path / "backup", file_names=[name])

    with pytest.raises(CommandError, match="not a stored file"):
        call_command("restore", backup)


@pytest.mark.django_db
def test_restore_refuses_an_archive_holding_a_file_twice(tmp_path):
    backup = _backup_directory(tmp_path / "backup", file_names=["a.pdf", "a.pdf"])

    with pytest.raises(CommandError, match="twice"):
        call_command("restore", backup)


@pytest.mark.django_db
def test_restore_names_what_is_missing_from_a_directory_that_is_no_backup(tmp_path):
    with pytest.raises(CommandError, match="is missing"):
        call_command("restore", tmp_path)


def _tables_of(sqlite_database: Path) -> list[str]:
    database = sqlite3.connect(sqlite_database)
    try:
        return [row[0] for row in database.execute("SELECT name FROM sqlite_master")]
    finally:
        database.close()


def test_a_file_that_cannot_be_stored_midway_leaves_the_storage_and_database_empty(
    tmp_path,
):
    # Object storage holds "b" and "b/c.pdf" side by side; a file system cannot, so the
    # third file fails after two were stored.
    backup = _backup_directory(
        tmp_path / "backup", file_names=["a.pdf", "b", "b/c.pdf"]
    )
    database = tmp_path / "restored.sqlite3"
    media_root = tmp_path / "media"

    result = _restore_in_a_new_process(
        backup, database_url=f"sqlite:///{database}", media_root=media_root
    )

    assert result.returncode != 0
    assert "b/c.pdf could not be restored" in result.stderr
    assert "the storage is left empty" in result.stderr
    assert "Traceback" not in result.stderr
    assert _file_digests(media_root) == {}
    assert _tables_of(database) == []


def test_a_database_that_cannot_be_restored_takes_the_restored_files_away(tmp_path):
    backup = _backup_directory(tmp_path / "backup", file_names=["a.pdf", "jobs/b.pdf"])
    (backup / SQLITE_ARCHIVE).write_bytes(b"not a database, though named like one")
    database = tmp_path / "restored.sqlite3"
    media_root = tmp_path / "media"

    result = _restore_in_a_new_process(
        backup, database_url=f"sqlite:///{database}", media_root=media_root
    )

    assert result.returncode != 0
    assert _file_digests(media_root) == {}
    assert _tables_of(database) == []
