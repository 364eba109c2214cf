"""`python bench/run.py votes`: a thousand concurrent votes on one comment, counted.

The demo prepared by bench/run.py is served by BENCH_WORKERS (2) uvicorn workers.
BENCH_VOTERS (250) verified readers, signed in server-side as bench/inprocess.py
signs in the targets' readers, each click BENCH_VOTE_CLICKS (4) times on one comment
of the 10,000-comment thread: a vote up, down or none drawn at random (seeded), as
the page's htmx sends it, so 1,000 vote requests a round. A reader's clicks go one
after the other (their last one is the vote they should end with); the readers go
at once over BENCH_VOTE_CONNECTIONS (50) keep-alive connections from Python threads.

Two crowds, BENCH_VOTE_ROUNDS (5) rounds each, every round on a comment of its own:

- readers: accounts made months apart (the demo loader's ages), each from a network
  of its own (a /24 per reader, X-Forwarded-For, which uvicorn trusts from loopback):
  the coordinated-voting rule runs its one aggregate per vote and finds nothing;
- a ring: accounts made minutes before, one browser, one /24: after the fifth vote
  each way the rule flags and grows three rings (network, browser, new accounts),
  the most the vote path writes;

and the first crowd again on a second server of the same data with the rule off
(NEWSROOM_VOTE_RING_ACCOUNTS=0), which tells what the rule's check costs a vote. The
rounds take turns between the three runs, so that a change in the machine's load
falls on each of them.

After each round the database must hold, for every comment of the network, stored
counts equal to its counted vote rows, and for every reader the vote of their last
click; otherwise the section says FAILED and `run.py` exits non-zero. Reported per
crowd: the medians over the rounds of requests/s, p50 and p99 of a vote request,
and each round's figures.
"""

import contextlib
import datetime
import http.client
import os
import platform
import queue
import random
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import inprocess
import run

from newsroom.demo.server import forwarded_for, free_port

VOTERS = int(os.environ.get("BENCH_VOTERS", "250"))
CLICKS = int(os.environ.get("BENCH_VOTE_CLICKS", "4"))
CONNECTIONS = int(os.environ.get("BENCH_VOTE_CONNECTIONS", "50"))
ROUNDS = int(os.environ.get("BENCH_VOTE_ROUNDS", "5"))
SEED = 18  # the clicks are the same in every run
CHOICES = ("up", "down", "none")
VALUES = {"up": 1, "down": -1}


class Crowd:
    def __init__(self, key, label, name, first, agent, spread):
        self.key, self.label, self.name = key, label, name
        self.first, self.agent, self.spread = first, agent, spread

    def address(self, number: int) -> str:
        # `spread`: a /24 for each reader, or all on one.
        return forwarded_for(self.first + (number * 256 if self.spread else number))


CROWDS = (
    Crowd(
        "readers",
        "readers: accounts made months apart, a network each",
        "Vote Crowd {:05d}",
        0x110000,
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        spread=True,
    ),
    Crowd(
        "ring",
        "a ring: accounts made minutes before, one browser, one /24",
        "Vote Ring {:05d}",
        0x120000,
        "Mozilla/5.0 (X11; Linux x86_64) RingBot/1.0",
        spread=False,
    ),
)

# The ring's accounts are made just now (the loader dates its readers 30 days and
# more back, months apart).
FRESH = """
import json
from django.contrib.auth import get_user_model
from django.utils import timezone
made = get_user_model().objects.filter(username__startswith=PREFIX).update(
    date_joined=timezone.now()
)
print("BENCH_JSON", json.dumps({"made": made}))
"""

CHECK = """
import json
from django.db.models import Count, F, Q
from newsroom.comments.models import Comment, Vote
from newsroom.moderation.models import VoteRing
counted = Q(votes__is_discounted=False)
wrong = Comment.objects.annotate(
    ups=Count("votes", filter=counted & Q(votes__value=1)),
    downs=Count("votes", filter=counted & Q(votes__value=-1)),
).filter(~Q(up_count=F("ups")) | ~Q(down_count=F("downs")))
comment = Comment.objects.get(pk=COMMENT)
rows = Vote.objects.filter(comment=comment, is_discounted=False)
print("BENCH_JSON", json.dumps({
    "wrong": list(wrong.values_list("pk", flat=True)[:10]),
    "stored": [comment.up_count, comment.down_count],
    "rows": [rows.filter(value=1).count(), rows.filter(value=-1).count()],
    "mine": dict(
        Vote.objects.filter(comment=comment, user__username__startswith=PREFIX)
        .values_list("user__username", "value")
    ),
    "rings": sorted(
        (ring.link, ring.members.count())
        for ring in VoteRing.objects.filter(comment=comment)
    ),
}))
"""


