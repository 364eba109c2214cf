"""Run the demo network as `make demo` serves it, for browser tests and benchmarks,
and read its articles over HTTP as many readers at once.

The server runs in a child process on its own data directory (SQLite unless the
caller passes DATABASE_URL in `env`), so it cannot disturb the caller's database.
Building the demo takes most of a minute, so a caller that serves it several times
builds it once (`build_demo`) and serves copies of that build (`served_demo(…,
source=built)`), each on its own port and data directory.

The readers (`read_in_parallel`, each viewing an article as a browser does: the
page, then the read beacon it names) are what the two-process trending test sends
at a small size and bench/reads.py at ten thousand; `stored` is what the served
demo's database then holds, read by `manage.py shell` in the server's environment.
"""

import concurrent.futures
import contextlib
import http.client
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from django.utils.text import slugify

from . import content

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60  # seconds for uvicorn to answer its first request
DATABASE_FILE = "newsroom.sqlite3"  # settings.SQLITE_PATH under the data directory
# A browser's User-Agent: the app counts its article beacons as reads.
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
STORED = "from newsroom.demo.server import print_stored; print_stored()"
# Where an article page's script sends its read beacon
# (trending/includes/read_beacon.html).
BEACON = re.compile(rb'data-read-beacon="([^"]+)"')


class DemoServer(NamedTuple):
    port: int
    pid: int  # uvicorn's main process; its workers are its children
    env: dict  # the environment it runs in, for commands against the same data


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The demo's readers are simulated from loopback, each with an address of its own in
# X-Forwarded-For (read_all), so a served demo trusts loopback as a proxy. Only the
# demo and the benches do; an install trusts no proxy until told
# (docs/configuration.md, NEWSROOM_TRUSTED_PROXIES).
DEMO_TRUSTED_PROXIES = "127.0.0.1,::1"


def uvicorn_proxy_options(env) -> list[str]:
    """uvicorn's options for proxy headers, from the NEWSROOM_TRUSTED_PROXIES the
    app reads too (newsroom/ratelimit/clients.py): read from those proxies only, or
    from nobody."""
    trusted = env.get("NEWSROOM_TRUSTED_PROXIES", "")
    if trusted:
        return ["--proxy-headers", "--forwarded-allow-ips", trusted]
    return ["--no-proxy-headers"]


def embedded_env(**overrides) -> dict:
    """This process's environment in the embedded mode (no DATABASE_URL, REDIS_URL)."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")
    }
    return {**env, **overrides}


def manage(*args, env, check=True, timeout=600):
    """Run `manage.py` in a child process and return its CompletedProcess.

    With `check`, a failure raises with the end of what the command printed."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} exited {result.returncode}:\n"
            f"{result.stdout[-2000:]}{result.stderr[-3000:]}"
        )
    return result


LOAD_OUTPUT = "load_demo.out"  # what the build's `load_demo` printed, for tests


