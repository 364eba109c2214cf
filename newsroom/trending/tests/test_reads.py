"""Counting reads: the beacon an article page sends once per page view, counted
once per reader and hour, buffered off the request path and written by the flush,
naming nobody. The beacon's own answers and markup: test_views.py."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom.comments.tests.helpers import an_article
from newsroom.news.tests.helpers import demo_article
from newsroom.trending import reads
from newsroom.trending.models import FlushedBatch, ReadCount

pytestmark = pytest.mark.django_db

CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
FIREFOX = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
)
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
READER_IP = "198.51.100.23"


def path_of(page) -> str:
    return page.get_url_parts()[2]


def beacon_of(page) -> str:
    return f"/trending/read/{page.pk}/"


def another_article(site="ledger"):
    return demo_article(lambda spec: spec["hours_ago"] > 1, site=site)[1]


def read(client, page, *, agent=CHROME, ip=READER_IP, **headers):
    """Send the page's beacon as its script does: a POST without cookies."""
    response = client.post(
        beacon_of(page), HTTP_USER_AGENT=agent, REMOTE_ADDR=ip, **headers
    )
    assert response.status_code == 204
    return response


def stored_reads(page=None) -> int:
    rows = ReadCount.objects.all()
    if page is not None:
        rows = rows.filter(page=page)
    return rows.aggregate(n=Sum("count"))["n"] or 0


def test_a_reader_counts_once_an_hour_and_another_browser_or_address_again(
    ledger, buffer
):
    article = an_article()

    read(ledger, article)
    read(ledger, article)
    assert stored_reads(article) == 0  # nothing reaches the database before a flush
    assert reads.flush() == 1
    assert stored_reads(article) == 1

    read(ledger, article)  # the same reader, later in the same hour
    read(ledger, article, agent=FIREFOX)  # another browser at the same address
    read(ledger, article, ip="203.0.113.9")  # the same browser elsewhere
    read(ledger, article, agent=SAFARI, ip="203.0.113.10")
    assert reads.flush() == 3
    assert stored_reads(article) == 4
    assert ReadCount.objects.filter(page=article).count() == 1  # one row an hour


def test_the_same_reader_counts_once_for_each_article(ledger, buffer):
    first, second = an_article(), another_article()
    assert first.pk != second.pk

    read(ledger, first)
    read(ledger, second)
    read(ledger, first)

    assert reads.flush() == 2
    assert (stored_reads(first), stored_reads(second)) == (1, 1)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_PURPOSE": "prefetch"},
        {"HTTP_X_PURPOSE": "preview"},
        {"HTTP_X_MOZ": "prefetch"},
    ],
    ids=["sec-purpose", "sec-purpose-prerender", "purpose", "x-purpose", "x-moz"],
)
def test_a_prefetch_is_answered_but_not_counted(ledger, memory_buffer, headers):
    article = an_article()

    read(ledger, article, **headers)

    read(ledger, article, agent=FIREFOX)  # a real visit afterwards still counts
    assert reads.flush() == 1
    assert stored_reads(article) == 1


def test_a_head_request_is_not_counted(ledger, memory_buffer):
    article = an_article()

    response = ledger.head(
        beacon_of(article), HTTP_USER_AGENT=CHROME, REMOTE_ADDR=READER_IP
    )

    assert response.status_code == 200
    assert reads.flush() == 0
    assert stored_reads() == 0


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
        "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
        "curl/8.11.0",
        "python-requests/2.32.3",
        "Python-urllib/3.11",
        "Wget/1.24.5",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/131.0.0.0 Safari/537.36",
        "",
    ],
    ids=[
        "googlebot",
        "bingbot",
        "curl",
        "python-requests",
        "urllib",
        "wget",
        "facebook",
        "headless",
        "empty",
    ],
)
def test_a_bot_or_library_is_answered_but_not_counted(ledger, memory_buffer, agent):
    article = an_article()

    read(ledger, article, agent=agent)

    assert reads.flush() == 0
    assert stored_reads() == 0


def test_a_request_without_a_user_agent_is_not_counted(ledger, memory_buffer):
    article = an_article()

    assert ledger.post(beacon_of(article), REMOTE_ADDR=READER_IP).status_code == 204

    assert reads.flush() == 0


