"""Live updates: news on a channel reaches every stream listening to it.

A thread's events are rows (ThreadEvent), so any app server can replay them from a
reader's `Last-Event-ID`. What differs is how a waiting stream learns there is
something new. Each process has one hub (`hub()`) that every open stream registers
with; it runs in a thread of its own and wakes streams through their asyncio events:

- with REDIS_URL, one Redis pub/sub connection per process, subscribed to one pattern
  that covers every channel, relays each message to the streams of its channel. It is
  opened with the first stream, closed with the last, and reopened with backoff when
  Redis drops; once subscribed again it wakes every stream, which then reads what it
  missed from the database. While Redis is away the hub polls as below.
- without it, news announced in this process wakes its streams at once, and one
  poller per process notices the rest (written by uvicorn's other workers, the task
  worker, the scheduler): every POLL_SECONDS it asks the database once per kind of
  channel for all the streams open here, whatever their number.

The lower layer (`announce_to`, `ChannelListener`) is keyed by a channel name, so
other apps can stream their own news the same way, giving the hub a `Poll` that
finds changes for many keys in one query; `announce` and `Listener` are that layer
for one thread.
"""

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import threading
from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Max

logger = logging.getLogger(__name__)

POLL_SECONDS = 2.0  # without Redis: how late news from another process may arrive
CHANNEL = "newsroom:thread-events:{}"
# One subscription covers every channel: a breaking story's thread is open in every
# process anyway, and a pattern needs no round trip when a stream opens.
PATTERN = "newsroom:*"
CLIENT_NAME = "newsroom-live-{}"  # the hub's connection in CLIENT LIST, per process id
RECONNECT_FIRST_SECONDS = 0.5  # then doubled after each failure, up to the next
RECONNECT_MAX_SECONDS = 30.0
CHECK_SECONDS = 1.0  # how soon the hub notices that its last stream has closed
PING_SECONDS = 30.0  # a silent connection is asked for a PONG this often


class Poll(Protocol):
    """Finds news for many keys of one kind of channel in one query (without Redis).

    Called from the hub's poller thread only, with the keys of the channels open in
    this process; returns the keys that may have news, each with the id of its
    latest event where there is one (None otherwise). It must also find news that
    came after a stream opened but before the poll first asked about its key: a
    poll that keeps no cursor returns every key it has not been asked about before.
    """

    def __call__(self, keys: set[int]) -> dict[int, int | None]: ...


class _Channel:
    """The streams waiting on one channel in this process."""

    def __init__(self, poll: Poll | None, key: int | None):
        self.waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self.poll, self.key = poll, key
        self.heard = 0  # the latest event id announced here: a poll need not wake it


def _set_all(flags: list[asyncio.Event]) -> None:
    for flag in flags:
        flag.set()


