"""Where the page cache keeps its entries.

`LocalStore` keeps them in the memory of each app process (the embedded default).
Several processes share one data directory, so purges travel through a small
append-only log there (`edge-purges.log`): `purge()` appends one line per purge with
a single write (atomic under O_APPEND), and every process reads what was appended
before it answers its next request; a `stat()` per request is all it costs. The
log starts afresh when it grows past LOG_LIMIT; a process that sees a new file
forgets everything it holds, so no purge is ever missed.

`RedisStore` keeps entries in Redis, shared by every app server: a purge deletes
them there (each key's entries are listed in a set).
"""

import logging
import os
import pickle
import threading
import time
import uuid
from collections import OrderedDict, defaultdict
from pathlib import Path

logger = logging.getLogger(__name__)

LOG_LIMIT = 4 * 1024 * 1024
PURGED_REMEMBERED = 10_000  # recent purges kept for fills in flight (a minute's)


class LocalStore:
    def __init__(self, log_path: Path, max_bytes: int):
        self.log_path = Path(log_path)
        self.max_bytes = max_bytes
        self.entries: OrderedDict = OrderedDict()
        self.by_key: defaultdict = defaultdict(set)
        self.size = 0
        self.lock = threading.Lock()
        self._read_start()
        # When each key was last purged (monotonic), for the fills in flight.
        self.purged_at: dict = {}

    # -- reading and writing entries (the event loop's thread) ----------------
    def get(self, key: str):
        self.sync()
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: str, entry, started: float | None = None) -> None:
        """Keep `entry`, rendered from `started` (time.monotonic()) on, unless one
        of its keys was purged since then: it may show what was just changed."""
        if entry.size > self.max_bytes // 8:
            return  # one page must not push out hundreds
        self.sync()
        if started is not None and any(
            self.purged_at.get(name, 0) >= started for name in entry.keys
        ):
            return
        with self.lock:
            self._drop_entry(key)
            self.entries[key] = entry
            self.size += entry.size
            for name in entry.keys:
                self.by_key[name].add(key)
            while self.size > self.max_bytes and self.entries:
                self._drop_entry(next(iter(self.entries)))

    def __len__(self) -> int:
        return len(self.entries)

    # -- purging (any thread, any process) -------------------------------------
    def purge(self, names) -> None:
        line = (" ".join(sorted(names)) + "\n").encode()
        try:
            if self._position()[1] > LOG_LIMIT:
                self.log_path.unlink(missing_ok=True)
            self._create_log()
            fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)
        except OSError:
            logger.exception("Could not record a purge; clearing this process only")
            self.clear()
            return
        self.sync()

    def clear(self) -> None:
        with self.lock:
            self._clear_locked()

    def sync(self) -> None:
        """Apply what other processes (or threads) purged since the last look."""
        position = self._position()
        if position == self._seen:
            return
        with self.lock:
            try:
                with open(self.log_path, "rb") as log:
                    header = log.readline()
                    if not header.endswith(b"\n"):
                        return  # being created this instant: look again next time
                    if header != self._log_id:
                        if self._log_id is not None:
                            # The log started afresh: purges written to the old
                            # one after this process last read it are lost to it.
                            self._clear_locked()
                        self._log_id, self._offset = header, len(header)
                    log.seek(self._offset)
                    data = log.read()
            except FileNotFoundError:
                self._seen = position
                return
            complete = data.rfind(b"\n") + 1  # a line still being written waits
            self._apply(data[:complete].decode(errors="replace").split())
            self._offset += complete
            self._seen = (position[0], self._offset)

    # -- internals -------------------------------------------------------------
    def _create_log(self) -> None:
        """A new log starts with a line of its own name, so that readers tell it
        from the one before even when the system gives it the same inode."""
        try:
            fd = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return
        try:
            os.write(fd, f"#{uuid.uuid4().hex}\n".encode())
        finally:
            os.close(fd)

    def _read_start(self) -> None:
        """Start at the end of the log as it is: earlier purges are history."""
        self._log_id, self._offset = None, 0
        try:
            with open(self.log_path, "rb") as log:
                header = log.readline()
                if header.endswith(b"\n"):
                    self._log_id = header
                    self._offset = log.seek(0, os.SEEK_END)
        except FileNotFoundError:
            pass
        self._seen = (self._position()[0], self._offset)

    def _apply(self, names) -> None:
        now = time.monotonic()
        for name in names:
            self.purged_at[name] = now
            for key in self.by_key.pop(name, ()):
                self._drop_entry(key)
        if len(self.purged_at) > PURGED_REMEMBERED:
            horizon = now - 60
            self.purged_at = {
                name: when for name, when in self.purged_at.items() if when > horizon
            }

    def _position(self) -> tuple:
        try:
            stat = os.stat(self.log_path)
        except FileNotFoundError:
            return (0, 0)
        return (stat.st_ino, stat.st_size)

    def _clear_locked(self) -> None:
        self.entries.clear()
        self.by_key.clear()
        self.size = 0

    def _drop_entry(self, key: str) -> None:
        entry = self.entries.pop(key, None)
        if entry is None:
            return
        self.size -= entry.size
        for name in entry.keys:
            holders = self.by_key.get(name)
            if holders is not None:
                holders.discard(key)
                if not holders:
                    del self.by_key[name]


