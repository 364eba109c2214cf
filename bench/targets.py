"""`make bench` (`python bench/run.py targets`): issue 15's Targets table, measured.

On the demo prepared by bench/run.py, served by uvicorn with BENCH_WORKERS (2)
workers as `make demo` serves it, wrk loads each scenario for BENCH_SECONDS (10) with
BENCH_CONNECTIONS (32) keep-alive connections from BENCH_THREADS (2) threads over
loopback, BENCH_ROUNDS (3) rounds of every scenario in turn; medians are reported.
The ceilings run in the same rounds, so every figure is also a ratio to a ceiling
measured minutes apart on the same loaded machine:
- the raw ASGI app of bench/ceiling.py, served by the same uvicorn with the same
  workers and flags, answering every request with the exact status, headers and
  bytes the demo served for the article with 47 comments (as fetched with the
  bench's Accept-Encoding, BENCH_ACCEPT_ENCODING, a browser's by default);
- the same bytes from a WSGI app under the same uvicorn (`--interface wsgi`): what
  answering from a thread costs;
- Varnish serving those bytes as a static object (bench/static.vcl).

Scenarios, each an anonymous reader's GET unless said otherwise:
- the article with 47 comments from the app alone, warm (a hit of its page cache),
  and each request a new URL (`?nocache=<n>`: the page cache keys on the whole URL,
  so every request is a miss and renders the page);
- the 10,000-comment thread, first page and `?cpage=200`, hit and miss, each as a
  ratio to the 47-comment page's hit or miss;
- the article through Varnish in front of the app (deploy/varnish/newsroom.vcl,
  see bench/fronts.py), as a ratio to Varnish's static object;
- a signed-in page view: the shared page and the reader's overlay
  (`/me/overlay/?page=<pk>`) with the `sessionid` and `nr_overlay=1` cookies, both
  pipelined on one connection and counted as one view; BENCH_READERS (400) readers,
  each request the next reader's (bench/readers.lua);
- a 404, each request a new path (what a crawler's misses cost; a repeated path is
  also measured, as the page cache may keep a 404), and its queries in-process;
- a vote and a comment post by BENCH_WRITERS (5,000) signed-in readers, each within
  the site's limits (bench/inprocess.py): every request is the next reader's, so a
  reader votes or posts again only after all the others have had their turn;
- rendering the article with every Django cache empty, CPU ms in-process
  (bench/inprocess.py), signed in and anonymous, and the overlay;
- publish and moderator removal until every cached page shows it (bench/purges.py);
- the resident memory of each app server process after all of it: as the load
  ends, at its peak, and once idle long enough for the allocator's trim.

A scenario whose answers are more than 1% failures (a status other than the one it
expects, a refusal such as a vote answered with its error, a broken connection) or
that the app does not serve yet (checked with one request before the load) is
FAILED: no rate is printed for it, the table says why, and `make bench` exits
non-zero. A request unanswered after 10 s is slow rather than refused: counted and
shown, and past 1% of requests the p99 reads 10,000 ms. Targets missed are marked
"missed" (exit 0 unless BENCH_STRICT=1).

BENCH_QUICK=1 is a short run for trying the bench itself (3 s runs, one round, 1,000
writers, fewer renders and purges); BENCH_SCENARIOS=article,vote,renders,purges (the
keys of `loads`, plus `renders` and `purges`) measures only those.
"""

import contextlib
import datetime
import html
import json
import os
import re
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import fronts
import inprocess
import purges
import run

from newsroom.demo import discussion
from newsroom.demo.server import free_port, uvicorn_workers

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")


def _setting(name: str, full: int, quick: int) -> int:
    return int(os.environ.get(name, quick if QUICK else full))


SECONDS = _setting("BENCH_SECONDS", 10, 3)
CONNECTIONS = _setting("BENCH_CONNECTIONS", 32, 32)
THREADS = _setting("BENCH_THREADS", 2, 2)
ROUNDS = _setting("BENCH_ROUNDS", 3, 1)
READERS = _setting("BENCH_READERS", 400, 400)
WRITERS = _setting("BENCH_WRITERS", 5000, 1000)
WARM_SECONDS = _setting("BENCH_WARM_SECONDS", 5, 2)
STRICT = os.environ.get("BENCH_STRICT", "") not in ("", "0")
# What a browser sends; the page cache and Varnish answer with brotli or gzip.
ACCEPT_ENCODING = os.environ.get("BENCH_ACCEPT_ENCODING", "gzip, deflate, br")
# Only these scenarios (keys of `loads`, comma separated), for a quick look.
ONLY = {key for key in os.environ.get("BENCH_SCENARIOS", "").split(",") if key}
WORST_SHARE = 0.01  # more failed answers than this and a scenario measured nothing
TIMEOUT = 10  # seconds wrk waits for an answer
BENCH = Path(__file__).resolve().parent
STATIC_LUA = BENCH / "wrk.lua"
READERS_LUA = BENCH / "readers.lua"


