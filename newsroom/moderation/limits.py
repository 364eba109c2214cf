"""Rate limits kept in the cache, so with Redis they hold across app servers.

Each limit is a fixed window: the first hit in a window creates a counter with
`cache.add` and later hits `cache.incr` it; both are atomic in Redis and in the
local-memory cache. A burst limit (per minute) and a sustained one (per hour)
apply together, per reader and, more loosely, per network address.
"""

import time

from django.core.cache import cache

MINUTE = 60
HOUR = 3600


def hit(key: str, limit: int, window: int, *, peek: bool = False) -> int:
    """Count one hit; return how many seconds to wait if over `limit`, else 0."""
    if not limit:
        return 0
    now = int(time.time())
    start = now - now % window
    name = f"rl:{key}:{window}:{start}"
    if peek:
        count = cache.get(name, 0)
        return window - (now - start) if count >= limit else 0
    if cache.add(name, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.add(name, 1, timeout=window + 5)
            count = 1
    return window - (now - start) if count > limit else 0


def check(
    action: str,
    *,
    user_id,
    ip: str | None,
    per_minute: int,
    per_hour: int,
    ip_factor: int,
    peek: bool = False,
) -> int:
    """Seconds to wait before `action` is allowed again (0: go ahead)."""
    subjects = [(f"{action}:u{user_id}", 1)]
    if ip:
        subjects.append((f"{action}:ip{ip}", max(ip_factor, 1)))
    wait = 0
    for subject, factor in subjects:
        for limit, window in ((per_minute, MINUTE), (per_hour, HOUR)):
            wait = max(wait, hit(subject, limit * factor, window, peek=peek))
    return wait
