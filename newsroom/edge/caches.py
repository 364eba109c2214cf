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

    def _unavailable(self, what: str) -> None:
        now = time.monotonic()
        if now - FailSoftRedisCache._warned_at > LOG_EVERY:
            FailSoftRedisCache._warned_at = now
            logger.warning("Redis is unavailable: cache %s missed", what, exc_info=True)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE:
            self._unavailable("get")
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNAVAILABLE:
            self._unavailable("get_many")
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNAVAILABLE:
            self._unavailable("has_key")
            return False

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNAVAILABLE:
            self._unavailable("add")
            return False

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNAVAILABLE:
            self._unavailable("set")

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNAVAILABLE:
            self._unavailable("set_many")
            return list(data)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNAVAILABLE:
            self._unavailable("touch")
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNAVAILABLE:
            self._unavailable("delete")
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNAVAILABLE:
            self._unavailable("delete_many")

    def incr(self, key, delta=1, version=None):
        """A counter Redis cannot reach counts as missing (ValueError), as a key
        that expired would."""
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE:
            self._unavailable("incr")
            raise ValueError(f"Key {key!r} not found (Redis unavailable)") from None

    def clear(self):
        try:
            return super().clear()
        except UNAVAILABLE:
            self._unavailable("clear")
            return False