@dataclass
class Load:
    key: str
    name: str
    door: str  # the server it goes to: app, varnish, asgi, wsgi or static
    path: str
    mode: str = "static"  # bench/wrk.lua; otherwise bench/readers.lua's mode
    expect: int = 200  # the status of every answer
    per: int = 1  # answers per counted unit (a signed-in view is two)
    runs: list = field(default_factory=list)
    unsupported: str = ""
    skipped: bool = False  # not among BENCH_SCENARIOS


def loads(found) -> list[Load]:
    heated, crowd = found["heated"], found["crowd"]
    article, thread = heated["path"], crowd["path"]
    return [
        Load("asgi", "raw ASGI app, same bytes, same uvicorn", "asgi", article),
        Load("wsgi", "raw WSGI app, same bytes, same uvicorn", "wsgi", article),
        Load("static", "Varnish, same bytes as a static object", "static", article),
        Load("article", "article, 47 comments, hit", "app", article),
        Load(
            "article_miss",
            "article, 47 comments, miss (new URL each request)",
            "app",
            f"{article}?nocache={{n}}",
            "unique",
        ),
        Load("crowd", "10,000-comment thread, first page, hit", "app", thread),
        Load(
            "crowd_200",
            "10,000-comment thread, page 200, hit",
            "app",
            f"{thread}?cpage=200",
        ),
        Load(
            "crowd_miss",
            "10,000-comment thread, first page, miss",
            "app",
            f"{thread}?nocache={{n}}",
            "unique",
        ),
        Load(
            "crowd_200_miss",
            "10,000-comment thread, page 200, miss",
            "app",
            f"{thread}?cpage=200&nocache={{n}}",
            "unique",
        ),
        Load("varnish", "article, 47 comments, through Varnish", "varnish", article),
        Load(
            "signed",
            "signed-in view (page + overlay)",
            "app",
            article,
            "view",
            per=2,
        ),
        Load(
            "missing",
            "404, a new path each request",
            "app",
            "/no-such-page-{n}/",
            "unique",
            expect=404,
        ),
        Load(
            "missing_same",
            "404, the same path",
            "app",
            "/no-such-page/",
            "unique",
            expect=404,
        ),
        Load(
            "vote",
            "vote up a comment (htmx), signed in",
            "app",
            "/comments/{id}/vote/",
            "vote",
        ),
        Load(
            "post",
            "post a comment (10,000-comment thread), signed in",
            "app",
            f"/comments/on/{crowd['page_id']}/post/",
            "post",
            expect=302,
        ),
    ]


STARTED = time.monotonic()  # run.py imports this module as the group begins


def say(text: str) -> None:
    """A line of progress, with the minutes and seconds since the group began."""
    minutes, seconds = divmod(int(time.monotonic() - STARTED), 60)
    print(f"targets [{minutes:02d}:{seconds:02d}] {text}", flush=True)


# -- one wrk run ----------------------------------------------------------------


@dataclass
class Context:
    wrk: str
    ports: dict  # door -> port
    host: str
    overlay: str
    files: dict  # "views", "writers", "ids" -> Path


def _lua_arguments(load: Load, context: Context, round_number: int) -> list[str]:
    if load.mode == "static":
        return [str(STATIC_LUA), "--", "GET", "", "", ""]
    arguments = [str(READERS_LUA), "--", load.mode, str(THREADS)]
    if load.mode == "unique":
        return arguments + [load.path]
    if load.mode == "view":
        return arguments + [str(context.files["views"]), load.path, context.overlay]
    # Each round starts further along the writers, as a busy hour brings others.
    offset = round_number * (WRITERS // max(ROUNDS, 1))
    arguments += [str(context.files["writers"]), str(offset), str(round_number)]
    if load.mode == "vote":
        return arguments + [str(context.files["ids"])]
    return arguments + [load.path]


def wrk_run(load: Load, context: Context, round_number: int, seconds=None) -> dict:
    import subprocess

    seconds = seconds or SECONDS
    command = [context.wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s"]
    command += ["--timeout", f"{TIMEOUT}s", "-H", f"Host: {context.host}"]
    if ACCEPT_ENCODING:
        command += ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}"]
    script, *arguments = _lua_arguments(load, context, round_number)
    url = f"http://127.0.0.1:{context.ports[load.door]}{load.path.split('{')[0]}"
    command += ["-s", script, url, *arguments]
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 120, check=True
    ).stdout
    line = next(x for x in output.splitlines() if x.startswith("BENCH_JSON"))
    return outcome(load, json.loads(line.removeprefix("BENCH_JSON")))


