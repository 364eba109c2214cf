"""`python bench/run.py trending`: what counting reads costs an article page view.

The page is an article whose sister site has a trending list, so it shows "A mix of
what's trending on our other sites" (checked in the HTML of every server started).
Each view is what a browser sends: the page's GET (which counts nothing: a cache may
answer it), then the POST of the read beacon the page names, pipelined on one
connection (bench/page_views.lua), so a view's latency is both answers'. Every
request carries a browser's User-Agent, which makes the beacon a countable read:

- counting off: the server runs with NEWSROOM_TRENDING_COUNT_READS=false;
- one reader: counting on, every view from the same reader, so after the first
  read each one is a repeat that the counter looks up and drops (once an hour);
- a new reader each view: counting on, the User-Agent ends in a word of its own,
  so every view is counted.

Both ways reads are buffered: in each app process's memory (no REDIS_URL) and, when
Redis answers at REDIS_URL or at redis://127.0.0.1:6379/13 (the tests use 14 and
15), in Redis under a key prefix of the bench's own, deleted before and after.

Noise: every run gets a server of its own, freshly started (the setting is read per
request, but it is the environment a deployment would change), a warm-up without
User-Agent (not counted) and one measured run; BENCH_TRENDING_ROUNDS rounds run the
three variants in turning order. The table holds each figure's median over the
rounds, and the change against off is the median of each round's ratio (runs of one
round share the machine's load).

Reads counted: with Redis, `manage.py run_scheduler --once` flushes them as the
scheduler does; in memory, each worker writes what it holds when the server stops
(the ASGI lifespan shutdown, newsroom/asgi.py), besides its flush every
NEWSROOM_TRENDING_FLUSH seconds. Then the page's ReadCount total is compared with the
views wrk completed, run by run.

Finally, in a `manage.py shell` per buffer, where other work on the machine weighs on
both sides alike: `reads.count()` timed alone (counting off, a repeat reader, a new
reader), and the beacon itself through Django's test client, the three variants
taking turns request by request (BENCH_TRENDING_TURNS each).
"""

import datetime
import html
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import threading
import time
import uuid
from urllib.parse import urlsplit

import run

from newsroom.demo.server import manage

ROUNDS = int(os.environ.get("BENCH_TRENDING_ROUNDS", "3"))
WARM_SECONDS = 15  # a fresh server is still slow for its first ~10 s of load
AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)
MIX = "A mix of what's trending on our other sites"
REDIS_URL = "redis://127.0.0.1:6379/13"  # the tests use 14 and 15
MICRO_CALLS = 3000
PAGE_TURNS = int(os.environ.get("BENCH_TRENDING_TURNS", "100"))  # beacons each
VARIANTS = {
    "off": "off",
    "one": "on, one reader",
    "new": "on, a new reader each view",
}
PAGE_VIEWS = run.ROOT / "bench" / "page_views.lua"
# Where the article page's script sends its read beacon
# (trending/includes/read_beacon.html).
BEACON = re.compile(r'data-read-beacon="([^"]+)"')

READ_TOTAL = """
from django.db.models import Sum
from newsroom.trending.models import ReadCount
total = ReadCount.objects.filter(page_id=PAGE_ID).aggregate(n=Sum("count"))["n"]
print("BENCH_JSON", total or 0)
"""

# reads.count() alone, on requests built beforehand, then the beacon in turns;
# NEWSROOM_TRENDING_FLUSH=0 in its environment keeps the shell from flushing what it
# counts into the database.
MICRO = """
import json, statistics, time
from django.test import Client, RequestFactory, override_settings
from newsroom.news.models import ArticlePage
from newsroom.trending import reads
page = ArticlePage.objects.get(pk=PAGE_ID)
factory = RequestFactory()

def per_request(agents, **settings):
    requests = [factory.post(BEACON, HTTP_USER_AGENT=agent) for agent in agents]
    with override_settings(**settings):
        started = time.perf_counter()
        for request in requests:
            reads.count(request, page.pk)
        return (time.perf_counter() - started) / len(requests) * 1e6

reads.count(factory.post(BEACON, HTTP_USER_AGENT=AGENT + " first"), page.pk)
timed = {
    "off": per_request([AGENT] * CALLS, NEWSROOM_TRENDING_COUNT_READS=False),
    "one": per_request([AGENT] * CALLS),
    "new": per_request([f"{AGENT} m{n}" for n in range(CALLS)]),
}
client = Client(HTTP_HOST=HOST)

def beacon_ms(agent, counting):
    with override_settings(NEWSROOM_TRENDING_COUNT_READS=counting):
        started = time.perf_counter()
        response = client.post(BEACON, HTTP_USER_AGENT=agent)
        elapsed = time.perf_counter() - started
    assert response.status_code == 204, response.status_code
    return elapsed * 1000

for n in range(5):
    beacon_ms(AGENT, False)
turns = {"off": [], "one": [], "new": []}
for n in range(TURNS):
    variants = [
        ("off", AGENT, False), ("one", AGENT, True), ("new", f"{AGENT} p{n}", True)
    ]
    for key, agent, counting in variants[n % 3:] + variants[:n % 3]:
        turns[key].append(beacon_ms(agent, counting))
timed["beacon_ms"] = {key: statistics.median(each) for key, each in turns.items()}
print("BENCH_JSON", json.dumps(timed))
"""


