"""One hub per process for every live stream (newsroom.live.channels), served by
uvicorn as `make demo` serves it.

With Redis, the streams of a process share one pub/sub connection, named
`newsroom-live-<pid>`, opened with the first stream and closed with the last; when
Redis drops it, the hub reconnects and the streams read what they missed. Without
Redis, the streams of a process wait on one poller, which asks the database once per
round for all of them, whatever their number.
"""

import time

import pytest
import requests

from conftest import LEDGER, port_open, service_missing

from .sse import Stream
from .test_live import base, post, session_for

STREAMS_PER_ARTICLE = 3  # on each of two articles
POLLER = "newsroom-live-poll"  # the name of the hub's database thread
WAIT_SECONDS = 15.0  # for what the server does in the background

# Python imports `sitecustomize` at start from PYTHONPATH: this one makes the served
# process write every query it runs, with the name of its thread, to a file.
QUERY_LOG = """
import os
import threading

from django.db.backends.signals import connection_created

_lock = threading.Lock()


def _log(execute, sql, params, many, context):
    line = threading.current_thread().name + "\\t" + " ".join(sql.split()) + "\\n"
    with _lock, open(os.environ["NEWSROOM_TEST_QUERY_LOG"], "a") as log:
        log.write(line)
    return execute(sql, params, many, context)


def _count_queries(sender, connection, **kwargs):
    if _log not in connection.execute_wrappers:
        connection.execute_wrappers.append(_log)


connection_created.connect(_count_queries)
"""


class Queries:
    """The served process's queries, as its sitecustomize logged them."""

    def __init__(self, path):
        self.path = path
        self.path.touch()

    def since(self, mark: int) -> list[tuple[str, str]]:
        """(thread name, SQL) of each query logged after `mark` (a `mark()`)."""
        with self.path.open("rb") as log:
            log.seek(mark)
            lines = log.read().decode().splitlines()
        return [tuple(line.split("\t", 1)) for line in lines]

    def mark(self) -> int:
        return self.path.stat().st_size


def event_log_reads(queries) -> list[tuple[str, str]]:
    return [(thread, sql) for thread, sql in queries if "comments_threadevent" in sql]


def by_poller(queries) -> list[tuple[str, str]]:
    return [(thread, sql) for thread, sql in queries if thread.startswith(POLLER)]