def outcome(load: Load, data: dict) -> dict:
    """Rate of good answers, latency, and what went wrong ("why", None when nothing
    did). A request still unanswered after wrk's timeout (TIMEOUT) is slow, not
    refused: it does not fail the run, but wrk leaves it out of its latencies, so
    when more than WORST_SHARE of requests timed out the p99 is given as TIMEOUT."""
    seconds = data["duration_us"] / 1e6
    answers, timeouts = data["requests"], data.get("timeouts", 0)
    broken = data["socket_errors"] - timeouts  # connect, read and write errors
    statuses = data.get("statuses")
    if statuses is None:  # wrk.lua: wrk counts statuses over 399
        good = answers - data["status_errors"]
        statuses = {"2xx/3xx": good, "4xx/5xx": data["status_errors"]}
    else:
        good = statuses.get(str(load.expect), 0) - data.get("refused", 0)
    bad = answers - good + broken
    slow = timeouts > WORST_SHARE * (answers + timeouts)
    result = {
        "rate": good / load.per / seconds if seconds else 0.0,
        "p50": data["p50_us"] / 1000,
        "p99": TIMEOUT * 1000.0 if slow else data["p99_us"] / 1000,
        "answers": answers,
        "statuses": statuses,
        "refused": data.get("refused", 0),
        "socket_errors": broken,
        "timeouts": timeouts,
        "why": None,
    }
    if not answers:
        result["why"] = (
            f"no answer within the run's {seconds:.0f} s ({timeouts} timed out, "
            f"{broken} socket errors)"
        )
    elif bad > WORST_SHARE * (answers + broken):
        shown = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
        result["why"] = (
            f"{bad} of {answers + broken} answers were refusals or not {load.expect} "
            f"(statuses {shown or 'none'}; refused with 200: {result['refused']}; "
            f"socket errors: {broken})"
        )
        if load.mode in ("vote", "post"):
            every = WRITERS * seconds / answers
            result["why"] += (
                f"; each reader's turn came every {every:.1f} s (more readers, "
                "BENCH_WRITERS, space their turns further)"
            )
    return result


# -- checks before the load -------------------------------------------------------


def _reader(path: Path, line: int = 0) -> dict:
    session, token, address = path.read_text().splitlines()[line].split()
    return {"session": session, "token": token, "address": address}


def check(load: Load, context: Context) -> str:
    """One request as the load sends it: "" when answered as expected, else why."""
    port = context.ports[load.door]
    headers = {"Accept-Encoding": ACCEPT_ENCODING} if ACCEPT_ENCODING else {}
    asks = []
    if load.mode in ("static", "unique"):
        asks.append(("GET", load.path.replace("{n}", "check"), {}, ""))
    elif load.mode == "view":
        reader = _reader(context.files["views"])
        cookie = f"sessionid={reader['session']}; nr_overlay=1"
        for path in (load.path, context.overlay):
            asks.append(("GET", path, {"Cookie": cookie}, ""))
    else:
        # The last writer: the load reaches it last, long after this.
        lines = context.files["writers"].read_text().splitlines()
        reader = _reader(context.files["writers"], len(lines) - 1)
        signed = {
            "Cookie": f"sessionid={reader['session']}; csrftoken={reader['token']}",
            "X-CSRFToken": reader["token"],
            "X-Forwarded-For": reader["address"],
            "Content-Type": "application/x-www-form-urlencoded",
        }
        form = {"csrfmiddlewaretoken": reader["token"]}
        if load.mode == "vote":
            # The last comment: the load votes on it last, if ever.
            comment = context.files["ids"].read_text().split()[-1]
            path = load.path.replace("{id}", comment)
            signed["HX-Request"] = "true"
            form["value"] = "up"
        else:
            path = load.path
            form["body"] = "A first comment from the bench, to check the form."
        asks.append(("POST", path, signed, urlencode(form)))
    for method, path, extra, body in asks:
        status, _headers, answer = run.call(
            port, context.host, method, path, body=body, headers={**headers, **extra}
        )
        expected = load.expect if path != context.overlay else 200
        if status != expected or b"vote-error" in answer:
            return f"{method} {path} answered {status}, not {expected}" + _said(answer)
    return ""


