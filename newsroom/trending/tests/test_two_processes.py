"""Reads counted by the demo as `make demo` serves it, in uvicorn worker processes.

With Redis, every worker adds to one shared buffer and the scheduler's flush moves
it into the database: a few hundred readers' page views over HTTP (the page, then
its read beacon), spread over two workers by concurrent connections, all arrive,
each exactly once. Without Redis, each worker buffers in memory and flushes when it
stops, so a clean stop (SIGTERM) loses nothing.

Each test serves its own copy of the run's demo build and measures what its own
requests added. The same proof at ten thousand reads is a benchmark
(`make bench BENCH=reads`, bench/reads.py): rendering an article page costs tens of
milliseconds of CPU, so ten thousand of them take minutes.
"""

import re
import uuid

import pytest

from conftest import port_open, service_missing
from newsroom.demo.server import (
    manage,
    read_in_parallel,
    stored,
    undiscussed_articles,
    uvicorn_workers,
)

from .conftest import forget_keys

READS = 240  # enough for every worker to take connections, many readers a page
THREADS = 8


@pytest.fixture
def redis_for_demo(settings):
    import redis

    if not settings.REDIS_URL:
        pytest.skip("the Redis variant runs where the suite runs on Redis (CI)")
    url = settings.REDIS_URL
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

        served = read_in_parallel(server.port, articles, reads=READS, threads=THREADS)

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
