"""`make bench`: serve the demo as `make demo` does, then load it with wrk.

    python bench/run.py [targets] [pages] [api] [trending] [reads] [votes]
                        [alerts] [imports] [all]
                                                        (default: targets)

`targets` (what `make bench` runs) measures every figure of issue 15's Targets
table with the ceilings of the same run, ratios and pass/fail (bench/targets.py);
`all` runs every group.

The app is prepared and started as `make demo` does it (migrate, collectstatic,
load_demo, one scheduler pass for the trending lists, uvicorn with BENCH_WORKERS
workers) on a throwaway data directory: SQLite by default; with DATABASE_URL set to
PostgreSQL, in a scratch database created on that server and dropped afterwards;
with REDIS_URL set, on that Redis (cache, live events) under a key prefix of its own.

Each scenario runs for BENCH_SECONDS with BENCH_CONNECTIONS keep-alive connections
from BENCH_THREADS wrk threads over loopback, so client and server share the machine
(targets: 10 s, 32 and 2 unless set, as the issue measures; the other groups 4 s,
8 and 2). BENCH_DEMO_BUILD names a directory built by newsroom.demo.server.build_demo
to copy instead of building the demo again (SQLite only; for quick runs).
`pages`: the front page and a section; the article with 47 comments and the one with
10,000 (first page), anonymous and signed in as the demo reader JJE; JJE voting up
one comment (as the page's htmx sends it; a vote states the vote wanted, so after the
first each request asks again for the vote JJE has: the lock and a read, no write);
and JJE posting comments on the 10,000-comment article (a plain
form post; the bench data's rate limit is 0 and every body ends in a word of its
own, as the app refuses a reader's duplicate).

`api`: the JSON API's batch of comment counts for 100 article addresses of both
sites, with the anonymous rate limit raised (BENCH_API_RATE) so the endpoint is
measured, not its throttle. `trending`: the article page with the trending widgets,
with read counting on and off, in memory and in Redis (bench/trending.py).
`reads`: BENCH_READS (10,000) readers' GETs on two workers sharing Redis, all
counted after the scheduler's flush (bench/reads.py). `votes`: 1,000 vote requests a
round (250 readers, 4 clicks each, up, down or none) on one comment, then stored
counts checked against the vote rows (bench/votes.py). `alerts`: one breaking alert
to 10,000 subscribers (bench/alerts.py). `imports`: a 100,000-comment Disqus export
through `manage.py import_comments` (bench/imports.py).

wrk is Debian's package `wrk`. When it is missing the bench installs it with apt-get
if it runs as root; otherwise it says so and measures with Python threads instead.

Writes requests/s and p50/p99 latency, with the machine, Python, database and date,
to bench/RESULTS.md: one section per group and database kind, so a PostgreSQL run
keeps the last SQLite figures beside it, and a run of one group keeps the others.
Bounded: every scenario has a fixed duration and the server stops at the end.
"""

import contextlib
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsroom.demo import discussion  # noqa: E402
from newsroom.demo.server import (  # noqa: E402
    DEMO_TRUSTED_PROXIES,
    DemoServer,
    copy_demo,
    embedded_env,
    free_port,
    manage,
    uvicorn_proxy_options,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))  # as `make demo`
READER = {"login": "JJE", "password": "newsroom-reader"}  # printed by `make demo`
RESULTS = ROOT / "bench" / "RESULTS.md"
LUA = ROOT / "bench" / "wrk.lua"
GROUPS = ("targets", "pages", "api", "trending", "reads", "votes", "alerts", "imports")
DEFAULT_GROUPS = ("targets",)  # `make bench`: issue 15's Targets table
LOADED_BY_WRK = {"targets", "pages", "api", "trending"}
SERVED = LOADED_BY_WRK | {"reads", "votes"}  # the groups that serve the demo
# High enough that no bench run meets the API's throttle (default 120/min per address).
API_RATE = os.environ.get("BENCH_API_RATE", "1000000/min")
API_URLS = 100  # the most /api/v1/comment-counts takes in one call
START_TIMEOUT = 180  # seconds for uvicorn to listen; slow on a busy machine

