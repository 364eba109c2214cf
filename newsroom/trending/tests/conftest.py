"""Fixtures for the trending tests: a fresh read buffer, in memory or in Redis."""

import uuid

import pytest

from conftest import port_open, service_missing
from newsroom.trending import reads

LOCAL_REDIS = "redis://127.0.0.1:6379/13"


def redis_url() -> str:
    """Redis at REDIS_URL, else the local test database; skips when nothing answers."""
    from django.conf import settings

    url = settings.REDIS_URL or LOCAL_REDIS
    if not port_open(url, 6379):
        service_missing("Redis", f"nothing answers at {url}")
    return url


def forget_keys(client, prefix: str) -> None:
    for key in client.scan_iter(match=f"{prefix}:*", count=500):
        client.delete(key)


@pytest.fixture
def redis_prefix():
    """A prefix of this test's own in the shared Redis; its keys go afterwards."""
    import redis

    url = redis_url()
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    client = redis.Redis.from_url(url)
    yield url, prefix
    forget_keys(client, prefix)
    client.close()


@pytest.fixture(params=["memory", "redis"])
def buffer(request, monkeypatch):
    """The buffer that counting on the request path and `reads.flush()` use, fresh
    for this test: the process's own memory, then a Redis shared by app servers."""
    if request.param == "memory":
        fresh = reads.MemoryBuffer()
    else:
        url, prefix = request.getfixturevalue("redis_prefix")
        fresh = reads.RedisBuffer(url, prefix)
    monkeypatch.setattr(reads, "_buffer", fresh)
    return fresh


@pytest.fixture
def memory_buffer(monkeypatch):
    fresh = reads.MemoryBuffer()
    monkeypatch.setattr(reads, "_buffer", fresh)
    return fresh