def _said(answer: bytes) -> str:
    """What an unexpected answer says, in a few words: its title or first text."""
    text = answer.decode("utf-8", "replace")
    title = re.search(r"<title>(.*?)</title>", text, re.DOTALL | re.IGNORECASE)
    error = re.search(r'class="vote-error"[^>]*>(.*?)<', text, re.DOTALL)
    shown = (error or title).group(1) if (error or title) else text
    return f" ({' '.join(html.unescape(shown).split())[:120]})" if shown else ""


# -- the run ------------------------------------------------------------------------


def summary(load: Load) -> dict:
    """Medians over the rounds, or the reason it measured nothing."""
    if load.skipped:
        return {"why": "not measured (BENCH_SCENARIOS)", "skipped": True}
    if load.unsupported:
        return {"why": load.unsupported}
    failed = [run for run in load.runs if run["why"]]
    if failed or not load.runs:
        return {"why": failed[0]["why"] if failed else "not run"}
    return {
        "why": None,
        **{
            figure: statistics.median(run[figure] for run in load.runs)
            for figure in ("rate", "p50", "p99")
        },
    }


def rss(pid: int, field: str = "VmRSS") -> dict:
    """Resident MB of uvicorn's main process and of each worker (VmHWM: the most
    each has been since it started)."""

    def resident(each) -> float:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    return {
        "main": resident(pid),
        "workers": [resident(worker) for worker in uvicorn_workers(pid)],
    }


def memory_after(pid: int) -> dict:
    """Each process's resident memory as the load ends, its peak, and once the app
    processes have handed freed heap pages back (newsroom/edge/allocator.py trims
    every TRIM_EVERY seconds): what a server holds while it idles after a rush."""
    from newsroom.edge.allocator import TRIM_EVERY

    ended, peak = rss(pid), rss(pid, "VmHWM")
    time.sleep(TRIM_EVERY + 2)
    return {**rss(pid), "ended": ended, "peak": peak}


def measure(port, env, wrk, found, about) -> tuple[str, bool]:
    """Every figure of the Targets table on the prepared demo; (RESULTS.md's
    section, whether any scenario FAILED)."""
    host = f"ledger.localhost:{port}"
    heated = found["heated"]
    work = Path(tempfile.mkdtemp(prefix="newsroom-bench-targets-"))
    say(f"{WRITERS:,} readers signing in, rules and render costs...")
    limits = inprocess.site_limits(env, "ledger.localhost")
    try:
        made = inprocess.make_readers(env, work, WRITERS, found["crowd"]["page_id"])
        views = work / "views.txt"
        views.write_text(
            "\n".join(made["file"].read_text().splitlines()[:READERS]) + "\n"
        )
        overlay = f"/me/overlay/?page={heated['page_id']}"
        say("in-process render costs...")
        try:
            costs = (
                inprocess.render_costs(env, host, heated["path"], overlay)
                if not ONLY or "renders" in ONLY
                else {}
            )
        except Exception as error:  # noqa: BLE001 - reported, the rest still runs
            costs = {"anonymous_cold": {"error": _last_line(error)}}
        say("starting the app, Varnish and the ceilings...")
        measured = served(port, env, wrk, found, work, overlay, made, views)
    finally:
        inprocess.site_limits(env, "ledger.localhost", restore=limits["before"])
        show_tracebacks(work / "app.log")
        shutil.rmtree(work, ignore_errors=True)
    measured |= {"costs": costs, "limits": limits["limits"], "made": made}
    text, failed = report(measured, about)
    return text, failed