class Hub:
    """Every stream of this process, and the one thing that wakes them."""

    def __init__(self):
        self.pid = os.getpid()
        self.name = CLIENT_NAME.format(self.pid)
        self.channels: dict[str, _Channel] = {}
        self.lock = threading.Lock()
        self.subscribed = False  # Redis relays this process's own announcements
        self.loop: asyncio.AbstractEventLoop | None = None
        self.wanted = asyncio.Event()  # a stream opened (set from any thread)
        # One thread for the poller's queries, so it keeps one database connection.
        self.database = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="newsroom-live-poll"
        )

    # Streams (any thread, any event loop) --------------------------------------

    def open(self, channel, waiter, *, poll: Poll | None, key: int | None) -> None:
        with self.lock:
            entry = self.channels.get(channel)
            if entry is None:
                entry = self.channels[channel] = _Channel(poll, key)
            entry.waiters.add(waiter)
            if self.loop is None:
                self.loop = asyncio.new_event_loop()
                threading.Thread(
                    target=self._main, name="newsroom-live", daemon=True
                ).start()
        self.loop.call_soon_threadsafe(self.wanted.set)

    def close(self, channel, waiter) -> None:
        with self.lock:
            entry = self.channels.get(channel)
            if entry is not None:
                entry.waiters.discard(waiter)
                if not entry.waiters:  # channels are per reader too: keep it small
                    del self.channels[channel]

    def wake(self, channel: str, event_id: int | None = None) -> None:
        """Wake the streams of `channel`; `event_id`: the news announced here."""
        with self.lock:
            entry = self.channels.get(channel)
            if entry is None:
                return
            if event_id is not None:
                entry.heard = max(entry.heard, event_id)
            waiters = list(entry.waiters)
        self._set(waiters)

    def wake_all(self) -> None:
        with self.lock:
            waiters = [w for entry in self.channels.values() for w in entry.waiters]
        self._set(waiters)

    @staticmethod
    def _set(waiters: Iterable[tuple[asyncio.AbstractEventLoop, asyncio.Event]]):
        by_loop = defaultdict(list)
        for loop, flag in waiters:
            by_loop[loop].append(flag)
        for loop, flags in by_loop.items():  # one wake-up per event loop
            try:
                loop.call_soon_threadsafe(_set_all, flags)
            except RuntimeError:  # that loop has closed, and its streams with it
                pass

    def _any_open(self) -> bool:
        with self.lock:
            return bool(self.channels)

    # The hub's own thread ------------------------------------------------------

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._run())

    async def _run(self) -> None:
        while True:
            self.wanted.clear()
            if not self._any_open():
                await self.wanted.wait()
                continue
            try:
                if settings.REDIS_URL:
                    await self._listen()
                else:
                    await self._poll_while_open()
            except Exception:  # the hub must outlive any failure; streams still end
                logger.exception("Live updates failed; starting again")
                await asyncio.sleep(RECONNECT_FIRST_SECONDS)

    async def _listen(self) -> None:
        """Relay Redis messages while streams are open; poll while Redis is away."""
        import redis.asyncio as aioredis

        delay = RECONNECT_FIRST_SECONDS
        while self._any_open():
            client = aioredis.Redis.from_url(settings.REDIS_URL, client_name=self.name)
            pubsub = client.pubsub()
            try:
                await pubsub.psubscribe(PATTERN)
                await self._relay(pubsub)  # returns when the last stream has closed
                continue
            except Exception as error:
                if self.subscribed:  # it was working: try again promptly
                    delay = RECONNECT_FIRST_SECONDS
                logger.warning(
                    "Lost Redis for live updates (%s); polling the database and "
                    "reconnecting in %.1f s",
                    error,
                    delay,
                )
            finally:
                self.subscribed = False
                with contextlib.suppress(Exception):  # gone with the connection
                    await pubsub.aclose()
                    await client.aclose()
            if not self._any_open():
                return
            await self._poll_while_open(until=self.loop.time() + delay)
            delay = min(delay * 2, RECONNECT_MAX_SECONDS)

    async def _relay(self, pubsub) -> None:
        pinged = False
        quiet = 0.0
        while self._any_open():
            message = await pubsub.get_message(timeout=CHECK_SECONDS)
            if message is None:
                quiet += CHECK_SECONDS
                if quiet >= PING_SECONDS:
                    if pinged:
                        raise ConnectionError("Redis did not answer a PING")
                    await pubsub.ping()
                    pinged, quiet = True, 0.0
                continue
            pinged, quiet = False, 0.0
            if message["type"] == "pmessage":
                self.wake(message["channel"].decode())
            elif message["type"] == "psubscribe":
                # Subscribed (again, if redis-py reconnected on its own): anything
                # published before now is in the database, so every stream reads.
                self.subscribed = True
                self.wake_all()

    async def _poll_while_open(self, until: float | None = None) -> None:
        while self._any_open():
            with self.lock:
                open_now = [
                    (name, entry.poll, entry.key, entry.heard)
                    for name, entry in self.channels.items()
                    if entry.poll is not None
                ]
            if open_now:
                news = await self.loop.run_in_executor(
                    self.database, _poll_once, open_now
                )
                for channel in news:
                    self.wake(channel)
            left = POLL_SECONDS if until is None else until - self.loop.time()
            if left <= 0:
                return
            await asyncio.sleep(min(POLL_SECONDS, left))


def _poll_once(open_now) -> list[str]:
    """Ask each kind of channel once about all its open keys (the poller's thread)."""
    close_old_connections()  # as a request would: honours CONN_MAX_AGE
    keys_by_poll = defaultdict(set)
    for _name, poll, key, _heard in open_now:
        keys_by_poll[poll].add(key)
    found = {}
    for poll, keys in keys_by_poll.items():
        try:
            found[poll] = poll(keys)
        except Exception:  # the database is away: try again next time
            logger.warning("Could not poll for live updates", exc_info=True)
            connection.close()
            found[poll] = {}
    woken = []
    for name, poll, key, heard in open_now:
        if key in found[poll]:
            latest = found[poll][key]
            if latest is None or latest > heard:  # not only what was announced here
                woken.append(name)
    return woken


