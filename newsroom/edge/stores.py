"""The page cache this process uses, chosen by settings (NEWSROOM_PAGE_CACHE)."""

import functools

from django.conf import settings

from .store import LocalStore, RedisStore


@functools.cache
def get_store():
    kind = settings.NEWSROOM_PAGE_CACHE
    limit = settings.NEWSROOM_PAGE_CACHE_MB * 1024 * 1024
    if kind == "off":
        return None
    if kind == "redis" or (kind == "auto" and settings.REDIS_URL):
        return RedisStore(settings.REDIS_URL, settings.NEWSROOM_CACHE_PREFIX, limit)
    return LocalStore(settings.DATA_DIR / "edge-purges.log", limit)
