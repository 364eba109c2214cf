"""On PostgreSQL, `manage.py backup` wraps pg_dump and `manage.py restore` wraps
pg_restore: the test database backed up, restored into a fresh database created
for the test, holds the same rows table by table; a database with tables is
refused."""

import io
import os
import secrets
from urllib.parse import urlparse

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from deploy.cluster import create_database, drop_database
from newsroom.alerts.tests.processes import child_database_url
from newsroom.demo.server import manage

from ..manifest import counted_tables

pytestmark = [
    pytest.mark.postgres,
    # Decided before any fixture, so a run on SQLite sets up no database for it.
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: set DATABASE_URL (.ci/run does)",
    ),
]


def counts(database_url: str) -> dict[str, int]:
    with psycopg.connect(database_url) as database:
        present = {
            row[0]
            for row in database.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
        }
        return {
            table: database.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in counted_tables()
            if table in present
        }


def test_a_backup_restores_into_a_fresh_database_with_every_row(db, settings, tmp_path):
    source = child_database_url()  # the test database, its baseline committed
    fresh = urlparse(source)._replace(
        path=f"{urlparse(source).path}_restored_{secrets.token_hex(3)}"
    )
    fresh = fresh.geturl()
    environment = {**os.environ, "NEWSROOM_DATA_DIR": str(tmp_path / "site")}
    environment["NEWSROOM_MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    manage(
        "backup",
        "--output",
        f"{tmp_path}/backups/",
        env={**environment, "DATABASE_URL": source},
    )
    [archive] = (tmp_path / "backups").glob("newsroom-backup-*.tar.gz")

    settings.MEDIA_ROOT = settings.DATA_DIR / "media"
    with pytest.raises(CommandError, match="already has .* tables"):
        call_command(
            "restore",
            str(archive),
            data_dir=str(tmp_path / "in-use"),
            stdout=io.StringIO(),
        )

    create_database(fresh)
    try:
        restored = manage(
            "restore",
            str(archive),
            env={
                **{k: v for k, v in os.environ.items() if k != "NEWSROOM_MEDIA_ROOT"},
                "DATABASE_URL": fresh,
                "NEWSROOM_DATA_DIR": str(tmp_path / "restored"),
            },
        )
        assert "Database default restored (PostgreSQL)" in restored.stdout
        expected = counts(source)
        expected["news_newsrendition"] = 0  # renditions are made again, not kept
        assert expected["wagtailcore_page"] > 1
        assert counts(fresh) == expected
    finally:
        drop_database(fresh)
