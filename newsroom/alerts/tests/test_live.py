"""The masthead's unread count over Server-Sent Events, from uvicorn as `make demo`
serves it.

Two uvicorn workers, so a notification written by one process must reach a stream
held by the other: through Redis pub/sub when REDIS_URL is set, by polling otherwise.
"""

import json
import queue
import re
import threading

import pytest
import requests

from conftest import LEDGER
from newsroom.comments.tests.test_live import (
    an_article_id,
    base,
    post,
    session_for,
)

STREAM = "/notifications/stream/"
# Below the stream's 15 s heartbeat wait: with Redis, a count that arrives in time
# was woken by the announcement, not found by the next routine look.
WAKE_SECONDS = 8.0


@pytest.fixture(scope="module")
def server(served_twice):
    """The demo on two uvicorn workers, without Redis and then with it."""
    return served_twice


class UnreadStream:
    """One reader's stream, read in a thread; its counts arrive on `.counts`."""

    def __init__(self, session, server):
        self.counts = queue.Queue()
        self.response = session.get(base(server) + STREAM, stream=True, timeout=30)
        assert self.response.status_code == 200
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        event = {}
        try:
            for line in self.response.iter_lines(decode_unicode=True):
                if line == "":
                    if event.get("event") == "unread":
                        self.counts.put(json.loads(event["data"])["count"])
                    event = {}
                elif not line.startswith(":"):
                    field, _colon, value = line.partition(": ")
                    event[field] = value
        except (requests.RequestException, AttributeError):
            pass  # closed by the test: urllib3 drops the socket under the reader

    def next_count(self, timeout=WAKE_SECONDS) -> int:
        try:
            return self.counts.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no unread event within {timeout} s") from None

    def close(self):
        self.response.close()


def masthead_count(session, server) -> int:
    page = session.get(base(server) + "/", timeout=10).text
    return int(re.search(r'data-unread-count="(\d+)"', page).group(1))


def mark_all_read(session, server):
    response = session.post(
        base(server) + "/notifications/read/",
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302


def test_a_visitor_who_is_not_signed_in_gets_no_stream(server):
    response = requests.get(
        base(server) + STREAM, headers={"Host": LEDGER}, stream=True, timeout=10
    )

    assert response.status_code == 403
    assert not response.headers["Content-Type"].startswith("text/event-stream")


def test_the_count_follows_a_quote_and_reading_without_a_reload(server):
    jje = session_for(server, "JJE")
    before = masthead_count(jje, server)
    harbourwatcher = session_for(server, "Harbourwatcher")
    bystander = UnreadStream(harbourwatcher, server)
    watching = UnreadStream(jje, server)
    try:
        assert watching.response.headers["Content-Type"].startswith("text/event-stream")
        assert "no-cache" in watching.response.headers["Cache-Control"]
        assert watching.response.headers["X-Accel-Buffering"] == "no"
        # At once, what the masthead shows.
        assert watching.next_count() == before
        their_own = bystander.next_count()

        article = an_article_id(server)
        words = "The night buses were the only way home for my shift."
        source = post(jje, server, article, words)
        post(
            harbourwatcher,
            server,
            article,
            f"[quote={source}]{words}[/quote]\n\nMine too, on the Oedo line.",
        )
        assert watching.next_count() == before + 1

        mark_all_read(jje, server)
        assert watching.next_count() == 0
        # Nobody else's count moved, and nothing was said on their stream.
        assert bystander.counts.empty()
        assert masthead_count(harbourwatcher, server) == their_own
    finally:
        watching.close()
        bystander.close()

    # A new stream (a reconnecting browser) starts from the count as it is now.
    again = UnreadStream(jje, server)
    try:
        assert again.next_count() == 0
    finally:
        again.close()