def make_crowd(env, work: Path, crowd: Crowd, crowd_page_id: int) -> list[dict]:
    """VOTERS signed-in readers of `crowd`: [{name, session, token, address}]."""
    readers_file = work / f"voters-{crowd.key}.txt"
    inprocess.shell(
        inprocess.READERS,
        env,
        COUNT=VOTERS,
        NAME=crowd.name,
        SITE="ledger",
        FIRST=crowd.first,
        CROWD=crowd_page_id,
        READERS_FILE=str(readers_file),
        IDS_FILE=str(work / "comment-ids.txt"),
    )
    if not crowd.spread:
        inprocess.shell(FRESH, env, PREFIX=crowd.name.split("{")[0])
    readers = []
    for number, line in enumerate(readers_file.read_text().split("\n")):
        if line:
            session, token, _address = line.split()
            readers.append(
                {
                    "name": crowd.name.format(number),
                    "session": session,
                    "token": token,
                    "address": crowd.address(number),
                }
            )
    return readers


def clicks_for(readers, round_key: str) -> dict[str, list[str]]:
    rng = random.Random(f"{SEED}-{round_key}")  # noqa: S311 - clicks, not secrets
    return {r["name"]: [rng.choice(CHOICES) for _ in range(CLICKS)] for r in readers}


def vote_round(port, host, comment_id, readers, clicks, agent) -> dict:
    """Every reader's clicks, readers at once over CONNECTIONS connections."""
    waiting = queue.Queue()
    for reader in readers:
        waiting.put(reader)
    latencies, failures, lock = [], [], threading.Lock()
    path = f"/comments/{comment_id}/vote/"

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, bad = [], []
        while True:
            try:
                reader = waiting.get_nowait()
            except queue.Empty:
                break
            headers = {
                "Host": host,
                "Cookie": f"sessionid={reader['session']}; csrftoken={reader['token']}",
                "X-CSRFToken": reader["token"],
                "X-Forwarded-For": reader["address"],
                "User-Agent": agent,
                "HX-Request": "true",
                "Content-Type": "application/x-www-form-urlencoded",
            }
            for value in clicks[reader["name"]]:
                body = urlencode({"value": value})
                started = time.perf_counter()
                connection.request("POST", path, body, headers)
                response = connection.getresponse()
                answer = response.read()
                mine.append(time.perf_counter() - started)
                if response.status != 200 or b"vote-error" in answer:
                    bad.append(f"{reader['name']}: {response.status} {answer[:200]!r}")
        connection.close()
        with lock:
            latencies.extend(mine)
            failures.extend(bad)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    for each in threads:
        each.start()
    for each in threads:
        each.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, len(latencies) * 99 // 100)] * 1000,
        "failures": failures,
    }


def check_round(env, comment_id, crowd, clicks) -> tuple[dict, list[str]]:
    """What the database holds after a round, and what is wrong with it."""
    found = inprocess.shell(
        CHECK, env, COMMENT=comment_id, PREFIX=crowd.name.split("{")[0]
    )
    wanted = {
        name: VALUES[chosen[-1]]
        for name, chosen in clicks.items()
        if chosen[-1] in VALUES
    }
    problems = []
    if found["wrong"]:
        problems.append(f"stored counts differ from the vote rows: {found['wrong']}")
    if found["stored"] != found["rows"]:
        problems.append(f"comment {comment_id}: {found['stored']} != {found['rows']}")
    if found["mine"] != wanted:
        off = sorted(set(found["mine"].items()) ^ set(wanted.items()))[:5]
        problems.append(f"readers' last clicks not kept: {off}")
    return found, problems


class Run:
    """Rounds of one crowd on a server with the coordinated-voting rule on or off."""

    def __init__(self, key, label, crowd, rule_on=True):
        self.key, self.label, self.crowd, self.rule_on = key, label, crowd, rule_on


READERS_CROWD, RING_CROWD = CROWDS
RUNS = (
    Run("readers", READERS_CROWD.label, READERS_CROWD),
    Run("ring", RING_CROWD.label, RING_CROWD),
    # The same readers with the rule off: what the rule's check costs a vote.
    Run(
        "readers, rule off",
        f"{READERS_CROWD.label}, the rule off (NEWSROOM_VOTE_RING_ACCOUNTS=0)",
        READERS_CROWD,
        rule_on=False,
    ),
)