def _json(result):
    line = next(x for x in result.stdout.splitlines() if x.startswith("BENCH_JSON"))
    return json.loads(line.removeprefix("BENCH_JSON"))


def shell(code, env, **names):
    assigned = "".join(f"{name} = {value!r}\n" for name, value in names.items())
    return _json(manage("shell", "-v", "0", "-c", assigned + code, env=env))


def redis_url() -> str | None:
    """Redis to count reads in, or None when nothing answers there."""
    url = os.environ.get("REDIS_URL") or REDIS_URL
    parts = urlsplit(url)
    try:
        socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1
        ).close()
    except OSError:
        return None
    return url


def forget_keys(url, prefix) -> int:
    """Delete every key the bench's servers made in Redis (their prefix's)."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])
    return len(keys)


def buffers(env) -> list[tuple[str, dict]]:
    """(where reads are buffered, the app's environment) for memory and Redis."""
    plain = {
        name: value
        for name, value in env.items()
        if name not in ("REDIS_URL", "NEWSROOM_CACHE_PREFIX")
    }
    found = [("memory", plain)]
    url = redis_url()
    if url:
        prefix = f"newsroom_bench_trending_{uuid.uuid4().hex[:10]}"
        redis = {"REDIS_URL": url, "NEWSROOM_CACHE_PREFIX": prefix}
        found.append((f"Redis {run._redis_version(url)}", {**plain, **redis}))
    else:
        print(f"Nothing answers at {REDIS_URL}: reads counted in memory only.")
    return found


def check_page(port, host, path) -> str:
    """The page answers and shows the network mix; returns its beacon's path."""
    status, _headers, body = run.call(port, host, "GET", path)
    text = html.unescape(body.decode())
    beacon = BEACON.search(text)
    if status != 200 or MIX not in text or beacon is None:
        raise RuntimeError(
            f"{path} on {host}: {status}, no {MIX!r} or read beacon in the page"
        )
    return beacon[1]


def warm(port, wrk, host, path) -> str:
    beacon = check_page(port, host, path)
    warm_up = run.Scenario("warm-up, no User-Agent (not counted)", path)
    run.load(wrk, port, host, warm_up, seconds=WARM_SECONDS)
    return beacon


def load_views(wrk, port, host, path, beacon, agent, *, readers) -> dict:
    """Views of the page as a browser makes them (the page, then its beacon), with
    wrk (bench/page_views.lua) or Python threads; rates and latencies per view."""
    if not wrk:
        return views_by_threads(port, host, path, beacon, agent, readers=readers)
    seconds = run.SECONDS
    command = [wrk, f"-t{run.THREADS}", f"-c{run.CONNECTIONS}", f"-d{seconds}s"]
    command += ["--timeout", "10s", "-s", str(PAGE_VIEWS)]
    command += ["-H", f"Host: {host}", "-H", f"User-Agent: {agent}"]
    command += [f"http://127.0.0.1:{port}{path}", "--", path, beacon]
    command += ["readers" if readers else ""]
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON"))
    data = json.loads(line.removeprefix("BENCH_JSON"))
    views = data["requests"] // 2  # two responses a view
    return {
        "rps": views / (data["duration_us"] / 1e6),
        "p50": data["p50_us"] / 1000,
        "p99": data["p99_us"] / 1000,
        "requests": views,
        "errors": data["socket_errors"] + data["status_errors"],
    }


def views_by_threads(port, host, path, beacon, agent, *, readers) -> dict:
    """The same views from Python threads, each on one keep-alive connection."""
    deadline = time.monotonic() + run.SECONDS
    latencies, errors, lock = [], [0], threading.Lock()

    def client(number):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], 0
        while time.monotonic() < deadline:
            word = f" t{number}n{len(mine)}" if readers else ""
            headers = {"Host": host, "User-Agent": agent + word}
            started = time.perf_counter()
            for method, target in (("GET", path), ("POST", beacon)):
                connection.request(method, target, headers=headers)
                response = connection.getresponse()
                response.read()
                bad += response.status >= 400
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    clients = [
        threading.Thread(target=client, args=(n,)) for n in range(run.CONNECTIONS)
    ]
    for each in clients:
        each.start()
    for each in clients:
        each.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": latencies[len(latencies) // 2] * 1000,
        "p99": latencies[min(len(latencies) - 1, len(latencies) * 99 // 100)] * 1000,
        "requests": len(latencies),
        "errors": errors[0],
    }


def compare(port, env, wrk, page) -> dict:
    """Run every variant once a round, each on a server of its own, for ROUNDS
    rounds with the order turning; returns the runs by variant, each with the reads
    it got counted (None when counting is off)."""
    results = {key: [] for key in VARIANTS}
    for number in range(ROUNDS):
        keys = list(VARIANTS)
        turn = number % len(keys)
        for key in keys[turn:] + keys[:turn]:
            results[key].append(one_run(port, env, wrk, page, key))
        print(f"round {number + 1} of {ROUNDS}: " + summary_line(results))
    return results


def one_run(port, env, wrk, page, key) -> dict:
    """Serve the page with counting off or on, view it, and count what was read."""
    host, path = f"{page['host']}:{port}", page["path"]
    agent = AGENT
    if key == "new":
        # Readers of their own in every run: Redis remembers a reader for an hour,
        # through restarts, and wrk numbers its requests from 1 each run.
        agent = f"{AGENT} r{uuid.uuid4().hex[:8]}"
    readers = key == "new"
    if key == "off":
        with run.serve(port, {**env, "NEWSROOM_TRENDING_COUNT_READS": "false"}):
            beacon = warm(port, wrk, host, path)
            result = load_views(wrk, port, host, path, beacon, agent, readers=readers)
            return {**result, "counted": None}
    before = shell(READ_TOTAL, env, PAGE_ID=page["page_id"])
    with run.serve(port, env):  # in memory, stopping it writes the reads
        beacon = warm(port, wrk, host, path)
        result = load_views(wrk, port, host, path, beacon, agent, readers=readers)
    if env.get("REDIS_URL"):
        manage("run_scheduler", "--once", env=env)
    after = shell(READ_TOTAL, env, PAGE_ID=page["page_id"])
    return {**result, "counted": after - before}


def summary_line(results) -> str:
    return "; ".join(
        f"{VARIANTS[key]} {runs[-1]['rps']:.0f}/s p99 {runs[-1]['p99']:.0f} ms"
        for key, runs in results.items()
        if runs
    )


def medians(runs) -> dict:
    return {
        figure: statistics.median(r[figure] for r in runs)
        for figure in ("rps", "p50", "p99")
    }


def micro(port, env, page) -> dict:
    """Microseconds per reads.count() call and milliseconds per beacon, per variant."""
    env = {**env, "NEWSROOM_TRENDING_FLUSH": "0"}
    if env.get("REDIS_URL"):
        env["NEWSROOM_CACHE_PREFIX"] += "-micro"
    names = {"PAGE_ID": page["page_id"], "AGENT": AGENT, "CALLS": MICRO_CALLS}
    names |= {"HOST": f"{page['host']}:{port}"}
    names |= {"BEACON": f"/trending/read/{page['page_id']}/"}
    return shell(MICRO, env, TURNS=PAGE_TURNS, **names)


def measure(port, env, wrk, found, about) -> str:
    """Compare counting on and off for every buffer; RESULTS.md's section."""
    page, flush_seconds = found["trending"], found["flush_seconds"]
    load_before = os.getloadavg()[0]
    measured = []
    for name, buffer_env in buffers(env):
        url, prefix = (
            buffer_env.get("REDIS_URL"),
            buffer_env.get("NEWSROOM_CACHE_PREFIX"),
        )
        if url:
            forget_keys(url, prefix)
        try:
            results = compare(port, buffer_env, wrk, page)
            timed = micro(port, buffer_env, page)
        finally:
            if url:
                forget_keys(url, prefix)
        measured.append((name, results, timed))
    when = datetime.datetime.now(tz=datetime.UTC)
    return report(measured, page, flush_seconds, when=when, load=load_before, **about)


def _change(value, base) -> str:
    return f"{(value - base) / base * 100:+.1f}%"


def paired(runs, offs, figure) -> str:
    """The median over the rounds of this run's figure against the round's off."""
    ratios = [r[figure] / o[figure] - 1 for r, o in zip(runs, offs, strict=True)]
    return f"{statistics.median(ratios) * 100:+.1f}%"


def table(measured) -> list[str]:
    lines = [
        "| reads buffered in | counting | page views/s | p50 ms | p99 ms "
        "| views/s vs off | p99 vs off | each run: views/s, p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for name, results, _timed in measured:
        offs = results["off"]
        for key, label in VARIANTS.items():
            runs = results[key]
            figures = medians(runs)
            versus = ["", ""]
            if key != "off":
                versus = [paired(runs, offs, "rps"), paired(runs, offs, "p99")]
            each = "; ".join(f"{r['rps']:.1f}, {r['p99']:.0f}" for r in runs)
            errors = sum(r["errors"] for r in runs)
            lines.append(
                f"| {name} | {label} | {figures['rps']:.1f} | {figures['p50']:.1f} "
                f"| {figures['p99']:.1f} | {versus[0]} | {versus[1]} | {each} "
                f"| {errors} |"
            )
    return lines


def counted_lines(measured, flush_seconds) -> list[str]:
    lines = []
    for name, results, _timed in measured:
        how = (
            "written by `manage.py run_scheduler --once` after each run"
            if name.startswith("Redis")
            else "written by the workers as the server stops, and every "
            f"{flush_seconds} s"
        )
        runs = {
            key: ", ".join(f"{r['counted']}/{r['requests']}" for r in results[key])
            for key in ("one", "new")
        }
        lines.append(
            f"- {name} ({how}): a new reader each view {runs['new']}; "
            f"one reader {runs['one']}"
        )
    return lines


def report(measured, page, flush_seconds, **about) -> str:
    app = (
        f"uvicorn, {run.WORKERS} workers, as `make demo` serves it, started afresh "
        "for every run"
    )
    lines = [
        *run.preamble(app=app, per="run", **about),
        f"- Page: the article “{page['title']}” on {page['host']} "
        f"({page['comments']} comments), showing “{MIX}”",
        "- Views: the page's GET, then its read beacon's POST, pipelined on one "
        "connection (a view's latency is both answers')",
        f"- Requests: `User-Agent: {AGENT}`; “a new reader each view” ends it in "
        "a word of its own",
        f"- Rounds: {ROUNDS}, the three variants in turning order, each on a server "
        f"of its own after a {WARM_SECONDS} s warm-up without User-Agent (not "
        "counted); medians over the rounds, changes as the median of the rounds' "
        "ratios",
        "",
        *table(measured),
        "",
        f"Load average after the runs: {os.getloadavg()[0]:.2f}.",
        "",
        "Reads counted in ReadCount per run, against the views wrk completed "
        "(counted/completed):",
        "",
        *counted_lines(measured, flush_seconds),
        "",
        "A server also counts the beacons it answers after wrk stops timing (up to "
        "one per connection); one reader counts at most once an hour per worker in "
        "memory, once an hour in all in Redis.",
        "",
        f"`reads.count()` alone ({MICRO_CALLS:,} calls in a `manage.py shell`, "
        "microseconds per request):",
        "",
        "| reads buffered in | counting off | a repeat reader | a new reader |",
        "|---|---:|---:|---:|",
        *[
            f"| {name} | {timed['off']:.1f} | {timed['one']:.1f} | {timed['new']:.1f} |"
            for name, _results, timed in measured
        ],
        "",
        f"The beacon through Django's test client in the same shell ({PAGE_TURNS} "
        "requests each, the variants taking turns; median ms per request):",
        "",
        "| reads buffered in | counting off | on, one reader | on, a new reader "
        "each request | a new reader vs off |",
        "|---|---:|---:|---:|---:|",
        *[
            f"| {name} | {ms['off']:.1f} | {ms['one']:.1f} | {ms['new']:.1f} "
            f"| {_change(ms['new'], ms['off'])} |"
            for name, _results, timed in measured
            for ms in [timed["beacon_ms"]]
        ],
    ]
    return "\n".join(lines)
