"""Writers queue for the database file instead of polling SQLite's busy handler
(newsroom/sqlite/base.py): proven with two processes of three threads each, every
one holding its write transaction longer than SQLite's own busy timeout would let
the others wait. Without the queue most of them fail with "database is locked"."""

import sqlite3
import subprocess
import sys
import textwrap

from django.conf import settings

WRITER = textwrap.dedent(
    """
    import sys, threading, time
    import django
    from django.conf import settings

    settings.configure(
        DATABASES={
            "default": {
                "ENGINE": "newsroom.sqlite",
                "NAME": sys.argv[1],
                # SQLite alone would give up on the others after 20 ms.
                "OPTIONS": {"timeout": 0.02, "transaction_mode": "IMMEDIATE"},
            }
        },
        USE_TZ=True,
    )
    django.setup()
    from django.db import connection, transaction

    failures = []

    def write(thread):
        try:
            for number in range(10):
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute(
                            "INSERT INTO written (who) VALUES (%s)",
                            [f"{sys.argv[2]}-{thread}-{number}"],
                        )
                    time.sleep(0.03)  # longer than the busy timeout
                # A write outside a transaction queues as well.
                with connection.cursor() as cursor:
                    cursor.execute(
                        "UPDATE written SET who = who WHERE who = %s",
                        [f"{sys.argv[2]}-{thread}-0"],
                    )
        except Exception as error:
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(len(failures), failures[:1])
    """
)


def test_writers_of_two_processes_queue_rather_than_fail(tmp_path):
    database = tmp_path / "queue.sqlite3"
    with sqlite3.connect(database) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE written (who TEXT UNIQUE)")
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(database), name],
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    outputs = [process.communicate(timeout=120) for process in processes]

    for out, err in outputs:
        assert out.strip() == "0 []", err[-2000:]
    with sqlite3.connect(database) as check:
        (count,) = check.execute("SELECT COUNT(*) FROM written").fetchone()
    assert count == 2 * 3 * 10