_hub: Hub | None = None
_hub_lock = threading.Lock()


def hub() -> Hub:
    """This process's hub (a forked child gets its own)."""
    global _hub
    with _hub_lock:
        if _hub is None or _hub.pid != os.getpid():
            _hub = Hub()
        return _hub


def announce_to(channel: str, message: str | int = "") -> None:
    """Wake the streams listening on `channel` (after the news is committed).

    With REDIS_URL, `message` is published on `channel` for streams on every app
    server, this one included; streams in this process are woken directly when
    Redis is not relaying for it. An int `message` is the news's event id.
    """
    published = False
    if settings.REDIS_URL:
        try:
            _redis().publish(channel, message)
            published = True
        except Exception:  # a live update is a nicety; the hub polls meanwhile
            logger.warning("Could not publish %s %s to Redis", channel, message)
    local = hub()
    if not (published and local.subscribed):
        local.wake(channel, message if isinstance(message, int) else None)


def announce(event) -> None:
    """Wake the streams watching the event's thread (after the event is committed)."""
    announce_to(CHANNEL.format(event.thread_id), event.pk)


def record(thread_id: int, kind: str, data: dict):
    """Log what happened in a thread (a `ThreadEvent` of `kind`) and wake the streams
    watching it once the change commits. Call inside the transaction that made the
    change, so the log and the change commit together."""
    from .models import ThreadEvent

    event = ThreadEvent.objects.create(thread_id=thread_id, kind=kind, data=data)
    transaction.on_commit(lambda: announce(event))
    return event


_client = None


def _redis():
    global _client
    if _client is None:
        import redis

        _client = redis.Redis.from_url(settings.REDIS_URL)
    return _client


class NewThreadEvents:
    """Which threads have events the poller has not seen: one query for them all,
    on the primary key's index, however many threads are open."""

    def __init__(self):
        self.last_id: int | None = None

    def __call__(self, keys: set[int]) -> dict[int, int | None]:
        from .models import ThreadEvent

        events = ThreadEvent.objects.order_by()
        if self.last_id is None:  # first look: every open stream reads once
            self.last_id = events.aggregate(last=Max("pk"))["last"] or 0
            return dict.fromkeys(keys)
        latest = dict(
            events.filter(pk__gt=self.last_id)
            .values_list("thread_id")
            .annotate(last=Max("pk"))
        )
        self.last_id = max([self.last_id, *latest.values()])
        return {key: latest[key] for key in keys & latest.keys()}


THREAD_EVENTS = NewThreadEvents()


class ChannelListener:
    """Registered from the start, so nothing announced while the stream reads the
    database is missed: `async with ChannelListener(name) as news: await news.wait(t)`.

    `poll` and `key`: how the hub finds this channel's news without Redis (a
    channel without them hears only of news announced in this process).
    """

    def __init__(self, channel: str, *, poll: Poll | None = None, key=None):
        self.channel = channel
        self.poll, self.key = poll, key
        self.flag = asyncio.Event()

    async def __aenter__(self):
        self.waiter = (asyncio.get_running_loop(), self.flag)
        self.hub = hub()
        self.hub.open(self.channel, self.waiter, poll=self.poll, key=self.key)
        return self

    async def wait(self, timeout: float) -> bool:
        """Wait until the channel may have news (True) or `timeout` seconds pass
        (False: nothing new, no need to look)."""
        if not self.flag.is_set():
            try:
                await asyncio.wait_for(self.flag.wait(), timeout=max(timeout, 0))
            except TimeoutError:
                return False
        self.flag.clear()
        return True

    async def __aexit__(self, *exc):
        self.hub.close(self.channel, self.waiter)


class Listener(ChannelListener):
    """A ChannelListener for one thread: `async with Listener(thread_id) as news`."""

    def __init__(self, thread_id: int):
        super().__init__(CHANNEL.format(thread_id), poll=THREAD_EVENTS, key=thread_id)
        self.thread_id = thread_id
