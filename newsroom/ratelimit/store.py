"""The one counter store every rate limit counts in, shared by all app servers.

`hit(name, limit, window)` counts one attempt at `name` (an action and who makes it)
in a fixed window of `window` seconds that starts at the name's first hit, and
answers how many seconds to wait when that made more than `limit`; `hit_all` counts
several at once (a reader's minute and hour, their address's too) at the cost of
one. Every attempt counts, the refused ones too, so hammering a limit keeps it shut.

Where the counts live, read at each call:

- With `REDIS_URL`: in Redis, one key per name under `NEWSROOM_CACHE_PREFIX`. One
  MULTI/EXEC pipeline sets each key to 0 with its window as expiry if it is
  missing, INCRs it and reads its time left: atomic, one round trip.
- Otherwise: in the database (`Window`), one row per name, changed by a single
  `INSERT … ON CONFLICT DO UPDATE … RETURNING` (SQLite 3.35+, PostgreSQL) for all
  the names at once, which also restarts an ended window. The scheduler prunes
  ended rows (jobs.py).

When Redis does not answer, the count goes to the database instead (and a warning
to the log): the limits keep holding for every server, never failing open.
"""

import datetime
import hashlib
import logging
import math

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import Window

logger = logging.getLogger(__name__)

NAME_MAX = 200  # Window.name; a longer name is stored as its digest
REDIS_TIMEOUT = 1.0  # seconds to connect or answer before the database takes over

_clients: dict = {}


def hit(name: str, limit: int, window: int, *, now=None) -> int:
    """Count one attempt at `name`; return the seconds to wait when it is over
    `limit` attempts in `window` seconds, else 0. A `limit` of 0 is no limit (and
    counts nothing)."""
    return hit_all([(name, limit, window)], now=now)


def hit_all(limits, *, now=None) -> int:
    """`hit` for several `(name, limit, window)` at once (a reader's minute and
    hour, their address's too), in one statement or round trip; return the longest
    wait any of them asks for, else 0."""
    wanted = {}
    for name, limit, window in limits:
        if limit and limit > 0:
            wanted[_stored_name(name)] = (limit, max(1, int(window)))
    if not wanted:
        return 0
    counted = count_all({key: window for key, (_limit, window) in wanted.items()}, now)
    return max(
        (left for key, (hits, left) in counted.items() if hits > wanted[key][0]),
        default=0,
    )


def peek(name: str, limit: int, *, now=None) -> int:
    """The seconds to wait before one more attempt at `name` would be within
    `limit` (it has `limit` hits in its window already), else 0. Counts nothing: a
    sign-in form checks the failures so far before it counts one more."""
    if not limit or limit <= 0:
        return 0
    key = _stored_name(name)
    client = _redis()
    if client is not None:
        try:
            hits, left_ms = _redis_read(client, key)
        except _redis_errors() as error:
            logger.warning("rate limits: Redis did not answer (%s)", error)
        else:
            return math.ceil(left_ms / 1000) if hits >= limit and left_ms > 0 else 0
    now = now or timezone.now()
    row = Window.objects.filter(name=key, ends_at__gt=now).first()
    if row is None or row.hits < limit:
        return 0
    return _seconds_until(row.ends_at, now)


def forget(name: str) -> None:
    """Start `name`'s window afresh (a reader who reset their password may sign in
    again at once, however often they failed before)."""
    key = _stored_name(name)
    client = _redis()
    if client is not None:
        try:
            client.delete(_redis_key(key))
        except _redis_errors() as error:
            logger.warning("rate limits: Redis did not answer (%s)", error)
    Window.objects.filter(name=key).delete()


def count_all(windows: dict[str, int], now=None) -> dict[str, tuple[int, int]]:
    """Count one hit at each stored name, in a window of its number of seconds;
    return each name's (hits in its window so far, seconds left)."""
    client = _redis()
    if client is not None:
        try:
            return _redis_count(client, windows)
        except _redis_errors() as error:
            logger.warning(
                "rate limits: Redis did not answer, counting in the database (%s)",
                error,
            )
    return _database_count(windows, now or timezone.now())


