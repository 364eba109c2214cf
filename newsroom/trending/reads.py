"""Counting article reads without cookies or personal data.

A read is one page view of a live, public article, reported by the page's beacon
(`views.read`): the article page is a shared document that caches serve without
the app seeing it, so the page's own GET counts nothing. A beacon counts unless it
comes from a known bot, a prefetch, a page on another site, or a reader who asked
not to be tracked (`DNT: 1`, `Sec-GPC: 1`). Each reader counts once per article per
clock hour: the reader is recognised by a hash of their address and browser with a
salt that is random, kept only in memory or Redis, and replaced every day, so no
stored value can be traced back to a person and yesterday's hashes cannot be
recomputed.

Counting never writes to the database on the request path. With `REDIS_URL`, one
Lua call checks the hash and `HINCRBY`s a shared buffer; `flush()`, run by the
scheduler, moves the buffer into `ReadCount`. Without Redis, each app process
buffers in memory and a background thread flushes every `NEWSROOM_TRENDING_FLUSH`
seconds, and once more when the server stops cleanly (the ASGI lifespan shutdown in
newsroom/asgi.py, or at exit).
"""

import atexit
import datetime
import hashlib
import logging
import re
import secrets
import threading
import uuid
from collections import Counter

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import F
from django.utils import timezone

from newsroom.ratelimit.clients import client_address

from .models import FlushedBatch, ReadCount
from .selectors import countable_article_site

logger = logging.getLogger(__name__)

# Crawlers, link previewers, monitors and HTTP libraries. Browsers' own user agents
# contain none of these words.
BOTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|"
    r"monitor|uptime|pingdom|lighthouse|headless|phantomjs|selenium|puppeteer|"
    r"curl|wget|httpx|python|java/|okhttp|go-http-client|axios|node-fetch|"
    r"libwww|scrapy|feed|fetcher|reader/|validator|check_http",
    re.IGNORECASE,
)
PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")
# Do Not Track and Global Privacy Control: the reader asks not to be counted.
OPT_OUT_HEADERS = ("HTTP_DNT", "HTTP_SEC_GPC")
# The beacon comes from the article's own page (Fetch Metadata); a page elsewhere
# loading it would count people who never saw the article. Browsers without Fetch
# Metadata send no Sec-Fetch-Site and are counted.
OWN_PAGES = ("", "same-origin", "same-site")
SEEN_SECONDS = 3600 + 300  # a little past the hour the hash is for


def is_countable(request) -> bool:
    """Whether this beacon request may count a read: a browser's, on its own page,
    not prefetching, not opted out. Says nothing about the page read."""
    if not settings.NEWSROOM_TRENDING_COUNT_READS:
        return False
    if request.method not in ("GET", "POST"):  # the image's GET, the script's POST
        return False
    meta = request.META
    if any(meta.get(header) for header in PREFETCH_HEADERS):
        return False
    if any(meta.get(header, "").strip() == "1" for header in OPT_OUT_HEADERS):
        return False
    if meta.get("HTTP_SEC_FETCH_SITE", "") not in OWN_PAGES:
        return False
    agent = meta.get("HTTP_USER_AGENT", "")
    return bool(agent) and not BOTS.search(agent)


def hour_of(moment) -> datetime.datetime:
    return moment.astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0)


def count(request, page_id: int, now=None) -> bool:
    """Count one read of the article `page_id` if the request is countable, the
    article live and public, and this the reader's first read of it this hour.

    Costs no database write (and no query once the article's lookup is cached);
    never raises: a lost read is better than a failed request."""
    if not is_countable(request):
        return False
    if not _started:
        start_background_flush()
    hour = hour_of(now or timezone.now())
    try:
        if countable_article_site(page_id) is None:
            return False
        buffer = get_buffer()
        salt = buffer.salt(hour.date())
        reader = "|".join(
            (
                salt,
                client_address(request),
                request.META.get("HTTP_USER_AGENT", "")[:500],
                str(page_id),
                hour.isoformat(),
            )
        )
        seen = hashlib.sha256(reader.encode()).hexdigest()[:32]
        return buffer.add(page_id, hour, seen)
    except Exception:  # a lost read is better than a failed request
        logger.warning("could not count a read of page %s", page_id, exc_info=True)
        return False


def _field(page_id, hour) -> str:
    return f"{page_id}:{int(hour.timestamp())}"


def _parse(field) -> tuple[int, datetime.datetime]:
    page_id, stamp = (field.decode() if isinstance(field, bytes) else field).split(":")
    return int(page_id), datetime.datetime.fromtimestamp(int(stamp), tz=datetime.UTC)