def measure(port, env, found, about) -> tuple[str, bool]:
    """Serve the prepared demo, run every crowd's rounds, check them; returns
    RESULTS.md's section and whether every round came out right."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="newsroom-votes-") as work:
        work = Path(work)
        print(f"votes: {len(CROWDS)} crowds of {VOTERS} readers signing in...")
        readers = {
            crowd.key: make_crowd(env, work, crowd, found["crowd"]["page_id"])
            for crowd in CROWDS
        }
        ids = (work / "comment-ids.txt").read_text().split()
    # Comments far down the long thread, one per round, away from the pages group.
    targets = iter(reversed(ids))
    load_before = os.getloadavg()[0]
    results, failures = [], []
    # Two servers on the same data, the rule on and off, the rounds taking turns
    # between the runs, so that a change in the machine's load falls on every run.
    with contextlib.ExitStack() as servers:
        ports = {True: port, False: free_port()}
        pids = [
            servers.enter_context(
                run.serve(
                    ports[rule_on],
                    env if rule_on else {**env, "NEWSROOM_VOTE_RING_ACCOUNTS": "0"},
                )
            ).pid
            for rule_on in (True, False)
        ]
        for number in range(ROUNDS):
            for each in RUNS:
                outcome = one_round(
                    ports[each.rule_on], port, env, each, number, readers, targets
                )
                results.append(outcome)
                failures += [
                    f"{each.key} round {number + 1}: {problem}"
                    for problem in outcome[-1]
                ]
        rss = max(run.server_rss_mb(pid) for pid in pids)
    when = datetime.datetime.now(tz=datetime.UTC)
    text = report(results, failures, rss, when=when, load=load_before, **about)
    return text, not failures


def one_round(port, site_port, env, each, number, readers, targets) -> tuple:
    """(run, round, comment, measured, stored, problems) of one round, sent to the
    server on `port` for the site on `site_port` (where the demo was loaded)."""
    crowd, voters = each.crowd, readers[each.crowd.key]
    comment_id = int(next(targets))
    clicks = clicks_for(voters, f"{each.key}-{number}")
    print(f"votes: {each.key}, round {number + 1} on comment {comment_id}")
    host = f"ledger.localhost:{site_port}"
    measured = vote_round(port, host, comment_id, voters, clicks, crowd.agent)
    stored, problems = check_round(env, comment_id, crowd, clicks)
    problems = measured["failures"][:5] + problems
    print(
        f"  {measured['rps']:.0f} votes/s, p50 {measured['p50']:.1f} ms, "
        f"p99 {measured['p99']:.1f} ms; stored {stored['stored']}, "
        f"rows {stored['rows']}, rings {stored['rings']}"
        + (f"; PROBLEMS {problems}" if problems else "")
    )
    return each, number, comment_id, measured, stored, problems


def report(results, failures, rss, **about) -> str:
    clients = (
        f"{CONNECTIONS} keep-alive connections from Python threads; per round "
        f"{VOTERS} readers × {CLICKS} clicks = {VOTERS * CLICKS:,} vote requests on "
        f"one comment; {ROUNDS} rounds per crowd, each on a comment of its own"
    )
    about = {**about, "tool": f"Python {platform.python_version()} http.client"}
    lines = [
        *run.preamble(
            app=f"uvicorn, {run.WORKERS} workers, as `make demo` serves it",
            clients=clients,
            **about,
        ),
        "- Request: `POST /comments/<id>/vote/` as the page's htmx sends it "
        "(`value` up, down or none, drawn at random with a fixed seed; a reader's "
        "clicks in turn), each reader signed in with a session of their own",
        "",
        "| crowd | votes/s | p50 ms | p99 ms | requests | rounds right |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for each in RUNS:
        rows = [r for r in results if r[0] is each]
        if not rows:
            continue

        def middle(key, rows=rows):
            return statistics.median(r[3][key] for r in rows)

        right = sum(not r[5] for r in rows)
        lines.append(
            f"| {each.label} | {middle('rps'):.0f} | {middle('p50'):.1f} "
            f"| {middle('p99'):.1f} | {sum(r[3]['requests'] for r in rows):,} "
            f"| {right} of {len(rows)} |"
        )
    lines += [
        "",
        f"Medians over the rounds. A vote's latency here is mostly its wait: "
        f"{CONNECTIONS} requests in flight, one comment whose row lock takes its "
        f"votes one at a time, so p50 ≈ {CONNECTIONS} / votes/s. The runs differ by "
        "what the coordinated-voting rule does per vote: one aggregate (readers), "
        "that and the flags' read and insert (ring), nothing (rule off).",
        "",
        "Each round:",
        "",
        "| crowd | round | comment | votes/s | p50 ms | p99 ms | stored up/down "
        "| counted rows up/down | flags (link: accounts) |",
        "|---|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for each, number, comment_id, measured, stored, _problems in results:
        rings = ", ".join(f"{link}: {n}" for link, n in stored["rings"]) or "none"
        lines.append(
            f"| {each.key} | {number + 1} | {comment_id} | {measured['rps']:.0f} "
            f"| {measured['p50']:.1f} | {measured['p99']:.1f} "
            f"| {stored['stored'][0]} / {stored['stored'][1]} "
            f"| {stored['rows'][0]} / {stored['rows'][1]} | {rings} |"
        )
    lines += ["", f"Server resident memory after the run: {rss:.0f} MB.", ""]
    if failures:
        lines += ["**FAILED**:", ""] + [f"- {failure}" for failure in failures[:20]]
    else:
        lines.append(
            "All right: after every round each comment's stored counts equal its "
            "counted vote rows, and every reader's vote is their last click."
        )
    return "\n".join(lines)