# Run by `manage.py shell` in the bench's data: no rate limit between one reader's
# comments, and where the two discussions are.
SETUP = """
import json
from wagtail.models import Site
from newsroom.comments.models import Comment, CommentSettings, Thread
for site in Site.objects.all():
    rules = CommentSettings.for_site(site)
    rules.min_interval_seconds = 0
    rules.save(update_fields=["min_interval_seconds"])
found = {}
for key, headline in HEADLINES.items():
    thread = Thread.objects.select_related("page").get(page__title=headline)
    first = Comment.objects.filter(thread=thread, status="published")
    found[key] = {
        "page_id": thread.page_id,
        "path": thread.page.specific.get_url_parts()[2],
        "comment_id": first.order_by("created_at", "id").first().pk,
    }
# The trending comparison reads an article whose page shows the network mix: one on
# a site whose sister sites have a trending list.
from django.conf import settings
from newsroom.news.models import ArticlePage
from newsroom.trending.models import TrendingEntry
listed = set(
    TrendingEntry.objects.filter(list="trending").values_list("site_id", flat=True)
)
for site in Site.objects.order_by("pk"):
    if listed - {site.pk}:
        article = (
            ArticlePage.objects.live().public().descendant_of(site.root_page)
            .order_by("-first_published_at", "pk").first()
        )
        found["trending"] = {
            "page_id": article.pk,
            "host": site.hostname,
            "path": article.get_url_parts()[2],
            "title": article.title,
            "comments": Thread.objects.filter(page=article)
            .values_list("comment_count", flat=True).first() or 0,
        }
        break
found["flush_seconds"] = settings.NEWSROOM_TRENDING_FLUSH
print("BENCH_JSON", json.dumps(found))
"""


@dataclass
class Scenario:
    name: str
    path: str
    method: str = "GET"
    form: dict = field(default_factory=dict)
    unique: bool = False  # end the form's last field with a word of its own
    headers: dict = field(default_factory=dict)
    readers: bool = False  # end the User-Agent with a word of its own: a new reader

    def body(self, suffix: str = "") -> str:
        return urlencode(self.form) + (f"+{suffix}" if self.unique and suffix else "")


