"""Reads counted by the demo as `make demo` serves it, in uvicorn worker processes.

With Redis, every worker adds to one shared buffer and the scheduler's flush moves
it into the database: a few hundred readers' GETs over HTTP, spread over two workers
by concurrent connections, all arrive, each exactly once. Without Redis, each worker
buffers in memory and flushes when it stops, so a clean stop (SIGTERM) loses nothing.

Each test serves its own copy of the run's demo build and measures what its own
requests added. The same proof at ten thousand reads is a benchmark
(`make bench BENCH=reads`, bench/reads.py): rendering an article page costs tens of
milliseconds of CPU, so ten thousand of them take minutes.
"""

import concurrent.futures
import http.client
import json
import re
import sys
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.utils.text import slugify

from conftest import port_open, service_missing
from newsroom.demo import content
from newsroom.demo.loader import HEADLINE_SLUG_LENGTH
from newsroom.demo.server import manage

from .conftest import LOCAL_REDIS, forget_keys

READS = 240  # enough for every worker to take connections, many readers a page
THREADS = 8
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
REPORT = "from newsroom.trending.tests.test_two_processes import report; report()"


def report() -> None:
    """Print, as JSON, the reads stored per article and what the lists hold; run in
    the served demo's environment by `manage.py shell`."""
    from django.db.models import F, Sum

    from newsroom.comments.models import Comment
    from newsroom.trending.models import ReadCount, TrendingEntry

    reads = dict(
        ReadCount.objects.values_list("page__url_path")
        .annotate(n=Sum("count"))
        .order_by()
    )
    lists = Counter(
        f"{host} {name}"
        for host, name in TrendingEntry.objects.values_list("site__hostname", "list")
    )
    early = Comment.objects.filter(
        created_at__lt=F("thread__page__first_published_at")
    ).count()
    sys.stdout.write(
        json.dumps({"reads": reads, "lists": lists, "comments_before_story": early})
    )


def stored(env) -> dict:
    result = manage("shell", "-v", "0", "-c", REPORT, env=env, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def undiscussed_articles(count) -> list[tuple[str, str, str]]:
    """(host, path, url_path) of demo articles nobody comments on, alternating sites:
    their pages cost the least to render."""
    discussed = {content.HEATED["headline"], content.CROWD["headline"]}
    discussed |= {thread["headline"] for thread in content.RECENT_THREADS}
    hosts = {site["key"]: site["hostname"] for site in content.SITES}
    chosen = {key: [] for key in hosts}
    for spec in content.ARTICLES:
        if spec["headline"] not in discussed:
            slug = slugify(spec["headline"])[:HEADLINE_SLUG_LENGTH].strip("-")
            path = f"/{spec['section']}/{slug}/"
            chosen[spec["site"]].append(
                (hosts[spec["site"]], path, f"/{spec['site']}{path}")
            )
    mixed = [
        article for pair in zip(*chosen.values(), strict=False) for article in pair
    ]
    return mixed[:count]


def forwarded_for(number: int) -> str:
    return f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"


def read_all(port, articles, numbers) -> Counter:
    """GET each numbered reader's article on one keep-alive connection; count the
    pages served per article."""
    served = Counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        for number in numbers:
            host, path, url_path = articles[number % len(articles)]
            connection.request(
                "GET",
                path,
                headers={
                    "Host": host,
                    "User-Agent": CHROME,
                    # uvicorn trusts 127.0.0.1 as a proxy: this is REMOTE_ADDR.
                    "X-Forwarded-For": forwarded_for(number),
                },
            )
            response = connection.getresponse()
            response.read()
            assert response.status == 200, (path, response.status)
            served[url_path] += 1
    finally:
        connection.close()
    return served


def read_in_parallel(port, articles, reads=READS, threads=THREADS) -> Counter:
    served = Counter()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        batches = [range(first, reads, threads) for first in range(threads)]
        for counted in pool.map(lambda n: read_all(port, articles, n), batches):
            served.update(counted)
    return served


def uvicorn_workers(pid) -> list[int]:
    """uvicorn's worker processes (spawned children), or [] where /proc is absent."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if not children.exists():
        return []
    return [
        int(child)
        for child in children.read_text().split()
        if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()
    ]


@pytest.fixture
def redis_for_demo(settings):
    import redis

    url = settings.REDIS_URL or LOCAL_REDIS
    if not port_open(url, 6379):
        service_missing("Redis", f"nothing answers at {url}")
    prefix = f"test-served-{uuid.uuid4().hex[:8]}"
    yield {"REDIS_URL": url, "NEWSROOM_CACHE_PREFIX": prefix}
    client = redis.Redis.from_url(url)
    forget_keys(client, prefix)
    client.close()


def test_reads_on_two_workers_sharing_redis_all_arrive_once(serve_demo, redis_for_demo):
    articles = undiscussed_articles(6)
    with serve_demo("trending-redis", workers=2, env=redis_for_demo) as server:
        before = stored(server.env)
        # The demo as loaded: every list on both sites, comments after their story.
        for host in ("ledger.localhost", "courier.localhost"):
            for name in ("trending", "most_read", "most_discussed"):
                assert before["lists"].get(f"{host} {name}", 0) >= 3, (host, name)
        assert before["comments_before_story"] == 0
        workers = uvicorn_workers(server.pid)

        served = read_in_parallel(server.port, articles)

        assert sum(served.values()) == READS
        assert stored(server.env)["reads"] == before["reads"]  # all still in Redis
        flushed = manage("run_scheduler", "--once", env=server.env, check=False)
        assert flushed.returncode == 0, flushed.stderr[-3000:]
        after = stored(server.env)

    assert re.search(
        rf"^trending: {READS} reads flushed, \d+ list entries recomputed$",
        flushed.stdout,
        re.M,
    ), flushed.stdout
    for _host, _path, url_path in articles:
        added = after["reads"][url_path] - before["reads"].get(url_path, 0)
        assert added == served[url_path], url_path
    others = set(before["reads"]) - {url_path for *_rest, url_path in articles}
    assert all(after["reads"][path] == before["reads"][path] for path in others)
    # Two worker processes served them (seen in Linux's /proc). Which one took each
    # connection is the kernel's choice, so no share per worker is asserted.
    assert len(workers) in (0, 2), workers


def test_reads_buffered_in_memory_are_written_when_the_server_stops(serve_demo):
    articles = undiscussed_articles(2)
    # Without Redis, and a flush only every hour: the reads wait in the worker.
    env = {"NEWSROOM_TRENDING_FLUSH": "3600"}
    with serve_demo("trending-memory", workers=1, env=env) as server:
        before = stored(server.env)

        served = read_in_parallel(server.port, articles, reads=50, threads=5)

        assert stored(server.env)["reads"] == before["reads"]
        server_env = server.env
    # Leaving serve_demo stops uvicorn with SIGTERM and waits for it to exit.
    after = stored(server_env)

    assert sum(served.values()) == 50
    for _host, _path, url_path in articles:
        added = after["reads"][url_path] - before["reads"].get(url_path, 0)
        assert added == served[url_path] == 25, url_path
