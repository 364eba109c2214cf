"""Django's SQLite backend, with writers queued in line instead of polling.

SQLite lets one writer at a time into a database. Django's backend (with
`transaction_mode` IMMEDIATE) takes that lock at BEGIN, and a writer that finds it
taken waits in SQLite's busy handler, which sleeps 1, 2, 5, 10, 15, 20, 25... ms
between tries whatever the holder does. Under a burst of votes from two app servers
with eight threads each, most of a vote's time went to those sleeps (52 votes/s,
p50 470 ms, while the CPU idled).

This backend queues writers instead: a write transaction, and a write statement
run outside one, first takes a lock shared by every thread of the process and, for
a database file, an advisory lock on a file beside it shared by every process
(flock). The next writer in line starts the moment the previous one commits.
SQLite's own busy timeout still guards against writers that do not queue here
(the sqlite3 shell, another program). In-memory databases (the tests') are only
shared within a process, and a test's transaction spans the test, so they are left
to SQLite.
"""

import fcntl
import os
import threading
import time

from django.db.backends.sqlite3 import base

WAIT_SECONDS = 20  # as long as SQLite's busy timeout (settings.py)
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class _WriterLock:
    """One per database file in a process: re-entrant for the thread holding it."""

    def __init__(self, path: str):
        self.path = path
        self.local = threading.RLock()
        self.depth = 0
        self.fd = None

    def acquire(self) -> None:
        if not self.local.acquire(timeout=WAIT_SECONDS):
            raise base.Database.OperationalError("database is locked (writer queue)")
        self.depth += 1
        if self.depth > 1:
            return
        try:
            self._lock_file()
        except BaseException:
            self.depth -= 1
            self.local.release()
            raise

    def release(self) -> None:
        self.depth -= 1
        if self.depth == 0 and self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        self.local.release()

    def _lock_file(self) -> None:
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        # Another process's writer holds it: poll briefly (flock cannot time out
        # in a thread); writes take a millisecond or two, so waits are short.
        deadline = time.monotonic() + WAIT_SECONDS
        pause = 0.0001
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise base.Database.OperationalError(
                        "database is locked (writer queue)"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.002)


_locks: dict[str, _WriterLock] = {}
_locks_guard = threading.Lock()


def _writer_lock(database_file: str) -> _WriterLock:
    path = os.path.abspath(database_file) + "-writers.lock"
    with _locks_guard:
        if path not in _locks:
            _locks[path] = _WriterLock(path)
        return _locks[path]


class DatabaseWrapper(base.DatabaseWrapper):
    _writer = None  # the lock this connection holds for its transaction, if any

    def _queue(self):
        if self.is_in_memory_db():
            return None
        return _writer_lock(str(self.settings_dict["NAME"]))

    def _start_transaction_under_autocommit(self):
        lock = self._queue()
        if lock is None:
            return super()._start_transaction_under_autocommit()
        lock.acquire()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            lock.release()
            raise
        self._writer = lock

    def _let_go(self):
        lock, self._writer = self._writer, None
        if lock is not None:
            lock.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            if not self.connection or not self.connection.in_transaction:
                self._let_go()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._let_go()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._let_go()

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=QueuedCursor)
        cursor.queue = self._queue()
        return cursor


class QueuedCursor(base.SQLiteCursorWrapper):
    """A write outside a transaction (SQLite wraps it in one of its own) queues too."""

    queue = None

    def execute(self, query, params=None):
        if self.queue is None or self.connection.in_transaction or not _writes(query):
            return super().execute(query, params)
        self.queue.acquire()
        try:
            return super().execute(query, params)
        finally:
            self.queue.release()

    def executemany(self, query, param_list):
        if self.queue is None or self.connection.in_transaction or not _writes(query):
            return super().executemany(query, param_list)
        self.queue.acquire()
        try:
            return super().executemany(query, param_list)
        finally:
            self.queue.release()


def _writes(query: str) -> bool:
    return query.lstrip()[:7].upper().startswith(WRITES)
