"""One agency story is one article, however many schedulers take it at once."""

import os
import threading

import pytest

from newsroom.news.models import ArticlePage
from newsroom.wire import ingest, jobs
from newsroom.wire.models import WireItem
from newsroom.wire.parsing import parse

from .conftest import DATA, NOW

ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")


def ferry_entry():
    return parse("rss", (DATA / "rss.xml").read_bytes())[0]


def test_two_schedulers_claim_a_feed_once(make_feed):
    feed = make_feed("/rss", "rss")

    assert jobs.claim(feed, now=NOW) is True
    assert jobs.claim(feed, now=NOW) is False
    assert jobs.poll_feed(feed, now=NOW) is None


def test_an_entry_taken_twice_is_one_article(make_feed):
    """Two polls that both got past the claim (a restart mid-poll): sequential here,
    the database's unique constraint decides; the threaded run is below."""
    feed = make_feed("/rss", "rss")
    entry = ferry_entry()

    outcomes = [ingest.take_entry(feed, entry, now=NOW) for _ in range(2)]

    assert outcomes == [ingest.NEW, ingest.UNCHANGED]
    assert WireItem.objects.filter(feed=feed).count() == 1
    assert ArticlePage.objects.filter(title=entry.headline).count() == 1


@pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="needs PostgreSQL: SQLite runs one writer at a time; .ci/run runs it",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_schedulers_taking_one_entry_at_once_make_one_article(make_feed):
    from django.db import connection

    feed = make_feed("/rss", "rss")
    entry = ferry_entry()
    start = threading.Barrier(2)
    outcomes, errors = [], []

    def take():
        try:
            start.wait(timeout=10)
            outcomes.append(ingest.take_entry(feed, entry, now=NOW))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(outcomes) == [ingest.NEW, ingest.UNCHANGED]
    assert WireItem.objects.filter(feed=feed).count() == 1
    assert ArticlePage.objects.filter(title=entry.headline).count() == 1
