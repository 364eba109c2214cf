"""The platform under the pages: settings from the environment, SQLite tuning,
PostgreSQL migrations, the Redis cache, and the demo loader's idempotence."""

import os
import secrets

import pytest

from conftest import port_open, service_missing
from newsroom.demo.server import embedded_env, manage


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=embedded_env(
            NEWSROOM_DATA_DIR=str(tmp_path),
            SECRET_KEY=secrets.token_urlsafe(64),
            ALLOWED_HOSTS="news.example.com",
            NEWSROOM_HTTPS="1",
            NEWSROOM_TASKS="database",
            EMAIL_URL="smtp+tls://newsroom:secret@mail.example.com:587",
            DEFAULT_FROM_EMAIL="Newsroom <news@example.com>",
            NEWSROOM_TRUSTED_PROXIES="127.0.0.1",
        ),
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_embedded_mode_generates_and_keeps_a_secret_key(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    env = embedded_env(NEWSROOM_DATA_DIR=str(tmp_path))
    first = manage("shell", "-v", "0", "-c", code, env=env, check=False)
    second = manage("shell", "-v", "0", "-c", code, env=env, check=False)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_sqlite_runs_in_wal_with_a_busy_timeout(tmp_path):
    # A subprocess in the embedded mode, whatever database the suite itself runs on.
    code = (
        "from django.db import connection\n"
        "c = connection.cursor()\n"
        "mode = c.execute('PRAGMA journal_mode').fetchone()[0]\n"
        "timeout = c.execute('PRAGMA busy_timeout').fetchone()[0]\n"
        "print(mode, timeout, connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        env=embedded_env(NEWSROOM_DATA_DIR=str(tmp_path)),
        check=False,
    )
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"], result.stderr


def test_the_models_and_their_migrations_agree(tmp_path):
    check = manage(
        "makemigrations",
        "--check",
        "--dry-run",
        env=embedded_env(NEWSROOM_DATA_DIR=str(tmp_path)),
        check=False,
    )
    assert check.returncode == 0, check.stdout


@pytest.mark.django_db
def test_migrations_apply_on_a_fresh_postgresql_database():
    """Every migration applies to an empty PostgreSQL database, data migrations too.

    It runs where the suite runs on PostgreSQL (.ci/run): pytest-django has just
    made this worker's database that way, so the test reads it. A run on SQLite
    leaves it to CI (migrating a scratch database in a child process cost 40 s)."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if connection.vendor == "postgresql":
        executor = MigrationExecutor(connection)
        assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
        groups = set(Group.objects.values_list("name", flat=True))
        assert {"Writers", "Editors"} <= groups
        return
    pytest.skip("runs where the suite runs on PostgreSQL (CI)")


def test_redis_cache_is_used_when_redis_url_is_set():
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    if not port_open(url, 6379):
        service_missing("Redis", f"nothing listens at {url}")
    code = (
        "from django.core.cache import cache; from django.conf import settings\n"
        "cache.set('newsroom-probe', 41); cache.incr('newsroom-probe')\n"
        "print(settings.CACHES['default']['BACKEND'], cache.get('newsroom-probe'))"
    )
    result = manage(
        "shell", "-v", "0", "-c", code, env=embedded_env(REDIS_URL=url), check=False
    )
    assert result.stdout.split() == [
        "newsroom.edge.caches.FailSoftRedisCache",
        "42",
    ], result.stderr
    import redis

    assert redis.Redis.from_url(url).exists("newsroom:1:newsroom-probe") == 1


def test_loading_a_network_again_adds_nothing(network):
    """Every step of the loader looks before it creates: a second load over the
    baseline (the small network, loaded by the same steps) changes no row.
    comments/tests/test_demo.py loads the whole demo twice in its own directory."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Page, Revision, Site

    from newsroom.demo.loader import load_demo_network
    from newsroom.news.models import Author, NewsImage, WireAgency

    def counts():
        models = (Page, Revision, Site, Author, WireAgency, NewsImage, get_user_model())
        return tuple(model.objects.count() for model in models)

    before = counts()
    again = load_demo_network(
        port=80, content=network.content, draw_photo=network.draw_photo
    )
    assert counts() == before
    assert again.created and not any(again.created.values())
    assert len(again.articles) == len(network.content.ARTICLES)


def test_loading_the_demo_on_another_port_moves_the_sites(network):
    from wagtail.models import Site

    from newsroom.demo.loader import load_demo_network

    load_demo_network(port=8123, content=network.content, draw_photo=network.draw_photo)
    assert sorted(Site.objects.values_list("hostname", "port")) == [
        ("courier.localhost", 8123),
        ("ledger.localhost", 8123),
    ]
    assert Site.objects.filter(is_default_site=True).count() == 1
