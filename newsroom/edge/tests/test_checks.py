"""The cache's configuration: REDIS_URL and NEWSROOM_PAGE_CACHE, judged by
`manage.py check` (newsroom/edge/checks.py)."""

import pytest
from django.core import checks

from newsroom.edge import stores
from newsroom.edge.store import LocalStore


def messages() -> list:
    return checks.run_checks(tags=["newsroom"])


def found() -> list[str]:
    return [message.id for message in messages()]


@pytest.fixture
def fresh_store():
    """get_store() chosen afresh for this test's settings, and again after it."""
    stores.get_store.cache_clear()
    yield stores.get_store
    stores.get_store.cache_clear()


@pytest.mark.parametrize(
    "url",
    [
        "",
        "redis://127.0.0.1:6379/15",
        "redis://:s3cret@redis.internal:6379/0",
        "rediss://redis.internal:6380/2",
        "unix:///run/redis/redis.sock?db=3",
    ],
)
def test_a_redis_address_passes(settings, url):
    settings.REDIS_URL = url

    assert found() == []


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://:s3cret@redis.internal:6379/0", "newsroom.E010"),
        ("127.0.0.1:6379", "newsroom.E010"),
        ("redis://:s3cret@redis.internal:six/0", "newsroom.E011"),
        ("redis://:s3cret@redis.internal:6379/cache", "newsroom.E011"),
        ("redis://redis.internal:6379/0?socket_timeout=soon", "newsroom.E011"),
        ("unix://", "newsroom.E011"),
        ("redis://:s3cret@a:6379/0,redis://:s3cret@b:6379/0", "newsroom.E012"),
    ],
)
def test_a_redis_address_redis_py_cannot_use_is_an_error(settings, url, error):
    settings.REDIS_URL = url

    assert found() == [error]
    assert "REDIS_URL" in messages()[0].msg
    assert "s3cret" not in messages()[0].msg  # a password stays out of the output


def test_an_unknown_page_cache_works_as_auto_and_is_an_error(settings, fresh_store):
    settings.REDIS_URL = ""
    settings.NEWSROOM_PAGE_CACHE = "varnish"

    assert found() == ["newsroom.E013"]
    assert isinstance(fresh_store(), LocalStore)


def test_a_redis_page_cache_without_redis_is_an_error(settings, fresh_store):
    settings.REDIS_URL = ""
    settings.NEWSROOM_PAGE_CACHE = "redis"

    assert found() == ["newsroom.E014"]
    assert isinstance(fresh_store(), LocalStore)

    settings.NEWSROOM_PAGE_CACHE = "local"
    assert found() == []
