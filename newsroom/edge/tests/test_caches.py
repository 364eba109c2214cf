"""The Redis cache misses, rather than fails, while Redis is away."""

import socket

from django.core.cache.backends.redis import RedisCache

from newsroom.edge.caches import FailSoftRedisCache


def closed_port() -> int:
    """A port nothing listens on: bound, then let go."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_cache_whose_redis_is_gone_misses_and_drops_writes(caplog):
    cache = FailSoftRedisCache(f"redis://127.0.0.1:{closed_port()}/0", {})

    assert cache.get("rules", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("counter", 1) is False
    cache.set("rules", {"x": 1})
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.delete("rules") is False
    assert not cache.has_key("rules")
    try:
        cache.incr("counter")
    except ValueError:
        pass
    else:
        raise AssertionError("incr of an unreachable counter must raise ValueError")
    assert "Redis is unavailable" in caplog.text


def test_django_redis_cache_would_have_raised():
    """What FailSoftRedisCache is for: Django's own backend raises."""
    import redis

    cache = RedisCache(
        f"redis://127.0.0.1:{closed_port()}/0",
        {"OPTIONS": {"socket_connect_timeout": 1}},
    )
    try:
        cache.get("rules")
    except redis.ConnectionError:
        return
    raise AssertionError("expected a ConnectionError")
