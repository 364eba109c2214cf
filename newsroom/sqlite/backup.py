"""Copy live SQLite databases with SQLite's online backup API, all as of one moment.

A copy made with `cp` while the site runs can catch a page half written, and misses
whatever still sits in the write-ahead log. SQLite's backup API copies the pages
inside a read transaction instead: the copy is the database as of that
transaction's start, whatever writers commit meanwhile (in WAL mode they carry on;
only a checkpoint waits for the copy to finish).

Several files must also agree with each other. Holding every file's writer queue
(base.py) for an instant means no queued writer is inside a transaction on any of
them; a read transaction opened on each file then sees every file as of the same
commit. The queues are let go before any page is copied, so writers wait only for
that instant, never for the copy.
"""

import contextlib
import sqlite3
from pathlib import Path

from .base import WAIT_SECONDS, _writer_lock


def copy_databases(files: dict[Path, Path]) -> None:
    """Copy each database file (key) to its copy (value), all as of one moment.

    Raises FileNotFoundError for a database file that does not exist (connecting
    would create an empty one) and sqlite3.Error when SQLite refuses.
    """
    for source in files:
        if not Path(source).is_file():
            raise FileNotFoundError(f"no SQLite database at {source}")
    with contextlib.ExitStack() as stack:
        sources = {}
        for source in files:
            connection = sqlite3.connect(
                source, timeout=WAIT_SECONDS, isolation_level=None
            )
            stack.callback(connection.close)
            sources[source] = connection
        _begin_together(sources)
        for source, copy_path in files.items():
            with contextlib.closing(sqlite3.connect(copy_path)) as copy:
                # Pages go over in one step, inside the read transaction already
                # open on the source: the backup API uses it rather than its own.
                sources[source].backup(copy)


def _begin_together(sources: dict[Path, sqlite3.Connection]) -> None:
    """Open a read transaction on every source while no queued writer holds one."""
    locks = [_writer_lock(str(source)) for source in sorted(sources)]
    held = []
    try:
        for lock in locks:
            lock.acquire()
            held.append(lock)
        for connection in sources.values():
            connection.execute("BEGIN")
            # A read transaction takes its snapshot at its first read, not at BEGIN.
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        for lock in reversed(held):
            lock.release()