class MemoryBuffer:
    """Counts held by this process until its next flush."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = Counter()
        self.seen = {}
        self.salts = {}

    def salt(self, day) -> str:
        with self.lock:
            if day not in self.salts:
                self.salts = {day: secrets.token_hex(16)}  # yesterday's is gone
            return self.salts[day]

    def add(self, page_id, hour, seen) -> bool:
        with self.lock:
            if seen in self.seen:
                return False
            self.seen[seen] = hour
            self.counts[_field(page_id, hour)] += 1
            return True

    def flush(self) -> int:
        with self.lock:
            counts, self.counts = self.counts, Counter()
            oldest = hour_of(timezone.now()) - datetime.timedelta(hours=1)
            self.seen = {key: h for key, h in self.seen.items() if h >= oldest}
        if not counts:
            return 0
        try:
            return write(counts)
        except Exception:
            with self.lock:  # keep them for the next flush
                self.counts.update(counts)
            raise


class RedisBuffer:
    """Counts in one Redis hash shared by every app server."""

    # Count a reader once: remember the hash for the hour, and only if it was new
    # add one to the page's field in the pending hash.
    COUNT = """
    if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
        return redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
    end
    return 0
    """

    def __init__(self, url, prefix):
        import redis

        self.client = redis.Redis.from_url(url)
        self.prefix = f"{prefix}:trending"
        self.pending = f"{self.prefix}:pending"
        self._count = self.client.register_script(self.COUNT)
        self.salts = {}

    def salt(self, day) -> str:
        if day not in self.salts:
            key = f"{self.prefix}:salt:{day:%Y%m%d}"
            self.client.set(key, secrets.token_hex(16), nx=True, ex=2 * 86400)
            self.salts = {day: self.client.get(key).decode()}
        return self.salts[day]

    def add(self, page_id, hour, seen) -> bool:
        keys = [f"{self.prefix}:seen:{seen}", self.pending]
        return bool(self._count(keys=keys, args=[SEEN_SECONDS, _field(page_id, hour)]))

    def flush(self) -> int:
        """Move the pending hash aside under a batch name, write every batch not yet
        written (including one a crashed flush left behind), then drop it."""
        import redis

        try:
            self.client.rename(self.pending, f"{self.prefix}:batch:{uuid.uuid4().hex}")
        except redis.ResponseError:  # nothing pending
            pass
        written = 0
        for key in self.client.scan_iter(match=f"{self.prefix}:batch:*", count=100):
            counts = Counter(
                {field: int(n) for field, n in self.client.hgetall(key).items()}
            )
            written += write(counts, batch=key.decode())
            self.client.delete(key)
        return written


def write(counts, batch=None) -> int:
    """Add buffered counts to `ReadCount` in one transaction; returns reads written.

    A named batch is recorded in the same transaction, so writing it again adds
    nothing.
    """
    from wagtail.models import Page

    parsed = Counter()
    for field, n in counts.items():
        parsed[_parse(field)] += n
    live = set(
        Page.objects.filter(pk__in={page for page, _hour in parsed}).values_list(
            "pk", flat=True
        )
    )
    total = 0
    with transaction.atomic():
        if batch is not None:
            # A batch's name ends in its unique id: the tail fits the column
            # whatever the install's key prefix.
            key = batch[-FlushedBatch._meta.get_field("key").max_length :]
            try:
                with transaction.atomic():
                    FlushedBatch.objects.create(key=key)
            except IntegrityError:
                return 0
        for (page_id, hour), n in parsed.items():
            if page_id not in live:
                continue  # deleted since it was read
            total += n
            rows = ReadCount.objects.filter(page_id=page_id, hour=hour)
            if rows.update(count=F("count") + n):
                continue
            try:
                with transaction.atomic():
                    ReadCount.objects.create(page_id=page_id, hour=hour, count=n)
            except IntegrityError:  # another flush created it first
                rows.update(count=F("count") + n)
    return total


_buffer = None
_buffer_lock = threading.Lock()


def get_buffer():
    global _buffer
    if _buffer is None:
        with _buffer_lock:
            if _buffer is None:
                if settings.REDIS_URL:
                    _buffer = RedisBuffer(
                        settings.REDIS_URL, settings.NEWSROOM_CACHE_PREFIX
                    )
                else:
                    _buffer = MemoryBuffer()
    return _buffer


def flush() -> int:
    """Write the buffered counts to the database; returns the number of reads."""
    return get_buffer().flush()


def prune_batches(now=None, days=2) -> int:
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    return FlushedBatch.objects.filter(flushed_at__lt=cutoff).delete()[0]


_started = False


def start_background_flush() -> None:
    """In-memory counting only: flush from a daemon thread every interval and at
    exit, started by the process's first read. With Redis the scheduler flushes,
    and app processes start nothing."""
    global _started
    with _buffer_lock:
        if _started:
            return
        _started = True
    interval = settings.NEWSROOM_TRENDING_FLUSH
    if settings.REDIS_URL or not interval:
        return
    stop = threading.Event()

    def loop():
        while not stop.wait(interval):
            _flush_quietly()

    threading.Thread(target=loop, name="trending-flush", daemon=True).start()

    def at_exit():
        stop.set()
        _flush_quietly()

    atexit.register(at_exit)


def flush_on_exit() -> None:
    """The app server is stopping: write what this process holds in memory."""
    if not settings.REDIS_URL:
        _flush_quietly()


def _flush_quietly() -> None:
    try:
        flush()
    except Exception:
        logger.exception("could not flush read counts; keeping them for next time")
    finally:
        close_old_connections()
