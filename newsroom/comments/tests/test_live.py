"""Live updates over Server-Sent Events, from uvicorn as `make demo` serves it.

Two uvicorn workers, so an event written by one process must reach a stream held by
the other: through Redis pub/sub when REDIS_URL is set, by polling the event log
otherwise. Readers who reconnect with Last-Event-ID get what they missed.
"""

import re

import pytest
import requests

from conftest import LEDGER

from .sse import Stream


@pytest.fixture(scope="module")
def server(served_twice):
    """The demo on two uvicorn workers, without Redis and then with it."""
    return served_twice


def base(server) -> str:
    return f"http://127.0.0.1:{server.port}"


def session_for(server, name) -> requests.Session:
    """A reader signed in through the sign-in page."""
    session = requests.Session()
    session.headers["Host"] = LEDGER
    session.get(base(server) + "/accounts/login/", timeout=10)
    response = session.post(
        base(server) + "/accounts/login/",
        data={
            "login": name,
            "password": "newsroom-reader",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def an_article_id(server) -> int:
    front = requests.get(base(server) + "/", headers={"Host": LEDGER}, timeout=10).text
    path = re.search(r'class="card-headline"><a href="([^"]+)"', front).group(1)
    article = requests.get(
        base(server) + path.replace(f"http://{LEDGER}:{server.port}", ""),
        headers={"Host": LEDGER},
        timeout=10,
    ).text
    return int(re.search(r'id="comments"[^>]*data-page="(\d+)"', article).group(1))


def post(session, server, article_id, body):
    response = session.post(
        f"{base(server)}/comments/on/{article_id}/post/",
        data={"body": body, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:800]
    return int(response.headers["Location"].rsplit("#comment-", 1)[1])


def test_a_new_comment_and_a_vote_reach_a_reader_watching(server):
    article = an_article_id(server)
    watching = Stream(f"{base(server)}/comments/on/{article}/events/", {})
    try:
        jje = session_for(server, "JJE")
        comment = post(jje, server, article, "Live from the harbour, right now.")
        assert watching.next("comment")["id"] == comment

        voter = session_for(server, "Harbourwatcher")
        voter.post(
            f"{base(server)}/comments/{comment}/vote/",
            data={"value": "up", "csrfmiddlewaretoken": voter.cookies["csrftoken"]},
            timeout=10,
        )
        vote = watching.next("vote")
        assert (vote["id"], vote["up"], vote["down"]) == (comment, 1, 0)
    finally:
        watching.close()


def test_a_reconnecting_reader_gets_what_they_missed(server):
    article = an_article_id(server)
    first = Stream(f"{base(server)}/comments/on/{article}/events/", {})
    writer = session_for(server, "Mika S")
    post(writer, server, article, "Before the connection dropped.")
    seen = first.next("comment")
    first.close()

    other = session_for(server, "Old Kobe Hand")
    missed = post(other, server, article, "Written while they were away.")

    resumed = Stream(
        f"{base(server)}/comments/on/{article}/events/",
        {"Last-Event-ID": str(seen["event_id"])},
    )
    try:
        assert resumed.next("comment")["id"] == missed
    finally:
        resumed.close()