def served(port, env, wrk, found, work, overlay, made, views) -> dict:
    """The HTTP part: the app, Varnish and the ceilings up at once, the rounds, the
    purges and the memory."""
    host = f"ledger.localhost:{port}"
    ports = {door: free_port() for door in ("varnish", "asgi", "wsgi", "static")}
    ports["app"] = port
    app_env = {**env, "NEWSROOM_VARNISH_URLS": f"http://127.0.0.1:{ports['varnish']}"}
    ceiling_env = {**env, "BENCH_CEILING_DIR": str(work / "ceiling")}
    with contextlib.ExitStack() as stack:
        # The app logs every 404 (tens of thousands here): kept out of the terminal.
        log = stack.enter_context((work / "app.log").open("w"))
        server = stack.enter_context(run.serve(port, app_env, log=log))
        vcl = stack.enter_context(
            fronts.varnish(ports["varnish"], backend_port=port, host=host)
        )
        page = fronts.capture(
            port,
            host,
            found["heated"]["path"],
            accept_encoding=ACCEPT_ENCODING,
            target=work / "ceiling",
        )
        ceiling = {"--app-dir": str(BENCH)}
        for door in ("asgi", "wsgi"):
            options = {**ceiling, "--interface": {"asgi": "asgi3"}.get(door, door)}
            stack.enter_context(
                run.serve(
                    ports[door], ceiling_env, app=f"ceiling:{door}", options=options
                )
            )
        stack.enter_context(
            fronts.varnish(
                ports["static"], backend_port=ports["asgi"], host=host, static=True
            )
        )
        files = {"views": views, "writers": made["file"], "ids": made["ids"]}
        context = Context(wrk, ports, host, overlay, files)
        planned = rounds(loads(found), context)
        changes = {"skipped": True}
        if not ONLY or "purges" in ONLY:
            say("publish and removal until cached pages show them...")
            changes = changes_seen(app_env, found, port, ports["varnish"])
        memory = memory_after(server.pid)
    return {
        "loads": planned,
        "page": page,
        "vcl": vcl,
        "changes": changes,
        "memory": memory,
    }


def show_tracebacks(log: Path, most: int = 3) -> None:
    """Print the app's last `most` tracebacks, if it logged any."""
    text = log.read_text(errors="replace") if log.exists() else ""
    found = text.split("Traceback (most recent call last):")[1:]
    if found:
        print(f"targets: the app logged {len(found)} tracebacks; the last ones:")
        for each in found[-most:]:
            print("Traceback (most recent call last):" + each[:3000])


def changes_seen(env, found, port, varnish_port) -> dict:
    """bench/purges.py's figures, or the error that stopped it."""
    try:
        return purges.measure(
            env,
            {
                **found["heated"],
                "title": discussion.HEATED["headline"],
                "host": f"ledger.localhost:{port}",
            },
            {"app": port, "Varnish": varnish_port},
            watched_pages(found, port),
        )
    except Exception as error:  # noqa: BLE001 - reported, the rest still runs
        return {"error": _last_line(error)}


def _last_line(error) -> str:
    lines = [line for line in str(error).splitlines() if line.strip()]
    return f"{type(error).__name__}: {lines[-1] if lines else ''}"


def watched_pages(found, port) -> list[tuple[str, str]]:
    """Pages of the network that may show the article with 47 comments."""
    heated = found["heated"]
    section = "/" + heated["path"].strip("/").split("/")[0] + "/"
    ledger, courier = f"ledger.localhost:{port}", f"courier.localhost:{port}"
    pages = [(ledger, heated["path"]), (ledger, section), (ledger, "/"), (courier, "/")]
    mix = found.get("trending")
    if mix:
        pages.append((f"{mix['host']}:{port}", mix["path"]))
    return pages


def rounds(planned: list[Load], context: Context) -> list[Load]:
    for load in planned:
        if ONLY and load.key not in ONLY:
            load.skipped = True
            continue
        load.unsupported = check(load, context)
        if load.unsupported:
            say(f"{load.name}: FAILED before the load: {load.unsupported}")
    warm = next(load for load in planned if load.key == "article")
    if not warm.unsupported and not warm.skipped:
        wrk_run(warm, context, 0, seconds=WARM_SECONDS)
    for number in range(ROUNDS):
        for load in planned:
            if load.unsupported or load.skipped:
                continue
            result = wrk_run(load, context, number)
            load.runs.append(result)
            shown = result["why"] or (
                f"{result['rate']:.0f}/s, p50 {result['p50']:.1f} ms, "
                f"p99 {result['p99']:.1f} ms"
            )
            say(f"round {number + 1}/{ROUNDS}: {load.name}: {shown}")
    return planned


# -- RESULTS.md -------------------------------------------------------------------

# The figures before the work, for the rows not measured by a load.
TRIM_SETTLE = "once idle for the allocator's trim"
TODAY = {"cpu": "62–80 ms CPU", "change": "—", "memory": "~190 MB"}


def _times(ratio: float) -> str:
    return f"{ratio:.2f}×" if ratio >= 0.1 else f"{ratio:.2g}×"


def _rate(value) -> str:
    return f"{value:,.0f}"


def _judge(checks) -> str:
    return "pass" if all(checks) else "missed"


@dataclass(frozen=True)
class Figure:
    """A row of the Targets table measured by a load, and what it must reach."""

    name: str
    today: str  # the figure before the work
    key: str  # the load
    target: str
    minimum: float | None = None  # per second
    p99: float | None = None  # ms
    share: float | None = None  # of the rate of `against`
    against: str = "asgi"  # the load the ratio is to
    queries: int | None = None  # the most queries in-process (a 404's)
    per: str = "req/s"
    judged: bool = True


