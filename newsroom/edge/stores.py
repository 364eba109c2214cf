"""The page cache this process uses, chosen by settings (NEWSROOM_PAGE_CACHE)."""

import functools

from django.conf import settings

from .store import LocalStore, RedisStore


@functools.cache
def get_store():
    """The store NEWSROOM_PAGE_CACHE names. A value `manage.py check` reports
    (edge/checks.py: unknown, or redis without REDIS_URL) works meanwhile as auto."""
    kind = settings.NEWSROOM_PAGE_CACHE
    limit = settings.NEWSROOM_PAGE_CACHE_MB * 1024 * 1024
    if kind == "off":
        return None
    if kind == "local" or not settings.REDIS_URL:
        return LocalStore(settings.DATA_DIR / "edge-purges.log", limit)
    return RedisStore(settings.REDIS_URL, settings.NEWSROOM_CACHE_PREFIX, limit)
