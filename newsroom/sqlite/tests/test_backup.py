"""Two database files copied while a writer is between them come out as of one
moment: the copy waits for the writer's queue rather than catch one file after its
commit and the other before."""

import contextlib
import sqlite3
import threading

from newsroom.sqlite.backup import copy_databases
from newsroom.sqlite.base import _writer_lock

WAIT = 1  # second the copy is given to finish on its own, which it must not


def database(path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    # Commits stay in the write-ahead log, as on a busy site between checkpoints.
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA wal_autocheckpoint=0")
    connection.execute("CREATE TABLE IF NOT EXISTS story (id INTEGER PRIMARY KEY)")
    return connection


def rows(path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT count(*) FROM story").fetchone()[0]


def test_files_copied_mid_write_agree_with_each_other(tmp_path):
    first, second = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"
    one, two = database(first), database(second)
    for connection in (one, two):
        connection.execute("INSERT INTO story DEFAULT VALUES")
    queues = [_writer_lock(str(first)), _writer_lock(str(second))]

    # A writer changes both files, as the writer queue runs it: each transaction
    # holds its file's queue until it commits.
    for queue in queues:
        queue.acquire()
    for connection in (one, two):
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO story DEFAULT VALUES")
    one.execute("COMMIT")
    queues[0].release()  # the first file has the new row, the second not yet

    copies = {first: tmp_path / "first-copy", second: tmp_path / "second-copy"}
    copier = threading.Thread(target=copy_databases, args=(copies,))
    copier.start()
    copier.join(timeout=WAIT)
    waited = copier.is_alive()
    two.execute("COMMIT")
    queues[1].release()
    copier.join()

    assert waited
    assert rows(copies[first]) == rows(copies[second]) == 2
    assert rows(first) == rows(second) == 2