CROWD = "≥ 0.9× the 47-comment page"
FIGURES = (
    Figure(
        "anonymous article, 47 comments, app alone (`make demo`), warm",
        "9 req/s",
        "article",
        "≥ 5,000 req/s (≥ 0.25× the raw ASGI app), p99 ≤ 50 ms",
        minimum=5000,
        p99=50,
        share=0.25,
    ),
    Figure(
        "same page through Varnish",
        "—",
        "varnish",
        "≥ 0.9× Varnish serving the same bytes as a static object",
        share=0.9,
        against="static",
    ),
    Figure(
        "signed-in page view, 47 comments (shared page + overlay, one view)",
        "~18 req/s",
        "signed",
        "≥ 1,000 views/s, p99 ≤ 100 ms",
        minimum=1000,
        p99=100,
        per="views/s",
    ),
    Figure(
        "10,000-comment thread, first page, hit",
        "23 req/s",
        "crowd",
        CROWD,
        share=0.9,
        against="article",
    ),
    Figure(
        "10,000-comment thread, page 200, hit",
        "OFFSET",
        "crowd_200",
        CROWD,
        share=0.9,
        against="article",
    ),
    Figure(
        "10,000-comment thread, first page, miss",
        "23 req/s",
        "crowd_miss",
        CROWD,
        share=0.9,
        against="article_miss",
    ),
    Figure(
        "10,000-comment thread, page 200, miss",
        "OFFSET",
        "crowd_200_miss",
        CROWD,
        share=0.9,
        against="article_miss",
    ),
    Figure(
        "(the 47-comment page's miss, for the ratios above)",
        "—",
        "article_miss",
        "—",
        judged=False,
    ),
    Figure(
        "404, app alone (a new path each request)",
        "120 req/s, 7 queries",
        "missing",
        "≥ 2,000 req/s, ≤ 1 query",
        minimum=2000,
        queries=1,
    ),
    Figure(
        "vote, signed in",
        "~100 req/s",
        "vote",
        "≥ 1,000 req/s, p99 ≤ 100 ms",
        minimum=1000,
        p99=100,
    ),
    Figure(
        "post a comment, signed in",
        "~70 req/s",
        "post",
        "≥ 400 req/s, p99 ≤ 100 ms",
        minimum=400,
        p99=100,
    ),
)
RATIO_NAMES = {
    "asgi": "raw ASGI",
    "static": "Varnish static",
    "article": "the 47-comment page's hit",
    "article_miss": "the 47-comment page's miss",
}


def _load_row(figure: Figure, by_key: dict, costs: dict) -> tuple:
    """(figure, today, measured, target, ratio, result) of a load's figure."""
    got, reference = by_key[figure.key], by_key[figure.against]
    name, today, target = figure.name, figure.today, figure.target
    if figure.queries is not None:
        name += f"; {_queries(costs.get('missing_new', {}))} in-process"
    if got["why"]:
        result = got["why"] if got.get("skipped") else f"FAILED: {got['why']}"
        return (name, today, "—", target, "—", result)
    ratio = None if reference["why"] else got["rate"] / reference["rate"]
    checks = [
        figure.minimum is None or got["rate"] >= figure.minimum,
        figure.p99 is None or got["p99"] <= figure.p99,
        figure.share is None or (ratio is not None and ratio >= figure.share),
        figure.queries is None
        or costs.get("missing_new", {}).get("queries", figure.queries + 1)
        <= figure.queries,
    ]
    shown = "—" if ratio is None else f"{_times(ratio)} {RATIO_NAMES[figure.against]}"
    text = (
        f"{_rate(got['rate'])} {figure.per}, p50 {got['p50']:.1f} ms, "
        f"p99 {got['p99']:.1f} ms"
    )
    result = _judge(checks) if figure.judged else "—"
    return (name, today, text, target, shown, result)


def rows(measured) -> list[tuple]:
    """(figure, today, measured, target, ratio, result) for the Targets table."""
    by_key = {load.key: summary(load) for load in measured["loads"]}
    table = [_load_row(figure, by_key, measured["costs"]) for figure in FIGURES]
    table.insert(3, cpu_row(measured["costs"]))
    return [*table, *change_rows(measured["changes"]), memory_row(measured["memory"])]


