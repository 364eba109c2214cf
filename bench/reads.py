"""`python bench/run.py reads`: ten thousand readers on two workers, every read counted.

newsroom/trending/tests/test_two_processes.py proves with a few hundred reads that
what uvicorn workers sharing Redis count reaches the database once the scheduler
flushes; this is the same proof at full size, timed. The demo prepared by
bench/run.py is served by BENCH_WORKERS (2) uvicorn workers sharing one Redis:
REDIS_URL, else redis://127.0.0.1:6379/13 (the tests use 14 and 15), under a key
prefix of the bench's own, deleted afterwards. BENCH_READS page views (default
10,000) of six demo articles nobody comments on, alternating between the two sites,
each from a reader of its own (an X-Forwarded-For address), go over CONNECTIONS
keep-alive connections. A view is what a browser sends: the page's GET (which counts
nothing: a cache may answer it), then the read beacon the page names, POSTed. Then
`manage.py run_scheduler --once` flushes the shared buffer into ReadCount.

Every article's ReadCount total must rise by exactly the views it served, no other
article's may change, none may reach the database before the flush, and the
scheduler must say it flushed them all: otherwise the section says FAILED and
`run.py` exits non-zero. Reported with the wall time of the views and views/s, the
client sharing the machine with the server.
"""

import datetime
import os
import platform
import re
import time
import uuid

import run
import trending

from newsroom.demo.server import (
    CHROME,
    manage,
    read_in_parallel,
    stored,
    uvicorn_workers,
)

READS = int(os.environ.get("BENCH_READS", "10000"))
CONNECTIONS = 16  # keep-alive connections, one client thread each
ARTICLES = 6  # three a site, as the test reads
FLUSHED = re.compile(r"^trending: (\d+) reads flushed.*$", re.MULTILINE)

# undiscussed_articles needs Django (the loader's models): chosen in the app's shell.
CHOOSE = """
import json
from newsroom.demo.server import undiscussed_articles
print("BENCH_JSON", json.dumps(undiscussed_articles(COUNT)))
"""


def shared_redis() -> str:
    """The Redis the workers share; exits when nothing answers there."""
    url = trending.redis_url()
    if url is None:
        where = os.environ.get("REDIS_URL") or trending.REDIS_URL
        raise SystemExit(f"reads: the bench needs Redis and nothing answers at {where}")
    return url


def measure(port, env, redis_url, about) -> tuple[str, bool]:
    """Serve the prepared demo on two workers sharing Redis, send READS reads,
    flush them and compare what the database holds with what was served; returns
    RESULTS.md's section and whether every read was counted."""
    prefix = f"newsroom_bench_reads_{uuid.uuid4().hex[:10]}"
    env = {**env, "REDIS_URL": redis_url, "NEWSROOM_CACHE_PREFIX": prefix}
    articles = [tuple(each) for each in trending.shell(CHOOSE, env, COUNT=ARTICLES)]
    load_before = os.getloadavg()[0]
    try:
        with run.serve(port, env) as server:
            workers = uvicorn_workers(server.pid)
            before = stored(env)["reads"]
            print(f"reads: {READS:,} page views over {CONNECTIONS} connections...")
            started = time.perf_counter()
            served = read_in_parallel(port, articles, reads=READS, threads=CONNECTIONS)
            seconds = time.perf_counter() - started
            pending = stored(env)["reads"]
            started = time.perf_counter()
            flushed = manage("run_scheduler", "--once", env=env).stdout
            flush_seconds = time.perf_counter() - started
            after = stored(env)["reads"]
    finally:
        trending.forget_keys(redis_url, prefix)
    line = FLUSHED.search(flushed)
    measured = {
        "articles": articles,
        "served": served,
        "before": before,
        "pending": pending,
        "after": after,
        "flushed": int(line[1]) if line else None,
        "flush_line": line[0] if line else flushed.strip() or "(nothing)",
        "flush_seconds": flush_seconds,
        "seconds": seconds,
        "workers": len(workers),
        "redis": run._redis_version(redis_url),
    }
    failures = check(measured)
    when = datetime.datetime.now(tz=datetime.UTC)
    text = report(measured, failures, when=when, load=load_before, **about)
    return text, not failures


def counted(measured, url_path) -> int:
    """The reads the article's ReadCount total gained."""
    return measured["after"].get(url_path, 0) - measured["before"].get(url_path, 0)


def check(measured) -> list[str]:
    """What went wrong: reads missing, doubled or early; empty when all arrived."""
    served, before, after = measured["served"], measured["before"], measured["after"]
    chosen = {url_path for *_rest, url_path in measured["articles"]}
    failures = [
        f"{url_path}: {served[url_path]:,} served, "
        f"{counted(measured, url_path):,} counted"
        for url_path in sorted(chosen)
        if counted(measured, url_path) != served[url_path]
    ]
    changed = sorted(
        path
        for path in set(before) | set(after)
        if path not in chosen and before.get(path) != after.get(path)
    )
    if changed:
        failures.append(f"other articles' counts changed: {', '.join(changed)}")
    if measured["pending"] != before:
        failures.append("reads reached the database before the scheduler's flush")
    if measured["flushed"] != sum(served.values()):
        failures.append(f"the scheduler said: {measured['flush_line']!r}")
    return failures


def report(measured, failures, **about) -> str:
    served, articles = measured["served"], measured["articles"]
    total = sum(served.values())
    seconds = measured["seconds"]
    app = (
        f"uvicorn, {run.WORKERS} workers as `make demo` serves it "
        f"({measured['workers']} worker processes seen in /proc), sharing Redis "
        f"{measured['redis']} for the read buffer and the cache, under a key "
        "prefix of the bench's own, deleted afterwards"
    )
    clients = (
        f"{CONNECTIONS} keep-alive connections, one thread each, {READS:,} page "
        "views, each the page's GET then its read beacon's POST"
    )
    about = {**about, "tool": f"Python {platform.python_version()} http.client"}
    lines = [
        *run.preamble(app=app, clients=clients, **about),
        f"- Readers: `User-Agent: {CHROME}`, each from an address of its own "
        "(X-Forwarded-For, trusted from loopback as the bench sets up); "
        f"{len(articles)} demo articles nobody comments on, "
        "alternating between the two sites, each read in turn",
        "",
        "| views sent | served (page 200, beacon 204) | counted after the flush "
        "| wall time s | views/s |",
        "|---:|---:|---:|---:|---:|",
        f"| {READS:,} | {total:,} "
        f"| {sum(counted(measured, url_path) for *_, url_path in articles):,} "
        f"| {seconds:.1f} | {total / seconds:.1f} |",
        "",
        "| article | served | counted |",
        "|---|---:|---:|",
        *[
            f"| {host}{path} | {served[url_path]:,} | {counted(measured, url_path):,} |"
            for host, path, url_path in articles
        ],
        "",
        f"`manage.py run_scheduler --once` ({measured['flush_seconds']:.1f} s with "
        f"Django's start-up) printed `{measured['flush_line']}`.",
        "",
    ]
    if failures:
        lines += ["**FAILED**: not every read was counted once.", ""]
        lines += [f"- {failure}" for failure in failures]
    else:
        lines.append(
            "All arrived: every article's ReadCount total rose by exactly the views "
            "it served, no other article's changed, and none reached the database "
            "before the flush."
        )
    return "\n".join(lines)
