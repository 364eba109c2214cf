"""The embedded mode's databases: SQLite files, copied while the site runs.

The copy itself is newsroom.sqlite.backup's (SQLite's online backup API, every file
as of one moment). Here the copy is made ready to keep: renditions' rows dropped
with their files, checked, counted, and switched out of WAL mode so the file is
whole on its own.
"""

import contextlib
import sqlite3
from pathlib import Path

from django.conf import settings
from django.db import connections

from newsroom.sqlite.backup import copy_databases

from .manifest import (
    DATABASES,
    BackupError,
    counted_tables,
    last_migrations,
    rendition_tables,
)

VENDOR = "sqlite"


def configured_file(alias: str) -> Path:
    """The file this install keeps database `alias` in."""
    if connections[alias].vendor != VENDOR:
        raise BackupError(
            f"The database {alias!r} is {connections[alias].vendor} here, not SQLite."
        )
    if connections[alias].is_in_memory_db():
        raise BackupError(f"The database {alias!r} is in memory, not in a file.")
    return Path(settings.DATABASES[alias]["NAME"]).resolve()


def copy(work: Path) -> dict[str, tuple[Path, dict]]:
    """Copy every SQLite database of this install into `work`, as of one moment.

    Returns, by alias, the copy and what the manifest says of it.
    """
    files = {alias: configured_file(alias) for alias in settings.DATABASES}
    copies = {alias: work / f"{alias}.sqlite3" for alias in files}
    try:
        copy_databases({files[alias]: copies[alias] for alias in files})
    except (FileNotFoundError, sqlite3.Error) as error:
        raise BackupError(f"Cannot copy the database: {error}") from None
    return {
        alias: (
            copies[alias],
            {
                "vendor": VENDOR,
                "file": f"{DATABASES}/{alias}.sqlite3",
                "path": _shown(files[alias]),
                **_make_ready(copies[alias]),
            },
        )
        for alias in files
    }


def _shown(path: Path) -> str:
    """The database's place, relative to the data directory when it is inside."""
    try:
        return path.relative_to(settings.DATA_DIR).as_posix()
    except ValueError:
        return str(path)


def _make_ready(path: Path) -> dict:
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as database:
        _check(database, path)
        present = _tables(database)
        for table in rendition_tables():
            if table in present:
                database.execute(f"DELETE FROM {_quoted(table)}")  # noqa: S608
        described = describe(database)
        database.execute("PRAGMA journal_mode=DELETE")
    return described


def describe(database: sqlite3.Connection) -> dict:
    """The rows of every model table and each app's last migration."""
    present = _tables(database)
    counts = {
        table: database.execute(f"SELECT count(*) FROM {_quoted(table)}").fetchone()[0]  # noqa: S608
        for table in counted_tables()
        if table in present
    }
    rows = []
    if "django_migrations" in present:
        rows = database.execute(
            "SELECT app, name FROM django_migrations ORDER BY id"
        ).fetchall()
    return {"counts": counts, "migrations": last_migrations(rows)}


def read(path: Path) -> dict:
    """What a copy holds (describe's answer), once SQLite finds it sound."""
    try:
        with contextlib.closing(sqlite3.connect(path)) as database:
            _check(database, path)
            return describe(database)
    except sqlite3.Error as error:
        raise BackupError(
            f"{path.name} is not a sound SQLite database: {error}"
        ) from None


def _check(database: sqlite3.Connection, path: Path) -> None:
    verdict = database.execute("PRAGMA quick_check").fetchall()
    if verdict != [("ok",)]:
        found = "; ".join(row[0] for row in verdict[:3])
        raise BackupError(f"SQLite finds {path.name} damaged: {found}")


def _tables(database: sqlite3.Connection) -> set[str]:
    return {
        row[0]
        for row in database.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }


def _quoted(table: str) -> str:
    return '"' + table.replace('"', '""') + '"'