def _queries(cost) -> str:
    if "queries" not in cost:
        return "queries unknown"
    return f"{cost['queries']} quer{'y' if cost['queries'] == 1 else 'ies'}"


def cpu_row(costs) -> tuple:
    figure = "cache miss: rendering the 47-comment article, every cache empty"
    cold = costs.get("anonymous_cold", {})
    if not costs:
        return (figure, TODAY["cpu"], "—", "≤ 15 ms CPU", "—", "not measured")
    if "ms" not in cold:
        why = cold.get("error", "not measured")
        return (figure, TODAY["cpu"], "—", "≤ 15 ms CPU", "—", f"FAILED: {why}")
    text = f"{cold['ms']:.1f} ms CPU, {_queries(cold)}"
    return (figure, TODAY["cpu"], text, "≤ 15 ms CPU", "—", _judge([cold["ms"] <= 15]))


def change_rows(changes) -> list[tuple]:
    figure = "publish or moderator removal → change on every cached page"
    if "skipped" in changes:
        return [(figure, TODAY["change"], "—", "≤ 1 s", "—", "not measured")]
    if "error" in changes:
        why = f"FAILED: {changes['error']}"
        return [(figure, TODAY["change"], "—", "≤ 1 s", "—", why)]
    table = []
    names = {
        "publish": "publish → every cached page of the network shows it",
        "remove": "moderator removal → the cached thread page shows it",
    }
    for action, figure in names.items():
        for door, seconds in sorted(changes["results"][action].items()):
            label = f"{figure} ({'app cache' if door == 'app' else door})"
            if seconds is None:
                why = f"a page never showed the change within {purges.GIVE_UP:.0f} s"
                table.append(
                    (label, TODAY["change"], "—", "≤ 1 s", "—", f"FAILED: {why}")
                )
            else:
                text = f"{seconds * 1000:.0f} ms"
                table.append(
                    (label, TODAY["change"], text, "≤ 1 s", "—", _judge([seconds <= 1]))
                )
        if not changes["results"][action]:
            why = (
                "no comment of the thread found on its page to remove"
                if action == "remove"
                else "no page showed the article's title before the run"
            )
            table.append((figure, TODAY["change"], "—", "≤ 1 s", "—", f"FAILED: {why}"))
    return table


def memory_row(memory) -> tuple:
    def largest(found) -> float:
        return max(found["workers"] or [found["main"]])

    workers = memory["workers"] or [memory["main"]]
    text = (
        f"{largest(memory):.0f} MB (largest worker, {TRIM_SETTLE}; workers "
        f"{', '.join(f'{w:.0f}' for w in workers)} MB; main process "
        f"{memory['main']:.0f} MB); {largest(memory['ended']):.0f} MB as the load "
        f"ended, peak {largest(memory['peak']):.0f} MB"
    )
    return (
        "resident memory per app server after the bench",
        TODAY["memory"],
        text,
        "≤ 200 MB",
        "—",
        _judge([max(workers) <= 200]),
    )


def report(measured, about) -> tuple[str, bool]:
    table = rows(measured)
    failed = any(row[5].startswith("FAILED") for row in table)
    missed = any(row[5] == "missed" for row in table)
    by_key = {load.key: load for load in measured["loads"]}
    when = datetime.datetime.now(tz=datetime.UTC)
    page = measured["page"]
    clients = (
        f"`-t{THREADS} -c{CONNECTIONS} -d{SECONDS}s` per run, {ROUNDS} "
        f"round{'s' * (ROUNDS != 1)} of every scenario in turn, medians"
    )
    lines = [
        *run.preamble(
            when=when,
            load=about.get("load", os.getloadavg()[0]),
            clients=clients,
            app=f"uvicorn, {run.WORKERS} workers, as `make demo` serves it",
            **{k: v for k, v in about.items() if k != "load"},
        ),
        f"- Request: `Accept-Encoding: {ACCEPT_ENCODING or '(none)'}`; the article "
        f"with 47 comments answers {page['status']} with {page['bytes']:,} bytes "
        f"({page['encoding']}) and {page['header_bytes']:,} bytes of headers",
        f"- Varnish: {fronts.varnish_version()} with {measured['vcl']}",
        f"- Time: {(time.monotonic() - STARTED) / 60:.1f} min for this group after "
        "the demo was prepared (readers, in-process costs, servers, rounds, purges)",
        f"- Result: {'FAILED' if failed else 'missed targets' if missed else 'pass'}",
        "",
        "| figure | today | measured | target | ratio | result |",
        "|---|---:|---:|---|---:|---|",
        *[f"| {' | '.join(row)} |" for row in table],
        "",
        "Ceilings, measured in the same rounds:",
        "",
        "| ceiling | requests/s | p50 ms | p99 ms |",
        "|---|---:|---:|---:|",
    ]
    for key in ("asgi", "wsgi", "static"):
        got = summary(by_key[key])
        if got["why"]:
            why = got["why"] if got.get("skipped") else f"FAILED: {got['why']}"
            lines.append(f"| {by_key[key].name} | {why} | | |")
        else:
            lines.append(
                f"| {by_key[key].name} | {_rate(got['rate'])} | {got['p50']:.1f} "
                f"| {got['p99']:.1f} |"
            )
    lines += ["", *details(measured), *notes(measured)]
    return "\n".join(lines), failed or (STRICT and missed)