def test_an_editors_preview_carries_no_beacon(ledger, memory_buffer):
    article = an_article()
    ledger.force_login(get_user_model().objects.get(username="editor"))
    revision = article.save_revision()

    preview = ledger.get(
        f"/cms/pages/{article.pk}/revisions/{revision.pk}/view/",
        HTTP_USER_AGENT=CHROME,
        REMOTE_ADDR=READER_IP,
    )
    live = ledger.get(path_of(article), HTTP_USER_AGENT=CHROME, REMOTE_ADDR=READER_IP)

    assert preview.status_code == 200
    assert article.title in preview.content.decode()
    assert beacon_of(article) not in preview.content.decode()
    assert beacon_of(article) in live.content.decode()  # the live page's does
    assert reads.flush() == 0


def test_page_views_count_nothing_without_the_beacon(ledger, memory_buffer):
    """The page's GET, which a cache may answer without the app, counts nothing."""
    article = an_article()

    response = ledger.get(
        path_of(article), HTTP_USER_AGENT=CHROME, REMOTE_ADDR=READER_IP
    )

    assert response.status_code == 200
    assert reads.flush() == 0
    read(ledger, article)
    assert reads.flush() == 1


def test_pages_other_than_live_articles_are_not_counted(ledger, memory_buffer):
    article, unpublished = an_article(), another_article()
    section, home = article.get_parent(), article.get_site().root_page
    unpublished.unpublish()

    for page in (home, section, unpublished):
        read(ledger, page)

    assert reads.flush() == 0
    assert stored_reads() == 0