def build_demo(data_dir, *, env=None, port: int = 8000) -> Path:
    """Migrate, collect static files and load the demo network into `data_dir`, as
    `make demo` does before it serves; returns `data_dir`, where LOAD_OUTPUT keeps
    what `load_demo` printed."""
    env = embedded_env(**(env or {}), NEWSROOM_DATA_DIR=str(data_dir))
    manage("migrate", "--noinput", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    loaded = manage("load_demo", "--port", str(port), env=env)
    (Path(data_dir) / LOAD_OUTPUT).write_text(loaded.stdout)
    return Path(data_dir)


def copy_demo(source, target) -> Path:
    """Copy an embedded-mode build into `target`: the database through SQLite's
    backup (consistent whatever its write-ahead log holds), uploaded media as
    files, and the collected static files shared, since nothing writes them."""
    source, target = Path(source), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    with (
        contextlib.closing(sqlite3.connect(source / DATABASE_FILE)) as original,
        contextlib.closing(sqlite3.connect(target / DATABASE_FILE)) as copy,
    ):
        original.backup(copy)
    shutil.copytree(source / "media", target / "media", dirs_exist_ok=True)
    shutil.copy2(source / "secret_key", target / "secret_key")
    (target / "static").symlink_to(source / "static")
    return target


@contextlib.contextmanager
def served_demo(data_dir, *, workers: int = 1, env=None, source=None):
    """Serve the demo network from `data_dir` with uvicorn; yield a DemoServer.

    With `source` (a `build_demo` directory) the demo is copied from there;
    without, it is built in `data_dir` first. Either way the sites are moved to
    the server's port (a second `load_demo`, which adds nothing else)."""
    port = free_port()
    env = embedded_env(
        **{"NEWSROOM_TRUSTED_PROXIES": DEMO_TRUSTED_PROXIES, **(env or {})},
        NEWSROOM_DATA_DIR=str(data_dir),
    )
    if source is None:
        build_demo(data_dir, env=env, port=port)
    else:
        copy_demo(source, data_dir)
        manage("load_demo", "--port", str(port), env=env)
    with serving(env, port=port, workers=workers) as server:
        yield server


@contextlib.contextmanager
def serving(env, *, port=None, workers: int = 1):
    """uvicorn serving the app in `env` (a served demo's, for another app server
    beside it on the same database) on `port` or a free one; yield a DemoServer."""
    port = port or free_port()
    command = [sys.executable, "-m", "uvicorn", "newsroom.asgi:application"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--log-level", "warning"]
    command += uvicorn_proxy_options(env)
    # Open live-update streams would otherwise hold shutdown for minutes.
    command += ["--timeout-graceful-shutdown", "3"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_until_answering(port, server)
        yield DemoServer(port=port, pid=server.pid, env=env)
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until_answering(port: int, server: subprocess.Popen) -> None:
    """Return once a worker answers on `port`: the socket listens before any
    worker has loaded the app."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(  # noqa: S310 - our own server on loopback
                f"http://127.0.0.1:{port}/robots.txt", timeout=5
            ):
                return
        except urllib.error.HTTPError:  # an answer all the same
            return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the demo server did not start") from None
            time.sleep(0.2)


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


def undiscussed_articles(count) -> list[tuple[str, str, str]]:
    """(host, path, url_path) of demo articles nobody comments on, alternating sites:
    their pages cost the least to render. Needs Django set up (the loader's models)."""
    from .loader import HEADLINE_SLUG_LENGTH

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
    """View each numbered reader's article on one keep-alive connection as a
    browser does: GET the page, then POST the read beacon it names; count the views
    per article. Raises on any answer but the page's 200 and the beacon's 204."""
    served = Counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        for number in numbers:
            host, path, url_path = articles[number % len(articles)]
            headers = {
                "Host": host,
                "User-Agent": CHROME,
                # The served demo trusts loopback as a proxy: the reader's address.
                "X-Forwarded-For": forwarded_for(number),
            }
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            page = response.read()
            beacon = BEACON.search(page)
            if response.status != 200 or beacon is None:
                raise RuntimeError(f"GET {path} on {host}: {response.status}")
            # The script's request: a POST without cookies or body.
            connection.request("POST", beacon[1].decode(), headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 204:
                raise RuntimeError(f"beacon of {path} on {host}: {response.status}")
            served[url_path] += 1
    finally:
        connection.close()
    return served


def read_in_parallel(port, articles, *, reads: int, threads: int) -> Counter:
    """`reads` readers, numbered from 0, each view one of `articles` in turn (the
    page, then its beacon), over `threads` keep-alive connections; returns the
    views per url_path."""
    served = Counter()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        batches = [range(first, reads, threads) for first in range(threads)]
        for counted in pool.map(lambda n: read_all(port, articles, n), batches):
            served.update(counted)
    return served


def print_stored() -> None:
    """Print, as JSON, the reads stored per article and what the lists hold; run in
    the served demo's environment by `manage.py shell` (`stored`)."""
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
    """The reads stored per article url_path ("reads"), the trending list entries
    per "host list" ("lists") and the comments older than their story, in the
    database of the demo served with `env`."""
    return json.loads(manage("shell", "-v", "0", "-c", STORED, env=env).stdout)
