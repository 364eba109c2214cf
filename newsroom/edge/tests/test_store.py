"""The page cache's stores on their own: two processes' memories sharing one purge
log, and Redis shared by app servers. Entries are made from real responses' parts."""

import asyncio
import time
import uuid

import pytest
from django.conf import settings

from conftest import port_open, service_missing
from newsroom.edge.entry import Entry
from newsroom.edge.store import LocalStore, RedisStore

BODY = b"<!doctype html><p>" + b"The ferry timetable changes on Monday. " * 40


def entry(*keys, ttl=30) -> Entry:
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"cache-control", f"public, max-age=0, s-maxage={ttl}".encode()),
        (b"etag", b'"abc"'),
        (b"x-newsroom-shared", b"1"),
        (b"xkey", " ".join(keys).encode()),
    ]
    return Entry.from_response(200, headers, BODY, b"xkey")


def test_an_entry_is_kept_compressed_and_only_when_shared():
    kept = entry("article-1")
    assert set(kept.bodies) == {"identity", "gzip", "br"}
    assert kept.encoding_for("gzip, deflate, br") == "br"
    assert kept.encoding_for("gzip;q=1, br;q=0") == "gzip"
    assert kept.encoding_for("") == "identity"
    private = [(b"cache-control", b"private"), (b"x-newsroom-shared", b"1")]
    assert Entry.from_response(200, private, BODY, b"xkey") is None
    cookie = [
        (b"cache-control", b"public, s-maxage=5"),
        (b"x-newsroom-shared", b"1"),
        (b"set-cookie", b"csrftoken=x"),
    ]
    assert Entry.from_response(200, cookie, BODY, b"xkey") is None


def test_a_purge_in_one_process_reaches_the_other_through_the_log(tmp_path):
    log = tmp_path / "edge-purges.log"
    first, second = LocalStore(log, 10**7), LocalStore(log, 10**7)
    first.put("/a", entry("article-1", "site-2"))
    first.put("/b", entry("article-2", "site-2"))
    second.purge({"article-1"})
    assert first.get("/a") is None
    assert first.get("/b") is not None
    second.purge({"site-2"})
    assert first.get("/b") is None


def test_a_render_that_began_before_a_purge_is_not_kept(tmp_path):
    log = tmp_path / "edge-purges.log"
    app, editor = LocalStore(log, 10**7), LocalStore(log, 10**7)
    began = time.monotonic()
    editor.purge({"article-7"})  # published while the page was being rendered
    app.put("/seven", entry("article-7"), began)
    assert app.get("/seven") is None
    app.put("/seven", entry("article-7"), time.monotonic())
    assert app.get("/seven") is not None


def test_a_new_log_file_empties_every_process(tmp_path):
    log = tmp_path / "edge-purges.log"
    store = LocalStore(log, 10**7)
    store.purge({"x"})
    store.put("/a", entry("article-1"))
    log.unlink()
    log.write_text("")  # started afresh by another process
    LocalStore(log, 10**7).purge({"unrelated"})
    assert store.get("/a") is None


def test_memory_is_bounded_least_recently_used_first(tmp_path):
    store = LocalStore(tmp_path / "log", entry("k").size * 9)
    names = [f"/{number}" for number in range(9)]
    for name in names:
        store.put(name, entry("k"))
    store.get("/0")
    store.put("/9", entry("k"))  # over the bound: /1 was used least recently
    assert store.get("/1") is None
    assert all(store.get(name) is not None for name in ["/0", *names[2:], "/9"])


@pytest.fixture
def redis_store():
    url = settings.REDIS_URL or "redis://127.0.0.1:6379/14"
    if not port_open(url, 6379):
        service_missing("Redis", f"nothing answers at {url}")
    return RedisStore(url, f"newsroom-test-store-{uuid.uuid4().hex[:8]}", 10**7)


def test_redis_entries_are_shared_and_purged_by_key(redis_store):
    asyncio.run(shared_and_purged(redis_store))


async def shared_and_purged(redis_store):
    other_server = RedisStore(
        redis_store.url, redis_store.prefix.removesuffix(":edge"), 10**7
    )
    await redis_store.aput("/a", entry("article-1"))
    await redis_store.aput("/b", entry("article-2"))
    assert (await other_server.aget("/a")).bodies["identity"] == BODY
    other_server.purge({"article-1"})
    assert await redis_store.aget("/a") is None
    assert await redis_store.aget("/b") is not None
    began = time.time()
    other_server.purge({"article-2"})
    await redis_store.aput("/b", entry("article-2"), began)
    assert await redis_store.aget("/b") is None