def until(condition, what: str):
    """Wait for something the server does on its own, with nothing to await."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not (found := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {WAIT_SECONDS} s: {what}")
        time.sleep(0.05)
    return found


def article_ids(server, count: int) -> list[int]:
    """The newest `count` Ledger articles (their page ids), from the JSON API."""
    listing = requests.get(
        base(server) + "/api/v1/articles", headers={"Host": LEDGER}, timeout=30
    ).json()["results"]
    ids = [article["id"] for article in listing if f"//{LEDGER}:" in article["url"]]
    assert len(ids) >= count, listing
    return ids[:count]


def open_streams(server, articles) -> dict[int, list[Stream]]:
    url = base(server) + "/comments/on/{}/events/"
    return {
        article: [Stream(url.format(article)) for _ in range(STREAMS_PER_ARTICLE)]
        for article in articles
    }


def close_all(streams):
    for watching in streams.values():
        for stream in watching:
            stream.close()


def everyone_sees(streams, article, comment):
    """Each stream on `article` receives the comment."""
    assert [s.next("comment")["id"] for s in streams[article]] == [
        comment
    ] * STREAMS_PER_ARTICLE


# Without Redis --------------------------------------------------------------------


@pytest.fixture(scope="module")
def polled(serve_demo, tmp_path_factory):
    """The demo on one uvicorn worker without Redis, its queries logged."""
    hooks = tmp_path_factory.mktemp("query-log")
    (hooks / "sitecustomize.py").write_text(QUERY_LOG)
    queries = Queries(hooks / "queries.log")
    env = {"PYTHONPATH": str(hooks), "NEWSROOM_TEST_QUERY_LOG": str(queries.path)}
    with serve_demo("hub-polled", env=env) as server:
        yield server, queries


def test_waiting_streams_share_one_query_per_poll(polled):
    server, queries = polled
    first, second = article_ids(server, 2)
    streams = open_streams(server, [first, second])
    try:
        # Posted in the same process: its streams are woken at once, each reads it.
        jje = session_for(server, "JJE")
        everyone_sees(streams, first, post(jje, server, first, "Tide's in."))
        mika = session_for(server, "Mika S")
        everyone_sees(streams, second, post(mika, server, second, "Ferries late."))

        # Every stream now waits. Watch two rounds of the poller.
        mark = queries.mark()

        def two_rounds():
            polls = by_poller(event_log_reads(queries.since(mark)))
            return polls if len(polls) >= 2 else None

        until(two_rounds, "two rounds of the poller")
        waiting = event_log_reads(queries.since(mark))
    finally:
        close_all(streams)

    # Only the poller read the event log: no stream of the six asked for itself, and
    # the comments they already have (announced here) woke none of them again.
    rounds = by_poller(waiting)
    # A stream may still be reading what woke it as the watch begins (once, not
    # every round): never one read per stream per round, as when each polled.
    assert len(waiting) - len(rounds) < sum(len(group) for group in streams.values())
    assert len({thread for thread, _sql in rounds}) == 1
    # One statement a round, for every thread at once: no thread id in it.
    assert all(sql == rounds[0][1] for _thread, sql in rounds)
    assert "GROUP BY" in rounds[0][1]
    assert '"thread_id" IN' not in rounds[0][1]
    assert '"thread_id" =' not in rounds[0][1]


# With Redis -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def relayed(serve_demo):
    """The demo on one uvicorn worker with Redis, and a client of that Redis."""
    import redis
    from django.conf import settings

    if not settings.REDIS_URL:
        pytest.skip("the Redis variant runs where the suite runs on Redis (CI)")
    url = settings.REDIS_URL
    if not port_open(url, 6379):
        service_missing("Redis", f"nothing answers at {url}")
    env = {
        "REDIS_URL": url,
        "NEWSROOM_CACHE_PREFIX": f"{settings.NEWSROOM_CACHE_PREFIX}-hub",
    }
    with serve_demo("hub-relayed", env=env) as server:
        yield server, redis.Redis.from_url(url)


def hub_connections(client, server) -> list[dict]:
    """The served process's live-update connections, from Redis's CLIENT LIST."""
    name = f"newsroom-live-{server.pid}"
    return [c for c in client.client_list() if c.get("name") == name]


def test_streams_share_one_redis_connection_that_comes_back(relayed):
    server, client = relayed
    assert hub_connections(client, server) == []  # opened with the first stream
    first, second = article_ids(server, 2)
    streams = open_streams(server, [first, second])
    try:
        (connection,) = until(
            lambda: hub_connections(client, server), "the hub's connection"
        )
        assert connection["sub"] == "0" and connection["psub"] == "1"

        jje = session_for(server, "JJE")
        everyone_sees(streams, first, post(jje, server, first, "Six of us here."))
        mika = session_for(server, "Mika S")
        everyone_sees(streams, second, post(mika, server, second, "And here."))
        assert [c["id"] for c in hub_connections(client, server)] == [connection["id"]]

        # Redis drops the connection; whatever is published meanwhile is lost to
        # the hub, which reconnects and has every stream read the event log.
        client.client_kill_filter(_id=connection["id"])
        harbourwatcher = session_for(server, "Harbourwatcher")
        after = post(harbourwatcher, server, first, "Still there?")
        everyone_sees(streams, first, after)
        (again,) = until(
            lambda: hub_connections(client, server), "the hub's new connection"
        )
        assert again["id"] != connection["id"]
    finally:
        close_all(streams)

    until(
        lambda: not hub_connections(client, server), "the hub closing with the streams"
    )