def details(measured) -> list[str]:
    lines = [
        "Every run (answers counted per status; a signed-in view is two answers):",
        "",
        "| scenario | per round | p50 ms | p99 ms | answers |",
        "|---|---|---:|---:|---|",
    ]
    for load in measured["loads"]:
        if load.unsupported or load.skipped:
            why = "not measured" if load.skipped else f"FAILED: {load.unsupported}"
            lines.append(f"| {load.name} | {why} | | | |")
            continue
        rates = ", ".join(
            "FAILED" if run["why"] else _rate(run["rate"]) for run in load.runs
        )
        got = summary(load)
        p50 = f"{got['p50']:.1f}" if not got["why"] else "—"
        p99 = f"{got['p99']:.1f}" if not got["why"] else "—"
        answers = "; ".join(
            ", ".join(f"{status}: {n}" for status, n in sorted(run["statuses"].items()))
            + (f", refused: {run['refused']}" if run["refused"] else "")
            + (f", socket errors: {run['socket_errors']}" * bool(run["socket_errors"]))
            + (f", timed out: {run['timeouts']}" * bool(run["timeouts"]))
            for run in load.runs
        )
        lines.append(f"| {load.name} | {rates} | {p50} | {p99} | {answers} |")
    return [*lines, ""]


def notes(measured) -> list[str]:
    costs, limits, made = measured["costs"], measured["limits"], measured["made"]
    changes = measured["changes"]

    def cost(key) -> str:
        got = costs.get(key, {})
        if "ms" not in got:
            return got.get("error", "not measured")
        return f"{got['ms']:.1f} ms CPU, {_queries(got)}"

    if "error" in changes or "skipped" in changes:
        changes = {"runs": {}, "removals": 0, "watched": [], "took": {}}
    took = (
        ", ".join(
            f"{action} {'—' if s is None else f'{s * 1000:.0f} ms'}"
            for action, s in changes["took"].items()
        )
        or "—"
    )
    runs = "; ".join(
        f"{action} via {door}: "
        + ", ".join("never" if s is None else f"{s * 1000:.0f} ms" for s in times)
        for action, by_door in changes["runs"].items()
        for door, times in sorted(by_door.items())
    )
    return [
        f"In-process (Django's handler through the test Client, median of "
        f"{inprocess.RENDERS}): article with every cache empty "
        f"{cost('anonymous_cold')}; "
        f"with Django's cache kept {cost('anonymous_warm')}; signed in, every cache "
        f"empty, no overlay cookie {cost('signed_cold')}; the overlay "
        f"{cost('overlay_warm')} (cache kept), {cost('overlay_cold')} (empty); a 404, "
        f"the same path {cost('missing_same')}, a new path {cost('missing_new')}.",
        "",
        f"Readers: {made['readers']:,} verified readers made by the demo loader's "
        f"commenter step in {made['made_s']:.1f} s and signed in server-side on "
        "the session engine (the first by `django.contrib.auth.login`, the others "
        f"with the same session data, their own ids) in {made['signed_in_s']:.1f} s; "
        f"page views spread over the first {READERS}, "
        f"votes and posts over all {made['readers']:,}"
        + (f" (each round starts {WRITERS // ROUNDS:,} readers further)" * (ROUNDS > 1))
        + ", one X-Forwarded-For "
        f"address each; votes go to the long thread's {made['comments']:,} comments, "
        "a reader's next vote to another comment. The Ledger's limits during the run: "
        + ", ".join(f"{name} {value}" for name, value in limits.items())
        + ".",
        "",
        f"Publish and removal: {changes['removals']} removals; pages watched through "
        f"the app and Varnish: {', '.join(changes['watched']) or 'none'}. "
        f"Runs (from the action's start to the last page showing it): {runs}. "
        f"The actions themselves took (median) {took}.",
    ]
