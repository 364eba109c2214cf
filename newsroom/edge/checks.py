"""System checks for the cache: REDIS_URL, which Django's cache, the page cache, read
counts, live updates and the task queue all connect to, and NEWSROOM_PAGE_CACHE.

docs/configuration.md lists every check id.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

REDIS_SCHEMES = ("redis", "rediss", "unix")
PAGE_CACHES = ("auto", "local", "redis", "off")
REDIS_HINT = (
    "Write REDIS_URL as redis://[:PASSWORD@]HOST:PORT/DB (rediss:// for TLS, "
    "unix:///path/to/redis.sock?db=DB for a socket), e.g. redis://127.0.0.1:6379/0."
)


@checks.register(checks.Tags.caches, "newsroom")
def check_redis_url(app_configs, **kwargs):
    """REDIS_URL is one Redis server's address, in a form redis-py reads.

    Django's cache would take several addresses (a primary and replicas, split at
    commas), but the page cache, read counts, live updates and the task queue hand
    REDIS_URL to redis-py whole. No part of the address is repeated in a message: a
    misplaced `@` or `:` puts part of a password anywhere in it.
    """
    url = settings.REDIS_URL
    if not url:
        return []
    if "," in url or ";" in url:
        return [
            checks.Error(
                "REDIS_URL must name one Redis server; it lists several.",
                hint=REDIS_HINT,
                id="newsroom.E012",
            )
        ]
    scheme = urlsplit(url).scheme
    if scheme not in REDIS_SCHEMES:
        found = f"not {scheme}://" if scheme else "it has no scheme"
        return [
            checks.Error(
                f"REDIS_URL must start with redis://, rediss:// or unix:// ({found}).",
                hint=REDIS_HINT,
                id="newsroom.E010",
            )
        ]
    problem = _unreadable(url)
    if problem:
        return [
            checks.Error(
                f"REDIS_URL cannot be read: {problem}.",
                hint=REDIS_HINT,
                id="newsroom.E011",
            )
        ]
    return []


def _unreadable(url: str) -> str:
    """What redis-py would refuse in the address, or silently read otherwise."""
    import redis

    parts = urlsplit(url)
    if parts.scheme != "unix":
        try:
            parts.port  # noqa: B018  (raises on a port that is not a number)
        except ValueError:
            return "its port is not a number"
        database = parts.path.strip("/")
        if database and not database.isdigit():
            # redis-py would quietly use database 0, perhaps another install's.
            return "what follows the host must be a database number"
    elif not parts.path:
        return "it names no socket path"
    try:
        redis.ConnectionPool.from_url(url)
    except ValueError as error:
        return str(error).rstrip(".")
    return ""


@checks.register(checks.Tags.caches, "newsroom")
def check_page_cache(app_configs, **kwargs):
    """NEWSROOM_PAGE_CACHE names a store, and the redis one has a Redis to use.

    Both mistakes work as auto meanwhile (edge/stores.py), so the site serves."""
    kind = settings.NEWSROOM_PAGE_CACHE
    if kind not in PAGE_CACHES:
        return [
            checks.Error(
                f"NEWSROOM_PAGE_CACHE must be one of {', '.join(PAGE_CACHES)}, not "
                f"{kind[:40]!r}; it works as auto in the meantime.",
                hint="Leave NEWSROOM_PAGE_CACHE unset (auto: Redis with REDIS_URL, "
                "else each process's memory), or see docs/caching.md.",
                id="newsroom.E013",
            )
        ]
    if kind == "redis" and not settings.REDIS_URL:
        return [
            checks.Error(
                "NEWSROOM_PAGE_CACHE=redis needs REDIS_URL, which is empty; pages are "
                "cached in each process's memory in the meantime.",
                hint="Set REDIS_URL, or set NEWSROOM_PAGE_CACHE=local (or unset it).",
                id="newsroom.E014",
            )
        ]
    return []