def prune(now=None) -> int:
    """Forget the database's windows that have ended; return how many went."""
    deleted, _by_model = Window.objects.filter(
        ends_at__lte=now or timezone.now()
    ).delete()
    return deleted


# The database --------------------------------------------------------------------


# One statement counts a hit at each name: it makes the name's row or, in the DO
# UPDATE clause (where the table's name is the row as it was and `excluded` the row
# proposed), adds one to it, or starts it again at 1 when its window has ended.
COUNT_SQL = """
INSERT INTO ratelimit_window (name, hits, ends_at) VALUES {rows}
ON CONFLICT (name) DO UPDATE SET
    hits = CASE WHEN ratelimit_window.ends_at <= %s
        THEN 1 ELSE ratelimit_window.hits + 1 END,
    ends_at = CASE WHEN ratelimit_window.ends_at <= %s
        THEN excluded.ends_at ELSE ratelimit_window.ends_at END
RETURNING name, hits, ends_at
"""
ROW = "(%s, 1, %s)"


def _database_count(windows: dict[str, int], now) -> dict[str, tuple[int, int]]:
    adapt = connection.ops.adapt_datetimefield_value
    params = []
    for key, window in windows.items():
        params += [key, adapt(now + datetime.timedelta(seconds=window))]
    params += [adapt(now), adapt(now)]
    sql = COUNT_SQL.format(rows=", ".join([ROW] * len(windows)))  # noqa: S608 - placeholders only
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        key: (hits, _seconds_until(_aware(ends_at), now)) for key, hits, ends_at in rows
    }


def _aware(value) -> datetime.datetime:
    """A RETURNING datetime as an aware one (SQLite gives text in UTC)."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


def _seconds_until(moment, now) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


# Redis ---------------------------------------------------------------------------


def _redis():
    """A client for REDIS_URL (one connection pool per process), or None."""
    url = settings.REDIS_URL
    if not url:
        return None
    if url not in _clients:
        import redis

        _clients[url] = redis.Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
        )
    return _clients[url]


def _redis_errors():
    import redis

    return (redis.RedisError, OSError)


def _redis_key(key: str) -> str:
    return f"{settings.NEWSROOM_CACHE_PREFIX}:rl:{key}"


def _redis_count(client, windows: dict[str, int]) -> dict[str, tuple[int, int]]:
    """In one MULTI/EXEC: each key made 0 with its window as expiry if missing,
    INCRed, and its time left read."""
    keys = list(windows)
    with client.pipeline(transaction=True) as pipe:
        for key in keys:
            name = _redis_key(key)
            pipe.set(name, 0, ex=windows[key], nx=True)
            pipe.incr(name)
            pipe.pttl(name)
        answers = pipe.execute()
    counted = {}
    for number, key in enumerate(keys):
        _created, hits, left_ms = answers[3 * number : 3 * number + 3]
        if left_ms < 0:  # no expiry: left by something else; give it this window
            client.expire(_redis_key(key), windows[key])
            left_ms = windows[key] * 1000
        counted[key] = (int(hits), max(1, math.ceil(left_ms / 1000)))
    return counted


def _redis_read(client, key: str) -> tuple[int, int]:
    name = _redis_key(key)
    with client.pipeline(transaction=True) as pipe:
        pipe.get(name)
        pipe.pttl(name)
        hits, left_ms = pipe.execute()
    return int(hits or 0), left_ms


def _stored_name(name: str) -> str:
    """`name` itself, or its digest when it would not fit (an address or a key
    typed by a client can be long)."""
    if len(name) <= NAME_MAX:
        return name
    return "sha256:" + hashlib.sha256(name.encode()).hexdigest()
