"""From an editor's publish or a moderator's removal to every cached page showing it.

One `manage.py shell` in the served demo's environment (its database, data
directory, cache and NEWSROOM_VARNISH_URLS, so its purges reach the app servers'
page cache and Varnish as a scheduler's or task worker's would) waits for orders on
its standard input:
- `publish <title>`: a new revision of the article with 47 comments under `<title>`,
  published through Wagtail (`save_revision().publish()`, as the editor's Publish
  button does);
- `remove <comment id>`: the demo's moderator removes that comment through the
  moderator's decision (`moderation.decisions.remove_comment`).
It answers with the wall-clock time just before the action began.

Before each action every watched page is fetched until it is cached (through the
app alone and through Varnish); during it, one thread per page and door fetches it
again every POLL seconds, as an anonymous reader, until the page shows the change.
The figure of a run is the time from the action's start to the moment the last
watched page showed it; the median of BENCH_PURGE_RUNS runs is reported. The
watched pages for a publish are those of the network that show the article's
title before the run (its own page, its section, its site's front page, the sister
site's front page and an article there with the network's trending mix, where they
show it); for a removal, the article's page (its thread).
"""

import concurrent.futures
import html
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time

from newsroom.demo.server import ROOT

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
RUNS = int(os.environ.get("BENCH_PURGE_RUNS", "1" if QUICK else "3"))
POLL = 0.02  # seconds between one page's fetches while waiting for the change
GIVE_UP = float(os.environ.get("BENCH_PURGE_TIMEOUT", "15"))  # seconds

ACTIONS = """
import json, sys, time
from django.contrib.auth import get_user_model
from newsroom.comments.models import Comment
from newsroom.demo.moderation import MODERATOR
from newsroom.moderation import decisions
from newsroom.news.models import ArticlePage

User = get_user_model()
editor = User.objects.get(username="editor")
moderator = User.objects.get(username=MODERATOR[0])
candidates = []
for comment in Comment.objects.filter(
    thread__page_id=PAGE_ID, status="published"
).order_by("-pk")[:20]:
    texts = [s["text"] for s in comment.segments if s.get("text")]
    raw = texts[0].get("raw", "") if texts and isinstance(texts[0], dict) else ""
    lines = (raw or (texts[0] if texts else "")).strip().splitlines() or [""]
    text = " ".join(lines[0].split())[:40]
    if len(text) >= 20:
        candidates.append([comment.pk, text])
print("BENCH_JSON", json.dumps({"candidates": candidates}), flush=True)
for line in sys.stdin:
    order, _, argument = line.strip().partition(" ")
    if order == "publish":
        page = ArticlePage.objects.get(pk=PAGE_ID)
        page.title = argument
        started = time.time()
        page.save_revision(user=editor).publish(user=editor)
    elif order == "remove":
        comment = Comment.objects.select_related("thread__page", "thread__site").get(
            pk=int(argument)
        )
        started = time.time()
        decisions.remove_comment(comment, moderator=moderator)
    else:
        break
    print("BENCH_JSON", json.dumps({"started": started, "done": time.time()}),
          flush=True)
"""


def fetch(port, host, path) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return html.unescape(response.read().decode("utf-8", "replace"))
    finally:
        connection.close()


class Actions:
    """The shell that publishes and removes, kept open across runs."""

    def __init__(self, env, page_id):
        assigned = f"PAGE_ID = {page_id!r}\n"
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-v", "0", "-c", assigned + ACTIONS],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.candidates = self._answer()["candidates"]

    def _answer(self) -> dict:
        for line in self.process.stdout:
            if line.startswith("BENCH_JSON"):
                return json.loads(line.removeprefix("BENCH_JSON"))
        raise RuntimeError("the bench's publishing shell ended")

    def order(self, text) -> dict:
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()
        return self._answer()

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _wait_for(door_port, host, path, shows, stop) -> float | None:
    """Fetch until `shows(page)`; the wall-clock time it first did, or None."""
    deadline = time.time() + GIVE_UP
    while time.time() < deadline and not stop.is_set():
        page = fetch(door_port, host, path)
        if shows(page):
            return time.time()
        time.sleep(POLL)
    return None


def one_run(actions, order, watched, shows) -> tuple[dict, float]:
    """Send `order` while watching every (door, port, host, path); seconds to the
    last page showing the change by door (None where one never did), and the
    seconds the action itself took."""
    for _door, port, host, path in watched:  # cached before the action
        fetch(port, host, path)
        fetch(port, host, path)
    stop = threading.Event()
    with concurrent.futures.ThreadPoolExecutor(len(watched)) as pool:
        waiting = {
            pool.submit(_wait_for, port, host, path, shows, stop): door
            for door, port, host, path in watched
        }
        try:
            answer = actions.order(order)
        except Exception:
            stop.set()
            raise
        seen = {}
        for future, door in waiting.items():
            at = future.result()
            late = None if at is None else at - answer["started"]
            seen.setdefault(door, []).append(late)
    changed = {
        door: None if None in times else max(times) for door, times in seen.items()
    }
    return changed, answer["done"] - answer["started"]


def measure(env, page, doors, pages) -> dict:
    """Publish and remove RUNS times each; per action and door, the median seconds
    (None when a run never showed the change within GIVE_UP), and what was watched.

    `doors`: {name: port}; `pages`: [(host, path)] that may show the article;
    `page`: {"page_id", "title", "host", "path"} of the article."""
    actions = Actions(env, page["page_id"])
    try:
        title = page["title"]
        watched = [
            (door, port, host, path)
            for door, port in doors.items()
            for host, path in pages
            if title in fetch(port, host, path)
        ]
        if not watched:
            raise RuntimeError(
                f"no page shows the article's title ({title!r}) before the run"
            )
        results = {"publish": {}, "remove": {}}
        took = {"publish": [], "remove": []}
        for number in range(RUNS):
            title = f"{page['title']} (update {number + 1})"
            runs, seconds_taken = one_run(
                actions, f"publish {title}", watched, lambda text, t=title: t in text
            )
            took["publish"].append(seconds_taken)
            for door, seconds in runs.items():
                results["publish"].setdefault(door, []).append(seconds)
        article = fetch(next(iter(doors.values())), page["host"], page["path"])
        shown = [(pk, text) for pk, text in actions.candidates if text in article]
        thread = [
            (door, port, page["host"], page["path"]) for door, port in doors.items()
        ]
        for pk, text in shown[:RUNS]:
            runs, seconds_taken = one_run(
                actions, f"remove {pk}", thread, lambda page, t=text: t not in page
            )
            took["remove"].append(seconds_taken)
            for door, seconds in runs.items():
                results["remove"].setdefault(door, []).append(seconds)
    finally:
        actions.close()
    return {
        "results": {
            action: {door: _median(times) for door, times in by_door.items()}
            for action, by_door in results.items()
        },
        "runs": results,
        "took": {action: _median(times) for action, times in took.items()},
        "watched": sorted({f"{host}{path}" for _door, _port, host, path in watched}),
        "removals": len(shown[:RUNS]),
    }


def _median(times):
    if not times or None in times:
        return None
    return statistics.median(times)
