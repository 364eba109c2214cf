"""The load a fault is injected under, driven from a process of its own:

    python faults/load.py WORLD.json SERVERS OUT.jsonl [--seconds 20] [--threads 8]

SERVERS is a comma-separated list of app servers' base URLs. Each thread acts for
some of the readers in turn: it views the article as a visitor, reads the
article's newest comments through the API, posts a
comment carrying a fresh key in its text, or states a vote (up, down or none) on
one of the world's comments, through the JSON API and round-robin over the
servers. Every request's outcome is one line of
OUT.jsonl, written as it ends, so the test can set what the clients were told
against what the database holds, whatever happened to this process.
"""

import argparse
import itertools
import json
import random
import threading
import time
import uuid

import requests

HOST = "ledger.localhost"
TIMEOUT = 15  # seconds: a safety net for a request a dead server never answers
VOTES = ("up", "down", "none")


def _answer(response) -> dict:
    text = response.text[:2000]
    return {
        "status": response.status_code,
        "traceback": "Traceback (most recent call last)" in text,
        "retry_after": response.headers.get("Retry-After"),
        "body": text if response.status_code >= 400 else "",
        "json": response.json()
        if "json" in response.headers.get("Content-Type", "")
        else None,
    }


class Driver:
    def __init__(self, world, servers, out, *, seconds, threads, stop_file=None):
        self.world = world
        self.servers = itertools.cycle(servers)
        self.out = open(out, "a", buffering=1)  # noqa: SIM115 - closed in run()
        self.lock = threading.Lock()
        self.deadline = time.monotonic() + seconds
        self.threads = threads
        self.stop_file = stop_file

    def record(self, line: dict) -> None:
        with self.lock:
            self.out.write(json.dumps(line) + "\n")

    def request(self, session, kind, path, payload, **facts):
        """POST `payload` as JSON, or GET when it is None."""
        with self.lock:
            server = next(self.servers)
        started = time.time()
        line = {"kind": kind, "server": server, "started": started, **facts}
        try:
            if payload is None:
                response = session.get(server + path, timeout=TIMEOUT)
            else:
                response = session.post(server + path, json=payload, timeout=TIMEOUT)
        except requests.RequestException as error:
            line.update(status=None, error=type(error).__name__)
        else:
            line.update(_answer(response))
        line["ended"] = time.time()
        self.record(line)

    def act(self, reader, rng) -> None:
        session = requests.Session()
        session.headers.update(
            Host=HOST,
            Authorization=f"Bearer {reader['token']}",
            Accept="application/json",
        )
        dice = rng.random()
        if dice < 0.1:
            # A visitor's view of the article: the shared page, no session.
            visitor = requests.Session()
            visitor.headers["Host"] = HOST
            self.request(visitor, "page", f"/{self.world['path']}", None)
        elif dice < 0.25:
            self.request(
                session,
                "read",
                f"/api/v1/articles/{self.world['article_id']}/comments?sort=newest",
                None,
                reader=reader["id"],
            )
        elif dice < 0.5:
            key = uuid.uuid4().hex
            self.request(
                session,
                "comment",
                f"/api/v1/articles/{self.world['article_id']}/comments",
                {"body": f"Holding up under load, note {key}."},
                reader=reader["id"],
                key=key,
            )
        else:
            comment = rng.choice(self.world["comment_ids"])
            value = rng.choice(VOTES)
            self.request(
                session,
                "vote",
                f"/api/v1/comments/{comment}/vote",
                {"value": value},
                reader=reader["id"],
                comment=comment,
                value=value,
            )

    def work(self, readers, seed) -> None:
        rng = random.Random(seed)
        for reader in itertools.cycle(readers):
            if time.monotonic() > self.deadline or self.stopped():
                return
            self.act(reader, rng)

    def stopped(self) -> bool:
        return bool(self.stop_file) and self.stop_file.exists()

    def run(self) -> None:
        readers = self.world["readers"]
        # Each reader belongs to one thread, so a reader's requests are in order.
        shares = [readers[n :: self.threads] for n in range(self.threads)]
        workers = [
            threading.Thread(target=self.work, args=(share, n))
            for n, share in enumerate(shares)
            if share
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        self.out.close()


def main() -> None:
    from pathlib import Path

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("world", type=Path)
    parser.add_argument("servers")
    parser.add_argument("out", type=Path)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--stop-file", type=Path)
    options = parser.parse_args()
    Driver(
        json.loads(options.world.read_text()),
        options.servers.split(","),
        options.out,
        seconds=options.seconds,
        threads=options.threads,
        stop_file=options.stop_file,
    ).run()


if __name__ == "__main__":
    main()
