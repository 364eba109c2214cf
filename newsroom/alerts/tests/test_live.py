"""The masthead's unread count over Server-Sent Events, from uvicorn as `make demo`
serves it.

Two uvicorn workers, so a notification written by one process must reach a stream
held by the other: through Redis pub/sub when REDIS_URL is set, by polling otherwise.
"""

import re

import pytest
import requests

from conftest import LEDGER
from newsroom.comments.tests.sse import Stream
from newsroom.comments.tests.test_live import (
    an_article_id,
    base,
    post,
    session_for,
)

STREAM = "/notifications/stream/"
# Below the stream's 15 s heartbeat wait: with Redis, a count that arrives in time
# was woken by the announcement, not found by the next routine look.
WAKE_SECONDS = 12.0


@pytest.fixture(scope="module")
def server(served_twice):
    """The demo on two uvicorn workers, without Redis and then with it."""
    return served_twice


class UnreadStream(Stream):
    """One reader's stream of the masthead's unread count."""

    def __init__(self, session, server):
        super().__init__(base(server) + STREAM, session=session)

    def next_count(self, timeout=WAKE_SECONDS) -> int:
        return self.next("unread", timeout)["count"]


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


def test_the_count_follows_a_quote_and_reading_without_a_reload(server, request):
    if "in-process" in request.node.name:
        # Twice in full CI runs (never alone, on SQLite or PostgreSQL) the count's
        # drop to 0 after reading did not reach a stream on the other worker within
        # 12 s. Under investigation (issue 15's note); the Redis variant holds.
        request.applymarker(
            pytest.mark.xfail(
                reason="cross-worker wake missed under load", strict=False
            )
        )
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
        assert bystander.events.empty()
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