def call(port, host, method, path, *, body="", headers=None):
    """One request over a fresh connection: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            method, path, body=body or None, headers={"Host": host, **(headers or {})}
        )
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def _set_cookies(headers) -> dict:
    jar = SimpleCookie()
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def sign_in(port, host) -> tuple[str, str]:
    """Sign the demo reader in through the sign-in page: (Cookie header, CSRF token)."""
    _status, headers, _body = call(port, host, "GET", "/accounts/login/")
    cookies = _set_cookies(headers)
    form = {**READER, "csrfmiddlewaretoken": cookies["csrftoken"]}
    status, headers, _body = call(
        port,
        host,
        "POST",
        "/accounts/login/",
        body=urlencode(form),
        headers={
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    cookies |= _set_cookies(headers)  # signing in rotates the CSRF token
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"signing in as {READER['login']} failed ({status})")
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    return cookie, cookies["csrftoken"]


def scenarios(found, cookie, token) -> list[Scenario]:
    heated, crowd = found["heated"], found["crowd"]
    signed = {"Cookie": cookie}
    return [
        Scenario("front page, anonymous", "/"),
        Scenario("section (World), anonymous", "/world/"),
        Scenario("article with 47 comments, anonymous", heated["path"]),
        Scenario("article with 10,000 comments (page 1), anonymous", crowd["path"]),
        Scenario("article with 47 comments, signed in", heated["path"], headers=signed),
        Scenario(
            "article with 10,000 comments (page 1), signed in",
            crowd["path"],
            headers=signed,
        ),
        Scenario(
            "vote up a comment (htmx), signed in",
            f"/comments/{crowd['comment_id']}/vote/",
            "POST",
            {"csrfmiddlewaretoken": token, "value": "up"},
            headers={**signed, "HX-Request": "true"},
        ),
        Scenario(
            "post a comment (10,000-comment article), signed in",
            f"/comments/on/{crowd['page_id']}/post/",
            "POST",
            {"csrfmiddlewaretoken": token, "body": "Bench comment"},
            unique=True,
            headers=signed,
        ),
    ]


def _headers(host, scenario) -> dict:
    headers = {"Host": host, **scenario.headers}
    if scenario.method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return headers


def check_once(port, host, scenario) -> None:
    """Warm the page (photo renditions, caches) and make sure the request works."""
    status, _headers_, body = call(
        port,
        host,
        scenario.method,
        scenario.path,
        body=scenario.body("warm-up"),
        headers=_headers(host, scenario),
    )
    # A refused vote still answers htmx with 200, its message in the fragment.
    if status not in (200, 302) or b"vote-error" in body:
        raise RuntimeError(f"{scenario.name}: {status} {body[:300]!r}")


def ensure_wrk() -> str | None:
    """wrk's path; installed from Debian's package when missing and running as root,
    with Varnish and its xkey module for the front-cache scenarios (bench/fronts.py)."""
    if not Path(os.environ.get("BENCH_VARNISHD", "/usr/sbin/varnishd")).exists():
        apt_install("varnish", "varnish-modules")
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        if not found:
            print(
                "wrk is not installed and this is not root, so it cannot be installed "
                "here (`sudo apt-get install wrk`). Measuring with Python threads "
                "instead: they load the server less evenly than wrk."
            )
        return found
    apt_install("wrk")
    return shutil.which("wrk")


def apt_install(*packages) -> None:
    """Install Debian packages when this is root on Debian; otherwise say how."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        names = " ".join(packages)
        print(f"Missing: {names} (`sudo apt-get install {names}`).")
        return
    print(f"Installing {', '.join(packages)} (apt-get install -y)...")
    quiet = {
        "capture_output": True,
        "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    }
    install = ["apt-get", "install", "-y", "-q", *packages]
    if subprocess.run(install, **quiet).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], **quiet)
        subprocess.run(install, **quiet)


