"""PostgreSQL: pg_dump and pg_restore, run with the connection's own parameters.

The programs are found on PATH and given the host, port, user and database the way
Django's `dbshell` gives them to psql (the password and TLS options through the
environment), never through a shell. pg_dump takes over a snapshot exported by a
transaction of ours, so the row counts in the manifest are those of the dump, however
busy the site is meanwhile.
"""

import os
import shutil
import subprocess
from pathlib import Path

from django.db import connections, transaction
from django.db.backends.postgresql.client import DatabaseClient

from .manifest import (
    DATABASES,
    BackupError,
    counted_tables,
    differences,
    last_migrations,
    rendition_tables,
)

VENDOR = "postgresql"
ERROR_LINES = 10  # of a program's error output, in the message when it fails


def dump(work: Path, alias: str = "default") -> tuple[Path, dict]:
    """Dump database `alias` into `work` (pg_dump's custom format, renditions'
    rows left out); return the dump and what the manifest says of it."""
    target = work / f"{alias}.pgdump"
    excluded = rendition_tables()
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        [snapshot] = cursor.fetchone()
        described = describe(alias, cursor, excluded=excluded)
        parameters = [
            "--format=custom",
            f"--file={target}",
            f"--snapshot={snapshot}",
            "--no-password",  # a scheduled backup fails rather than waits for one
            *(f"--exclude-table-data={table}" for table in excluded),
        ]
        _run("pg_dump", alias, parameters)
    return target, {
        "vendor": VENDOR,
        "file": f"{DATABASES}/{alias}.pgdump",
        "server_version": connection.pg_version,
        **described,
    }


def describe(alias: str, cursor, *, excluded=()) -> dict:
    """The rows of every model table (none for `excluded` ones, whose rows a dump
    leaves out) and each app's last migration, as `cursor` sees them."""
    connection = connections[alias]
    present = set(connection.introspection.table_names(cursor))
    counts = {}
    for table in counted_tables():
        if table in excluded:
            counts[table] = 0
        elif table in present:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    rows = []
    if "django_migrations" in present:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        rows = cursor.fetchall()
    return {"counts": counts, "migrations": last_migrations(rows)}


def require_empty(alias: str = "default") -> None:
    """Refuse a database that already has tables."""
    connection = connections[alias]
    tables = connection.introspection.table_names()
    if tables:
        name = connection.settings_dict["NAME"]
        raise BackupError(
            f"The database {name!r} already has {len(tables)} tables "
            f"({', '.join(tables[:3])}…). A backup restores only into an empty "
            "database: create one (createdb) and point DATABASE_URL at it. "
            "Nothing was restored."
        )


def restore(dump_file: Path, described: dict, alias: str = "default") -> dict:
    """Load `dump_file` into the empty database `alias` in one transaction, then
    check its rows and migrations against `described` (the manifest's); return
    what the database now holds."""
    connection = connections[alias]
    if not connection.settings_dict.get("NAME"):
        raise BackupError("DATABASE_URL names no database to restore into.")
    parameters = [
        "--exit-on-error",
        "--single-transaction",
        # Owned by the role the site connects as, whatever role made the dump.
        "--no-owner",
        "--no-privileges",
        "--no-password",
        "--dbname",  # followed by the database name, which the client adds last
    ]
    _run("pg_restore", alias, parameters, str(dump_file))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # pg_restore leaves the planner no statistics
        found = describe(alias, cursor)
    wrong = differences(described["counts"], found["counts"])
    wrong += differences(described["migrations"], found["migrations"])
    if wrong:
        raise BackupError(
            "The restored database differs from the backup's manifest: "
            + "; ".join(wrong[:5])
        )
    return found


def _run(program: str, alias: str, parameters: list[str], *after: str) -> None:
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            f"{program} is not on PATH: install PostgreSQL's client programs "
            "(Debian: postgresql-client), of the server's major version or newer."
        )
    settings_dict = connections[alias].settings_dict
    args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, parameters)
    args = [path, *args[1:], *after]
    result = subprocess.run(  # noqa: S603 - a list of arguments, no shell
        args,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        said = "\n".join(result.stderr.strip().splitlines()[-ERROR_LINES:])
        raise BackupError(f"{program} failed (exit {result.returncode}):\n{said}")
