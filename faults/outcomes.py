"""What the clients were told, set against what the database holds.

`load.py` writes one line per request. A request is *acknowledged* when it got a
2xx answer, *refused* when it got any other answer (nothing changed, and the client
was told), and *unknown* when no answer came (the server died, the connection was
cut): then the write may or may not have happened, and either is correct as long
as it happened at most once.
"""

import collections
import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
BODY = "Holding up under load, note "


class Load:
    """The load in a process of its own, until `stop()` (or `seconds`, a safety
    net): `with Load(world, servers, out) as load: ...`."""

    def __init__(self, world: dict, servers: list, out: Path, *, seconds=90, threads=8):
        self.out = out
        self.stop_file = out.with_suffix(".stop")
        self.process = subprocess.Popen(  # noqa: S603 - our own script
            [
                sys.executable,
                str(ROOT / "faults" / "load.py"),
                world["file"],
                ",".join(servers),
                str(out),
                *("--seconds", str(seconds), "--threads", str(threads)),
                *("--stop-file", str(self.stop_file)),
            ],
            cwd=ROOT,
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.kill()
        self.process.wait()

    def wait_for(self, count: int, timeout: float = 60) -> None:
        """Return once `count` more requests have ended."""
        target = len(read(self.out)) + count
        deadline = time.monotonic() + timeout
        while len(read(self.out)) < target:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"the load made fewer than {count} requests")
            time.sleep(0.1)

    def stop(self) -> list[dict]:
        """End the load (requests in flight finish) and return every outcome."""
        self.stop_file.touch()
        assert self.process.wait(timeout=120) == 0
        return read(self.out)


def read(out: Path) -> list[dict]:
    if not out.exists():
        return []
    return [json.loads(line) for line in out.read_text().splitlines() if line]


def acknowledged(line: dict) -> bool:
    return line["status"] is not None and 200 <= line["status"] < 300


def unknown(line: dict) -> bool:
    """No answer, or a 503 for a write: a connection the database dropped during
    COMMIT leaves the app not knowing whether the write was kept."""
    return line["status"] is None or (line["status"] == 503 and line["kind"] != "read")


def votes_now(database_url: str, world: dict) -> dict:
    """(reader, comment) -> the stored vote (1 or -1) on the world's comments."""
    with contextlib.closing(psycopg.connect(database_url)) as db:
        return {
            (user, comment): value
            for comment, user, value in db.execute(
                "SELECT comment_id, user_id, value FROM comments_vote "
                "WHERE comment_id = ANY(%s)",
                [world["comment_ids"]],
            )
        }


class Reckoning:
    """The database against the outcomes: `problems()` lists every acknowledged
    write that is missing, every write stored twice, every answer that leaked a
    traceback or was a bare 500, and every stored count that disagrees with its
    rows."""

    def __init__(self, database_url, world, outcomes, *, before=None):
        """`before`: the votes as the load began (votes_now), which earlier tests
        of the session may have left."""
        self.world = world
        self.outcomes = outcomes
        self.before = before or {}
        with contextlib.closing(psycopg.connect(database_url)) as db:
            self.comments = collections.defaultdict(list)
            for pk, body in db.execute(
                "SELECT id, body FROM comments_comment WHERE body LIKE %s",
                [BODY + "%"],
            ):
                self.comments[body.removeprefix(BODY).rstrip(".")].append(pk)
            targets = world["comment_ids"]
            self.votes = {
                (user, comment): value
                for comment, user, value in db.execute(
                    "SELECT comment_id, user_id, value FROM comments_vote "
                    "WHERE comment_id = ANY(%s)",
                    [targets],
                )
            }
            self.counts = {
                pk: (up, down)
                for pk, up, down in db.execute(
                    "SELECT id, up_count, down_count FROM comments_comment "
                    "WHERE id = ANY(%s)",
                    [targets],
                )
            }

    def problems(self) -> list[str]:
        return [
            *self._answers(),
            *self._comments(),
            *self._votes(),
            *self._counts(),
        ]

    def _answers(self):
        for line in self.outcomes:
            if line.get("traceback"):
                yield f"a traceback was sent: {line['kind']} to {line['server']}"
            if line["status"] == 500:
                yield f"500 for a {line['kind']}: {line['body'][:200]!r}"

    def _comments(self):
        for line in self.outcomes:
            if line["kind"] != "comment":
                continue
            stored = self.comments.get(line["key"], [])
            if len(stored) > 1:
                yield f"comment {line['key']} stored {len(stored)} times: {stored}"
            if acknowledged(line):
                if line["json"]["id"] not in stored:
                    yield f"acknowledged comment {line['json']['id']} is missing"
            elif not unknown(line) and stored:
                yield f"comment {line['key']} refused ({line['status']}) yet stored"

    def _votes(self):
        names = {1: "up", -1: "down"}
        by_pair = collections.defaultdict(list)
        for line in self.outcomes:
            if line["kind"] == "vote":
                by_pair[(line["reader"], line["comment"])].append(line)
        for pair, lines in by_pair.items():
            lines.sort(key=lambda line: line["started"])
            allowed = {names.get(self.before.get(pair), "none")}
            for line in lines:
                if acknowledged(line):
                    allowed = {line["value"]}
                elif unknown(line):
                    allowed.add(line["value"])
            stored = names.get(self.votes.get(pair), "none")
            if stored not in allowed:
                yield (
                    f"reader {pair[0]}'s vote on comment {pair[1]} is {stored}, "
                    f"but the clients were told {sorted(allowed)}"
                )

    def _counts(self):
        for pk, (up, down) in self.counts.items():
            values = [v for (_, comment), v in self.votes.items() if comment == pk]
            rows = (values.count(1), values.count(-1))
            if (up, down) != rows:
                yield f"comment {pk} counts {(up, down)} but has vote rows {rows}"

    def summary(self) -> dict:
        tally = collections.Counter()
        for line in self.outcomes:
            outcome = (
                "acknowledged"
                if acknowledged(line)
                else "unknown"
                if unknown(line)
                else f"refused {line['status']}"
            )
            tally[f"{line['kind']} {outcome}"] += 1
        return dict(sorted(tally.items()))


# The background jobs: watched in the database, from outside the cluster


def rows(database_url: str, query: str, params=()) -> list[tuple]:
    """Run one read on the cluster's database, on a connection of its own."""
    with contextlib.closing(psycopg.connect(database_url)) as db:
        return db.execute(query, params).fetchall()


def wait_until(found, *, timeout: float, what: str):
    """Poll `found()` until it is truthy and return its value; fail after
    `timeout` seconds, naming `what` was awaited."""
    deadline = time.monotonic() + timeout
    while not (value := found()):
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} after {timeout} s")
        time.sleep(0.05)
    return value
