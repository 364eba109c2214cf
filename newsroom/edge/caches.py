"""Django's Redis cache, failing soft: while Redis is away the cache misses.

Everything kept in the cache (the moderation rules, Wagtail's renditions, the API's
counters, pages' parts) can be had again from the database, so a Redis that is
down or restarting costs time, not answers: a read is a miss, a write is dropped,
and a warning is logged at most every LOG_EVERY seconds. Connections give up after
CONNECT_TIMEOUT so that a Redis that does not answer cannot hold a request.
What this means for each user of the cache is in docs/deployment.md ("When Redis
is away").
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
CONNECT_TIMEOUT = 0.5  # seconds
READ_TIMEOUT = 2.0  # seconds
LOG_EVERY = 10.0  # seconds between warnings while Redis stays away


class FailSoftRedisCache(RedisCache):
    _warned_at = 0.0

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", CONNECT_TIMEOUT)
        options.setdefault("socket_timeout", READ_TIMEOUT)
        super().__init__(server, params)

    def _soft(self, what: str, call, *args, missing=None):
        """`call(*args)`, or `missing` (logged at most every LOG_EVERY seconds)
        when Redis cannot be reached."""
        try:
            return call(*args)
        except UNAVAILABLE:
            now = time.monotonic()
            if now - FailSoftRedisCache._warned_at > LOG_EVERY:
                FailSoftRedisCache._warned_at = now
                logger.warning(
                    "Redis is unavailable: cache %s missed", what, exc_info=True
                )
            return missing

    def get(self, key, default=None, version=None):
        return self._soft("get", super().get, key, default, version, missing=default)

    def get_many(self, keys, version=None):
        return self._soft("get_many", super().get_many, keys, version, missing={})

    def has_key(self, key, version=None):
        return self._soft("has_key", super().has_key, key, version, missing=False)

    def add(self, key, value, timeout=None, version=None):
        add = super().add
        return self._soft("add", add, key, value, timeout, version, missing=False)

    def set(self, key, value, timeout=None, version=None):
        self._soft("set", super().set, key, value, timeout, version)

    def set_many(self, data, timeout=None, version=None):
        set_many = super().set_many
        return self._soft(
            "set_many", set_many, data, timeout, version, missing=list(data)
        )

    def touch(self, key, timeout=None, version=None):
        return self._soft("touch", super().touch, key, timeout, version, missing=False)

    def delete(self, key, version=None):
        return self._soft("delete", super().delete, key, version, missing=False)

    def delete_many(self, keys, version=None):
        self._soft("delete_many", super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        """A counter Redis cannot reach counts as missing (ValueError), as a key
        that expired would."""
        gone = object()
        found = self._soft("incr", super().incr, key, delta, version, missing=gone)
        if found is gone:
            raise ValueError(f"Key {key!r} not found (Redis unavailable)")
        return found

    def clear(self):
        return self._soft("clear", super().clear, missing=False)