def test_counting_costs_no_query_once_the_article_is_known(ledger, buffer):
    article = an_article()

    with CaptureQueriesContext(connection) as first:
        read(ledger, article)  # looks the article up, once
    with CaptureQueriesContext(connection) as counted:
        read(ledger, article, ip="203.0.113.1")

    sql = [query["sql"] for query in first.captured_queries]
    assert len(sql) == 1
    assert not [s for s in sql if "trending_" in s]
    assert not [s for s in sql if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert counted.captured_queries == []
    assert stored_reads() == 0
    assert reads.flush() == 2


def test_a_flush_adds_to_the_hours_count_and_a_second_flush_writes_nothing(
    ledger, buffer
):
    article = an_article()
    read(ledger, article)
    assert reads.flush() == 1

    read(ledger, article, ip="203.0.113.1")
    read(ledger, article, ip="203.0.113.2")

    assert reads.flush() == 2
    assert reads.flush() == 0
    assert stored_reads(article) == 3
    assert ReadCount.objects.get(page=article).hour == reads.hour_of(timezone.now())


def test_a_read_of_a_page_deleted_before_the_flush_is_dropped(ledger, buffer):
    kept, deleted = an_article(), another_article()
    read(ledger, kept)
    read(ledger, deleted)

    deleted.delete()

    assert reads.flush() == 1
    assert list(ReadCount.objects.values_list("page_id", "count")) == [(kept.pk, 1)]
    assert reads.flush() == 0  # the dropped read is gone, not retried


def test_a_batch_recorded_as_written_is_not_written_twice(network):
    article = an_article()
    hour = reads.hour_of(timezone.now())
    counts = {reads._field(article.pk, hour): 5}  # as a buffer holds them

    assert reads.write(counts, batch="batch:first") == 5
    assert reads.write(counts, batch="batch:first") == 0
    assert reads.write(counts, batch="batch:second") == 5

    assert stored_reads(article) == 10
    assert FlushedBatch.objects.count() == 2


# An install's prefix names its keys in a shared Redis; it may be long.
LONG_PREFIX = ":newsroom-production-kansai-evening-courier-and-tokyo-ledger"


@pytest.mark.parametrize("suffix", ["", LONG_PREFIX], ids=["prefix", "long-prefix"])
def test_a_redis_flush_that_crashed_after_writing_is_not_written_again(
    ledger, redis_prefix, monkeypatch, suffix
):
    """The flush renames the pending hash to a batch, writes it, then deletes it;
    a crash between the last two leaves a batch that is already in the database."""
    url, prefix = redis_prefix
    buffer = reads.RedisBuffer(url, prefix + suffix)
    monkeypatch.setattr(reads, "_buffer", buffer)
    article = an_article()
    for ip in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        read(ledger, article, ip=ip)
    batch = f"{buffer.prefix}:batch:{'7' * 32}"
    buffer.client.rename(buffer.pending, batch)
    counts = {field: int(n) for field, n in buffer.client.hgetall(batch).items()}
    assert reads.write(counts, batch=batch) == 3  # written, then the process died
    assert buffer.client.exists(batch)
    read(ledger, article, ip="203.0.113.4")  # a read after the restart

    assert reads.flush() == 1

    assert stored_reads(article) == 4
    assert not buffer.client.exists(batch)
    assert not list(buffer.client.scan_iter(match=f"{buffer.prefix}:batch:*"))
    longest = FlushedBatch._meta.get_field("key").max_length
    assert FlushedBatch.objects.count() == 2
    assert all(
        len(key) <= longest
        for key in FlushedBatch.objects.values_list("key", flat=True)
    )


def test_the_salt_is_random_shared_for_a_day_and_replaced_the_next(buffer):
    monday, tuesday = datetime.date(2026, 11, 23), datetime.date(2026, 11, 24)

    first = buffer.salt(monday)

    assert len(first) == 32
    assert buffer.salt(monday) == first
    assert buffer.salt(tuesday) not in ("", first)
    assert list(buffer.salts) == [tuesday]  # yesterday's is no longer kept here


def test_app_servers_sharing_redis_share_the_days_salt(redis_prefix):
    url, prefix = redis_prefix
    day = datetime.date(2026, 11, 24)
    one, other = reads.RedisBuffer(url, prefix), reads.RedisBuffer(url, prefix)

    assert one.salt(day) == other.salt(day)
    assert 0 < one.client.ttl(f"{one.prefix}:salt:{day:%Y%m%d}") <= 2 * 86400
    assert reads.RedisBuffer(url, f"{prefix}:elsewhere").salt(day) != one.salt(day)


def test_a_reader_counts_once_in_each_clock_hour_across_midnight(ledger, buffer):
    article = an_article()
    request = read(ledger, article).wsgi_request
    midnight = reads.hour_of(timezone.now()).replace(hour=0)
    late = midnight - datetime.timedelta(days=1, minutes=20)  # 23:40, two days ago

    assert reads.count(request, article.pk, now=late) is True
    assert reads.count(request, article.pk, now=late) is False
    assert reads.count(request, article.pk, now=late + datetime.timedelta(hours=1))


def test_nothing_stored_names_the_reader(ledger, buffer):
    article = an_article()
    agent = f"{FIREFOX} PrivacyProbe/7.3"
    ip = "192.0.2.201"
    read(ledger, article, agent=agent, ip=ip)
    read(ledger, another_article(), agent=agent, ip=ip)

    kept = stored_in(buffer)
    assert reads.flush() == 2
    kept += stored_in(buffer)
    kept += repr(list(ReadCount.objects.values()))
    kept += repr(list(FlushedBatch.objects.values()))

    for clue in (ip, ip.replace(".", ""), "PrivacyProbe", "Firefox", "Windows"):
        assert clue not in kept
    assert str(article.pk) in kept  # the dump above does hold the counts


def stored_in(buffer) -> str:
    """Everything the buffer keeps, as text: every key and value it holds."""
    if isinstance(buffer, reads.MemoryBuffer):
        return repr((buffer.counts, buffer.seen, buffer.salts))
    client, dump = buffer.client, []
    for key in client.scan_iter(match=f"{buffer.prefix}:*"):
        kind = client.type(key).decode()
        value = client.hgetall(key) if kind == "hash" else client.get(key)
        dump.append((key, value))
        if b":seen:" in key:
            assert 0 < client.ttl(key) <= reads.SEEN_SECONDS
    return repr(dump)


def test_the_beacon_is_answered_when_redis_is_unreachable(ledger, monkeypatch):
    """A lost read is better than a failed request."""
    from conftest import port_open

    unreachable = "redis://127.0.0.1:1/0"
    assert not port_open(unreachable, 6379)
    monkeypatch.setattr(reads, "_buffer", reads.RedisBuffer(unreachable, "nowhere"))
    article = an_article()

    read(ledger, article)

    assert stored_reads() == 0
