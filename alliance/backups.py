"""Backup and restore with the standard tools: the database and the stored files.

A backup is a directory with two archives. PostgreSQL is dumped by `pg_dump` in its
custom format (`database.pgdump`), restored by `pg_restore`; SQLite is copied through
its online backup API (`database.sqlite3`), which gives a consistent copy while the app
runs. The stored files go into `files.tar.gz` through Django's storage API, so that the
same code serves whatever storage `STORAGES["default"]` names. The database goes first:
every file its rows name was stored before the dump began, so it is in the tarball.

A restore only fills an empty database and an empty storage: it never mixes a backup
with data already there. Everything is checked before anything is written, and a restore
that fails on the way leaves both as they were: the stored files first, each one removed
again if a later file or the database cannot be restored (`pg_restore` runs in a single
transaction, SQLite's copy is one write).
"""

import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

POSTGRESQL_ARCHIVE = "database.pgdump"
SQLITE_ARCHIVE = "database.sqlite3"
FILES_ARCHIVE = "files.tar.gz"


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason for the operator."""


def backup_create(*, directory: Path) -> Path:
    """Write the database and the stored files into a new directory under `directory`.

    Return the new directory, named by the time of the backup.
    """
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    target = Path(directory) / f"allianssi-{stamp}"
    Path(directory).mkdir(parents=True, exist_ok=True)
    # Password hashes, sessions and personal data: for the service's user alone.
    target.mkdir(mode=0o700)
    try:
        if connection.vendor == "postgresql":
            _postgresql_dump(target / POSTGRESQL_ARCHIVE)
        elif connection.vendor == "sqlite":
            _sqlite_copy(target / SQLITE_ARCHIVE)
        else:
            raise BackupError(f"No backup is known for {connection.vendor}.")
        _files_archive(target / FILES_ARCHIVE)
    except BaseException:
        # A partial backup must not be mistaken for one that can be restored.
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def backup_restore(*, directory: Path) -> None:
    """Put the backup in `directory` into the empty database and the empty storage."""
    directory = Path(directory)
    database_archive = _database_archive(directory)
    files_archive = directory / FILES_ARCHIVE
    if not files_archive.is_file():
        raise BackupError(f"{files_archive} is missing: not a backup of Allianssi.")
    file_names = _archived_file_names(files_archive)
    _require_empty_database()
    if next(stored_file_names(), None) is not None:
        raise BackupError(
            "The file storage is not empty; restore only into an empty storage."
        )
    restored = _files_restore(files_archive, file_names)
    try:
        if connection.vendor == "postgresql":
            _postgresql_restore(database_archive)
        else:
            _sqlite_restore(database_archive)
    except BaseException:
        _files_remove(restored)
        raise


def stored_file_names(directory: str = ""):
    """Yield the name of every file in the default storage, depth first."""
    try:
        directories, files = default_storage.listdir(directory)
    except FileNotFoundError:
        # A storage never written to has no root directory yet.
        if directory:
            raise
        return
    for name in sorted(files):
        yield posixpath.join(directory, name)
    for name in sorted(directories):
        yield from stored_file_names(posixpath.join(directory, name))


def _database_archive(directory: Path) -> Path:
    expected = {"postgresql": POSTGRESQL_ARCHIVE, "sqlite": SQLITE_ARCHIVE}
    if connection.vendor not in expected:
        raise BackupError(f"No restore is known for {connection.vendor}.")
    archive = directory / expected[connection.vendor]
    if not archive.is_file():
        raise BackupError(
            f"{archive} is missing: the backup was not made from a "
            f"{connection.vendor} database like the one configured."
        )
    return archive


def _require_empty_database() -> None:
    try:
        tables = connection.introspection.table_names()
    except Exception as error:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} cannot be opened "
            f"({error}); create it empty first (PostgreSQL: createdb)."
        ) from error
    if tables:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty "
            f"({len(tables)} tables); restore only into an empty database."
        )


def _postgresql_environment() -> dict[str, str]:
    """Connect the PostgreSQL tools as Django connects, the password in the environment.

    Django's own `dbshell` helper maps the password, SSL and service options; the host,
    port, user and database follow here as variables so that no argument is a secret.
    """
    settings_dict = connection.settings_dict
    _arguments, secrets = connection.client.settings_to_cmd_args_env(settings_dict, [])
    environment = {**os.environ, **(secrets or {})}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    timeout = settings_dict.get("OPTIONS", {}).get("connect_timeout")
    if timeout:
        environment["PGCONNECT_TIMEOUT"] = str(timeout)
    return environment


def _run_postgresql_tool(arguments: list[str]) -> None:
    if shutil.which(arguments[0]) is None:
        raise BackupError(
            f"{arguments[0]} is not installed: install the PostgreSQL client of the "
            "server's major version (Debian: apt-get install postgresql-client)."
        )
    result = subprocess.run(
        arguments,
        env=_postgresql_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{arguments[0]} failed: {result.stderr.strip()}")


def _postgresql_dump(archive: Path) -> None:
    _run_postgresql_tool(
        ["pg_dump", "--format=custom", "--no-password", f"--file={archive}"]
    )


def _postgresql_restore(archive: Path) -> None:
    connection.close()
    _run_postgresql_tool(
        [
            "pg_restore",
            "--no-owner",
            "--no-password",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(archive),
        ]
    )


def _sqlite_copy(archive: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(archive)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _sqlite_restore(archive: Path) -> None:
    connection.close()
    database = Path(connection.settings_dict["NAME"])
    database.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(archive)
    target = sqlite3.connect(database)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _files_archive(archive: Path) -> None:
    # Not every storage knows a file's time, and a restore stores the files anew.
    archived_at = int(timezone.now().timestamp())
    with tarfile.open(archive, "w:gz") as tar:
        for name in stored_file_names():
            member = tarfile.TarInfo(name)
            member.size = default_storage.size(name)
            member.mtime = archived_at
            with default_storage.open(name, "rb") as stored:
                tar.addfile(member, stored)


def _archived_file_names(archive: Path) -> list[str]:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive} cannot be read: {error}") from error
    names = []
    for member in members:
        name = member.name
        if (
            not member.isfile()
            or posixpath.isabs(name)
            or posixpath.normpath(name) != name
            or name.startswith("..")
        ):
            raise BackupError(f"{archive} holds {name!r}, which is not a stored file.")
        if name in names:
            raise BackupError(f"{archive} holds {name!r} twice.")
        names.append(name)
    return names


def _files_restore(archive: Path, names: list[str]) -> list[str]:
    """Store every file of the archive and return their names; or none at all.

    A file that cannot be stored (a full disk, a name the storage cannot hold) stops the
    restore, and the files stored before it are removed, so that the storage is empty
    again and the restore can be run anew once the cause is mended.
    """
    saved_names = []
    # The file being written when a write fails, perhaps left half-written.
    name = None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for name in names:
                saved = default_storage.save(
                    name, File(tar.extractfile(name), name=name)
                )
                saved_names.append(saved)
                if saved != name:
                    raise BackupError(f"{name} was stored as {saved}.")
    except (OSError, tarfile.TarError) as error:
        _files_remove([*saved_names, name])
        raise BackupError(
            f"{name or archive} could not be restored ({error}); "
            "the storage is left empty."
        ) from error
    except BaseException:
        _files_remove([*saved_names, name])
        raise
    return saved_names


def _files_remove(names: list[str | None]) -> None:
    """Remove the files a restore stored, the one cut off half-written included.

    The storage was empty before the restore, so each of these names is its own.
    """
    for name in reversed(names):
        if name is not None and default_storage.exists(name):
            default_storage.delete(name)