class RedisStore:
    """Entries in Redis (pickled; written and read only by this app), for every
    app server at once. Reads and writes from the edge are async; purges are sync
    (they come from Django code)."""

    def __init__(self, url: str, prefix: str, max_bytes: int):
        self.url = url
        self.prefix = f"{prefix}:edge"
        self.max_bytes = max_bytes
        self._async = None
        self._sync = None

    def _entry_key(self, key: str) -> str:
        return f"{self.prefix}:page:{key}"

    def _set_key(self, name: str) -> str:
        return f"{self.prefix}:key:{name}"

    def _client(self):
        if self._async is None:
            import redis.asyncio

            self._async = redis.asyncio.Redis.from_url(self.url)
        return self._async

    async def aget(self, key: str):
        try:
            data = await self._client().get(self._entry_key(key))
        except Exception:  # noqa: BLE001 - a cache that is down is a miss
            logger.warning("Redis page cache unavailable", exc_info=True)
            return None
        return pickle.loads(data) if data else None  # noqa: S301 - our own entries

    def _purged_key(self, name: str) -> str:
        return f"{self.prefix}:purged:{name}"

    async def aput(self, key: str, entry, started: float | None = None) -> None:
        """As LocalStore.put; `started` is a time.time() here (shared by servers)."""
        if entry.size > self.max_bytes:
            return
        ttl = max(1, int(entry.stale_until - time.time()) + 1)
        try:
            if started is not None and entry.keys:
                names = sorted(entry.keys)
                purged = await self._client().mget(
                    [self._purged_key(name) for name in names]
                )
                if any(when and float(when) >= started for when in purged):
                    return
            async with self._client().pipeline(transaction=False) as pipe:
                pipe.set(self._entry_key(key), pickle.dumps(entry), ex=ttl)
                for name in entry.keys:
                    pipe.sadd(self._set_key(name), key)
                    pipe.expire(self._set_key(name), 24 * 3600)
                await pipe.execute()
        except Exception:  # noqa: BLE001
            logger.warning("Redis page cache unavailable", exc_info=True)

    def purge(self, names) -> None:
        import redis

        if self._sync is None:
            self._sync = redis.Redis.from_url(self.url)
        try:
            sets = [self._set_key(name) for name in names]
            members = self._sync.sunion(sets) if sets else set()
            doomed = [self._entry_key(m.decode()) for m in members] + sets
            with self._sync.pipeline(transaction=False) as pipe:
                now = time.time()
                for name in names:
                    pipe.set(self._purged_key(name), now, ex=60)
                if doomed:
                    pipe.delete(*doomed)
                pipe.execute()
        except Exception:  # noqa: BLE001
            logger.exception("Could not purge the Redis page cache")