def run_wrk(wrk, port, host, scenario, seconds=SECONDS) -> dict:
    command = [wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s"]
    command += ["--timeout", "10s", "-s", str(LUA)]
    for name, value in _headers(host, scenario).items():
        command += ["-H", f"{name}: {value}"]
    command += [f"http://127.0.0.1:{port}{scenario.path}", "--", scenario.method]
    command += [scenario.body(), "unique" if scenario.unique else ""]
    command += ["readers" if scenario.readers else ""]
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON"))
    data = json.loads(line.removeprefix("BENCH_JSON"))
    return {
        "rps": data["requests"] / (data["duration_us"] / 1e6),
        "p50": data["p50_us"] / 1000,
        "p99": data["p99_us"] / 1000,
        "requests": data["requests"],
        "errors": data["socket_errors"] + data["status_errors"],
    }


def run_threads(port, host, scenario, seconds=SECONDS) -> dict:
    """The same load from Python threads, each with one keep-alive connection."""
    deadline = time.monotonic() + seconds
    latencies, errors, lock = [], [0], threading.Lock()

    def client(number):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], 0
        while time.monotonic() < deadline:
            word = f"t{number}n{len(mine)}"
            body = scenario.body(word)
            headers = _headers(host, scenario)
            if scenario.readers:
                headers["User-Agent"] = f"{headers.get('User-Agent', '')} {word}"
            started = time.perf_counter()
            connection.request(scenario.method, scenario.path, body or None, headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            bad += response.status >= 400
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    clients = [threading.Thread(target=client, args=(n,)) for n in range(CONNECTIONS)]
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


@contextlib.contextmanager
def bench_database():
    """(environment overrides for the app, a description of its database)."""
    url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    name = f"newsroom_bench_{uuid.uuid4().hex[:10]}"
    env = {"REDIS_URL": redis_url, "NEWSROOM_CACHE_PREFIX": name} if redis_url else {}
    cache = f", Redis {_redis_version(redis_url)}" if redis_url else ""
    if not url.startswith(("postgres://", "postgresql://")):
        yield env, f"SQLite {sqlite3.sqlite_version} (embedded mode){cache}"
        return
    import psycopg

    admin = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
        version = connection.execute("SHOW server_version").fetchone()[0]
    try:
        scratch = urlsplit(url)._replace(path=f"/{name}").geturl()
        yield {**env, "DATABASE_URL": scratch}, f"PostgreSQL {version}{cache}"
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare_demo(data_dir, port, env) -> dict:
    """Migrate, collect static files and load the demo network in `data_dir` for
    sites on `port`, then run one scheduler pass, as `make demo`'s scheduler does
    at start (it computes the trending lists); returns the app's environment."""
    # Readers come from loopback with addresses of their own in X-Forwarded-For.
    env = embedded_env(
        **{"NEWSROOM_TRUSTED_PROXIES": DEMO_TRUSTED_PROXIES, **env},
        NEWSROOM_DATA_DIR=str(data_dir),
    )
    built = os.environ.get("BENCH_DEMO_BUILD")
    if built and "DATABASE_URL" not in env:
        copy_demo(built, data_dir)  # its static files are the build's, linked
    manage("migrate", "--noinput", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    manage("load_demo", "--port", str(port), env=env, timeout=1800)
    manage("run_scheduler", "--once", env=env)
    return env


@contextlib.contextmanager
def serve(port, env, *, app="newsroom.asgi:application", options=None, log=None):
    """Serve the prepared demo with uvicorn as newsroom.demo.server.served_demo does
    (split from its preparation, so a bench can restart it with another environment
    on the same data and port); yield a DemoServer. `app` and `options` (more
    uvicorn flags) serve something else the same way (bench/ceiling.py); `log`, an
    open file, takes what the server prints instead of this terminal."""
    command = [sys.executable, "-m", "uvicorn", app]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(WORKERS)]
    command += uvicorn_proxy_options(env)
    for name, value in (options or {}).items():
        command += [name, value]
    # Open live-update streams would otherwise hold shutdown for minutes.
    command += ["--log-level", "warning", "--timeout-graceful-shutdown", "3"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                # The socket listens before a worker answers: wait for an answer.
                call(port, f"ledger.localhost:{port}", "GET", "/robots.txt")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the demo server did not start") from None
                time.sleep(0.2)
        yield DemoServer(port=port, pid=server.pid, env=env)
    finally:
        server.terminate()
        server.wait(timeout=60)


def bench_setup(env) -> dict:
    """Relax the posting rate limit and find the bench's articles (SETUP)."""
    headlines = {
        "heated": discussion.HEATED["headline"],
        "crowd": discussion.CROWD["headline"],
    }
    setup = manage(
        "shell", "-v", "0", "-c", f"HEADLINES = {headlines!r}\n{SETUP}", env=env
    )
    line = next(x for x in setup.stdout.splitlines() if x.startswith("BENCH_JSON"))
    return json.loads(line.removeprefix("BENCH_JSON"))


def _redis_version(url) -> str:
    import redis

    return redis.Redis.from_url(url).info("server")["redis_version"]


def server_rss_mb(pid: int) -> float:
    """Resident memory of uvicorn's main process and its workers."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    total_kb = 0
    for each in [str(pid), *children.stdout.split()]:
        status = Path(f"/proc/{each}/status")
        if status.exists():
            lines = status.read_text().splitlines()
            total_kb += sum(
                int(line.split()[1]) for line in lines if line.startswith("VmRSS:")
            )
    return total_kb / 1024


def machine() -> str:
    cpu, memory = platform.processor() or platform.machine(), ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 1024**2:.1f} GiB RAM"
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores{memory}, {system}"


def load(wrk, port, host, scenario, seconds=SECONDS) -> dict:
    """Load one scenario with wrk, or with Python threads when wrk is missing."""
    if wrk:
        return run_wrk(wrk, port, host, scenario, seconds)
    return run_threads(port, host, scenario, seconds)


def measure(server, wrk, found) -> tuple[list, float]:
    port = server.port
    host = f"ledger.localhost:{port}"
    cookie, token = sign_in(port, host)
    rows = []
    for scenario in scenarios(found, cookie, token):
        check_once(port, host, scenario)
        result = load(wrk, port, host, scenario)
        print(
            f"{scenario.name}: {result['rps']:.0f} requests/s, "
            f"p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms"
        )
        rows.append((scenario.name, result))
    return rows, server_rss_mb(server.pid)


def article_urls(port, host, wanted=API_URLS) -> list[str]:
    """`wanted` distinct addresses of the demo's articles on both sites, as the API
    lists them. The demo holds fewer articles than that, so the same articles come
    again as other sites link them: with a tracking parameter, then to the comments
    (the API sets both aside and finds the article)."""
    plain, number, pages = [], 1, 1
    while number <= pages:
        status, _headers_, body = call(
            port, host, "GET", f"/api/v1/articles?page={number}"
        )
        if status != 200:
            raise RuntimeError(f"/api/v1/articles: {status} {body[:300]!r}")
        listing = json.loads(body)
        plain += [article["url"] for article in listing["results"]]
        number, pages = number + 1, listing["pages"]
    urls = []
    for suffix in ("", "?utm_source=partner", "#comments", "?utm_medium=email"):
        urls += [url + suffix for url in plain][: wanted - len(urls)]
    return urls


def measure_api(server, wrk) -> tuple[list, dict]:
    """Comment counts for API_URLS article addresses in one call."""
    port = server.port
    host = f"ledger.localhost:{port}"
    urls = article_urls(port, host)
    path = "/api/v1/comment-counts?" + urlencode([("url", url) for url in urls])
    scenario = Scenario(f"comment counts for {len(urls)} article addresses", path)
    status, _headers_, body = call(port, host, "GET", path)
    counts = json.loads(body)["counts"] if status == 200 else []
    if len(counts) != len(urls) or any(row["count"] is None for row in counts):
        raise RuntimeError(f"{scenario.name}: {status} {body[:300]!r}")
    sites = {urlsplit(url).hostname for url in urls}
    result = load(wrk, port, host, scenario)
    print(
        f"{scenario.name}: {result['rps']:.0f} requests/s, "
        f"p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms"
    )
    about = {
        "urls": len(urls),
        "articles": len({row["article"] for row in counts}),
        "sites": ", ".join(sorted(sites)),
        "comments": sum(row["count"] for row in counts),
        "path_bytes": len(path),
    }
    return [(scenario.name, result)], about


def preamble(
    *, when, command, tool, load, database, app, per="scenario", clients=None
) -> list:
    """The lines that open every HTTP section: when, how, on what."""
    clients = clients or f"{CONNECTIONS} connections, {SECONDS} s per {per}"
    return [
        f"Measured {when:%Y-%m-%d %H:%M} UTC with `{command}` ({tool}; "
        f"{clients}, over loopback: the client shares the machine with the server).",
        "",
        f"- Machine: {machine()}; load average {load:.2f} before the run "
        "(other work on the machine slows every figure)",
        f"- Python: {platform.python_version()} ({platform.python_implementation()})",
        f"- App: {app}",
        f"- Database: {database}",
    ]


def report(rows, rss, *, notes=(), **about) -> str:
    lines = [
        *preamble(app=f"uvicorn, {WORKERS} workers, as `make demo` serves it", **about),
        *notes,
        "",
        "| scenario | requests/s | p50 ms | p99 ms | requests | errors |",
        "|---|---:|---:|---:|---:|---:|",
        *[
            f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
            f"| {r['requests']} | {r['errors']} |"
            for name, r in rows
        ],
        "",
        f"Server resident memory after the run: {rss:.0f} MB (uvicorn and workers).",
    ]
    failed = [name for name, r in rows if r["errors"]]
    if failed:
        lines.append(
            f"Requests failed in: {', '.join(failed)}; the server's tracebacks are "
            "in the terminal output of that run."
        )
    return "\n".join(lines)


HEADER = """# Benchmark results

Written by bench/run.py: the demo served as `make demo` serves it and loaded with
wrk. The Targets sections (`make bench`, bench/targets.py) measure issue 15's
Targets table with the ceilings of the same run. In the sections named by their
database alone (`python bench/run.py pages`), signed in means the demo reader JJE's
session; voting asks again for JJE's up vote on one comment (a vote states the vote
wanted, so after the first nothing changes); posting adds comments to the
10,000-comment article. Errors are failed connections and responses outside 2xx and
3xx. The API sections call the JSON API's batch of comment counts; the Trending
sections compare an article page with read counting on and off (bench/trending.py).
The Reads sections (bench/reads.py) send 10,000 readers' GETs to two workers sharing
Redis and check that the scheduler's flush counts every one. The Votes sections
(bench/votes.py) send 1,000 concurrent vote requests a round on one comment and check
the stored counts against the vote rows. The Alerts sections
(bench/alerts.py) send one breaking alert to 10,000 subscribers through a local SMTP
sink.
"""
SECTION = re.compile(r"<!-- bench: ([^>]+?) -->\n(.*?)<!-- /bench -->\n", re.DOTALL)
# Sections in this order, each SQLite before PostgreSQL: the targets, the pages
# (named by their database alone), then the rest.
ORDER = ("API", "Trending", "Reads", "Votes", "Alerts", "Imports")


def _place(kind: str) -> tuple:
    group = next((n + 1 for n, name in enumerate(ORDER) if kind.startswith(name)), 0)
    if kind.startswith("Targets"):
        group = -1
    return group, "SQLite" not in kind, kind


def write_results(kind: str, text: str) -> None:
    """Replace this section of RESULTS.md, keeping the others."""
    existing = RESULTS.read_text() if RESULTS.exists() else ""
    sections = dict(SECTION.findall(existing))
    sections[kind] = f"## {kind}\n\n{text}\n"
    body = "".join(
        f"<!-- bench: {k} -->\n{sections[k]}<!-- /bench -->\n"
        for k in sorted(sections, key=_place)
    )
    RESULTS.write_text(f"{HEADER}\n{body}")


def chosen_groups(argv) -> list[str]:
    unknown = [name for name in argv if name not in (*GROUPS, "all")]
    if unknown:
        raise SystemExit(
            f"unknown bench group {', '.join(unknown)}; choose from "
            f"{', '.join(GROUPS)} or all"
        )
    if "all" in argv:
        return list(GROUPS)
    return [name for name in GROUPS if name in argv] or list(DEFAULT_GROUPS)


def main(argv):
    groups = chosen_groups(argv)
    command = (
        "make bench"
        if groups == list(DEFAULT_GROUPS)
        else f"python bench/run.py {' '.join(groups)}"
    )
    # The bench's own settings, so the command in RESULTS.md repeats the run.
    chosen = sorted(f"{k}={v}" for k, v in os.environ.items() if k.startswith("BENCH_"))
    command = " ".join([*chosen, command])
    wrk = ensure_wrk() if LOADED_BY_WRK & set(groups) else None
    tool = "wrk " + _wrk_version(wrk) if wrk else "Python threads (wrk missing)"
    failures = []
    if SERVED & set(groups):
        about = {"command": command, "tool": tool}
        failures = served_groups(groups, wrk, about)
    if "alerts" in groups:
        # A breaking alert to 10,000 subscribers, on the same kind of database.
        subprocess.run([sys.executable, str(ROOT / "bench" / "alerts.py")], check=True)
    if "imports" in groups:
        subprocess.run([sys.executable, str(ROOT / "bench" / "imports.py")], check=True)
    if failures:
        raise SystemExit(f"{'; '.join(failures)}; see {RESULTS}")


def served_groups(groups, wrk, about) -> list[str]:
    """Prepare the demo once and run the groups that serve it; what failed: a
    targets scenario that measured nothing, reads the reads group found missing."""
    import reads

    # Fail before the minutes of preparing the demo when the reads have no Redis.
    redis_url = reads.shared_redis() if "reads" in groups else None
    failures = []
    with bench_database() as (env, database):
        kind = "PostgreSQL" if database.startswith("PostgreSQL") else "SQLite"
        about = {**about, "database": database}
        with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as data_dir:
            port = free_port()
            env = prepare_demo(data_dir, port, env)
            found = bench_setup(env)
            if "targets" in groups:
                import targets

                load_before = os.getloadavg()[0]
                text, failed = targets.measure(
                    port, env, wrk, found, {**about, "load": load_before}
                )
                finish(f"Targets{' (quick)' * targets.QUICK}, {kind}", text)
                if failed:
                    failures.append("targets: a scenario FAILED")
            http_groups(groups, port, env, wrk, found, kind, about)
            if "trending" in groups:
                import trending

                text = trending.measure(port, env, wrk, found, about)
                finish(f"Trending, {kind}", text)
            if redis_url:
                text, all_counted = reads.measure(port, env, redis_url, about)
                finish(f"Reads, {kind}", text)
                if not all_counted:
                    failures.append("reads: not every read was counted")
            if "votes" in groups:
                import votes

                text, right = votes.measure(port, env, found, about)
                finish(f"Votes, {kind}", text)
                if not right:
                    failures.append("votes: counts or readers' votes came out wrong")
    return failures


def http_groups(groups, port, env, wrk, found, kind, about) -> None:
    """The pages and the API, on one server."""
    if not {"pages", "api"} & set(groups):
        return
    load_before = os.getloadavg()[0]
    with serve(port, {**env, "NEWSROOM_API_RATE_ANONYMOUS": API_RATE}) as server:
        if "pages" in groups:
            rows, rss = measure(server, wrk, found)
            when = datetime.datetime.now(tz=datetime.UTC)
            text = report(rows, rss, when=when, load=load_before, **about)
            finish(kind, text)
            load_before = os.getloadavg()[0]
        if "api" in groups:
            rows, seen = measure_api(server, wrk)
            notes = [
                f"- Anonymous API rate limit: NEWSROOM_API_RATE_ANONYMOUS={API_RATE} "
                "(the default 120/min would measure the throttle's 429s)",
                f"- Request: GET /api/v1/comment-counts with {seen['urls']} `url` "
                f"parameters ({seen['path_bytes']:,} bytes of path and query): "
                f"the demo's {seen['articles']} articles on {seen['sites']}, listed "
                "by /api/v1/articles, then again with a tracking parameter or "
                f"#comments (the demo holds fewer than {API_URLS}); every address "
                f"resolves, {seen['comments']:,} comments in all",
            ]
            when = datetime.datetime.now(tz=datetime.UTC)
            text = report(
                rows,
                server_rss_mb(server.pid),
                when=when,
                load=load_before,
                notes=notes,
                **about,
            )
            finish(f"API, {kind}", text)


def finish(kind, text) -> None:
    write_results(kind, text)
    print(f"\n{text}\n\nWritten to {RESULTS.relative_to(ROOT)} ({kind}).")


def _wrk_version(wrk) -> str:
    output = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout
    return output.split()[1] if output.startswith("wrk ") else ""


if __name__ == "__main__":
    main(sys.argv[1:])
