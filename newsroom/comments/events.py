"""Live updates: news on a channel reaches every stream listening to it.

A thread's events are rows (ThreadEvent), so any app server can replay them from a
reader's `Last-Event-ID`. What differs is how a waiting stream learns there is
something new: with REDIS_URL, a Redis pub/sub message reaches streams on every app
server at once; without it, streams in this process are woken directly, and streams
in other processes (uvicorn's other workers) notice within POLL_SECONDS.

The lower layer (`announce_to`, `ChannelListener`) is keyed by a channel name, so
other apps can stream their own news the same way; `announce` and `Listener` are
that layer for one thread.
"""

import asyncio
import logging
import threading

from django.conf import settings

logger = logging.getLogger(__name__)

POLL_SECONDS = 2.0
CHANNEL = "newsroom:thread-events:{}"

_waiters: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {}
_lock = threading.Lock()


def announce_to(channel: str, message: str | int = "") -> None:
    """Wake the streams listening on `channel` (after the news is committed).

    Streams in this process are woken directly; with REDIS_URL, `message` is also
    published on `channel` for streams on every app server.
    """
    with _lock:
        waiters = list(_waiters.get(channel, ()))
    for loop, flag in waiters:
        loop.call_soon_threadsafe(flag.set)
    if settings.REDIS_URL:
        try:
            _redis().publish(channel, message)
        except Exception:  # a live update is a nicety; the stream still polls
            logger.warning("Could not publish %s %s to Redis", channel, message)


def announce(event) -> None:
    """Wake the streams watching the event's thread (after the event is committed)."""
    announce_to(CHANNEL.format(event.thread_id), event.pk)


_client = None


def _redis():
    global _client
    if _client is None:
        import redis

        _client = redis.Redis.from_url(settings.REDIS_URL)
    return _client


class ChannelListener:
    """Subscribed from the start, so nothing announced while the stream reads the
    database is missed: `async with ChannelListener(name) as news: await news.wait(t)`.
    """

    def __init__(self, channel: str):
        self.channel = channel
        self.flag = asyncio.Event()
        self.pubsub = None
        self.client = None

    async def __aenter__(self):
        self.entry = (asyncio.get_running_loop(), self.flag)
        with _lock:
            _waiters.setdefault(self.channel, set()).add(self.entry)
        if settings.REDIS_URL:
            try:
                import redis.asyncio as aioredis

                self.client = aioredis.Redis.from_url(settings.REDIS_URL)
                self.pubsub = self.client.pubsub()
                await self.pubsub.subscribe(self.channel)
            except Exception:  # Redis away: the stream polls instead
                logger.warning("Redis unavailable for live updates; polling instead")
                self.pubsub = None
        return self

    async def wait(self, timeout: float) -> None:
        """Return when the channel may have news, or after `timeout` seconds."""
        if self.pubsub is not None:
            try:
                message = await self.pubsub.get_message(
                    ignore_subscribe_messages=True, timeout=timeout
                )
                if message is None:
                    return
                # Drain whatever else arrived; one database read covers them all.
                while await self.pubsub.get_message(
                    ignore_subscribe_messages=True, timeout=0
                ):
                    pass
                return
            except Exception:
                logger.warning("Lost Redis for live updates; polling instead")
                self.pubsub = None
        try:
            await asyncio.wait_for(self.flag.wait(), timeout=min(timeout, POLL_SECONDS))
        except TimeoutError:
            pass
        self.flag.clear()

    async def __aexit__(self, *exc):
        with _lock:
            waiters = _waiters.get(self.channel, set())
            waiters.discard(self.entry)
            if not waiters:  # channels are per reader too: keep the dict small
                _waiters.pop(self.channel, None)
        if self.pubsub is not None:
            await self.pubsub.aclose()
        if self.client is not None:
            await self.client.aclose()


class Listener(ChannelListener):
    """A ChannelListener for one thread: `async with Listener(thread_id) as news`."""

    def __init__(self, thread_id: int):
        super().__init__(CHANNEL.format(thread_id))
        self.thread_id = thread_id
