"""`make bench`, alerts: one breaking alert to 10,000 subscribers via a local SMTP sink.

Builds a throwaway database (a SQLite file in a temporary directory; with
DATABASE_URL set to PostgreSQL, a scratch database created on that server and dropped
afterwards), migrates it, loads the tests' small two-site network, subscribes
BENCH_ALERT_SUBSCRIBERS confirmed breaking-news addresses to one site and sends one
breaking alert with `sending.send_alert`, in this process, as a task worker runs it:
fan-out, claims of NEWSROOM_ALERTS_BATCH, one SMTP session, each message recorded
SENT as the server accepts it.

The SMTP sink is aiosmtpd on loopback in a thread of this process: it counts
messages and parses nothing, but it shares the interpreter (and its lock) with the
sender, so the rate is a floor for a worker talking to a separate mail server.

Reported: wall time and messages per second of the send; the process's peak
resident memory (ru_maxrss) before and after it; and, in a second send of the same
size to another article with tracemalloc on (slower, so not timed), the peak of
Python allocations during the send. BENCH_ALERT_PROFILE=1 prints cProfile's top
functions of the timed send instead of writing results.
"""

import contextlib
import cProfile
import datetime
import io
import os
import platform
import pstats
import resource
import sqlite3
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import machine, write_results  # noqa: E402

from newsroom.demo.server import free_port  # noqa: E402

SUBSCRIBERS = int(os.environ.get("BENCH_ALERT_SUBSCRIBERS", "10000"))
PROFILE = os.environ.get("BENCH_ALERT_PROFILE") == "1"


class CountingSink:
    """An SMTP server that accepts every message and only counts them."""

    def __init__(self):
        self.messages = 0
        self.recipients = 0

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook
        self.messages += 1
        self.recipients += len(envelope.rcpt_tos)
        return "250 OK"


@contextlib.contextmanager
def scratch_database(data_dir):
    """(DATABASE_URL for the bench, a description of the database)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        path = Path(data_dir) / "alerts.sqlite3"
        yield f"sqlite:///{path}", f"SQLite {sqlite3.sqlite_version} (file, WAL)"
        return
    import psycopg

    name = f"newsroom_alerts_bench_{uuid.uuid4().hex[:10]}"
    admin = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
        version = connection.execute("SHOW server_version").fetchone()[0]
    try:
        yield urlsplit(url)._replace(path=f"/{name}").geturl(), f"PostgreSQL {version}"
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(count: int):
    """Migrate, load the small network, subscribe `count` addresses; return two
    breaking alerts (recorded, not sent) for two articles of the first site."""
    from django.core.management import call_command
    from django.utils import timezone

    from newsroom.alerts.models import Alert, Subscriber, Subscription
    from newsroom.demo.loader import load_demo_network
    from newsroom.news.models import ArticlePage
    from newsroom.news.tests import network as content

    call_command("migrate", verbosity=0)
    load_demo_network(port=80, content=content, draw_photo=content.small_photo)
    first = ArticlePage.objects.live().exclude(lead_image=None).order_by("pk").first()
    site = first.get_site()
    articles = list(
        ArticlePage.objects.live()
        .descendant_of(site.root_page)
        .exclude(lead_image=None)
        .order_by("pk")[:2]
    )
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"reader{n:05d}@example.org") for n in range(count)],
        batch_size=1000,
    )
    if subscribers[0].pk is None:  # a backend that returns no keys
        subscribers = list(Subscriber.objects.filter(email__startswith="reader"))
    Subscription.objects.bulk_create(
        [
            Subscription(subscriber=s, site=site, invited_at=now, confirmed_at=now)
            for s in subscribers
        ],
        batch_size=1000,
    )
    return [
        Alert.objects.create(
            site=site, kind=Alert.Kind.BREAKING, article=article, subject=article.title
        )
        for article in articles
    ]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def timed_send(alert, sink) -> dict:
    from newsroom.alerts import sending

    before_rss, before_sink = peak_rss_mb(), sink.messages
    profiler = cProfile.Profile() if PROFILE else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    counts = sending.send_alert(alert.pk)
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(40)
        print(out.getvalue())
    return {
        "counts": counts,
        "seconds": elapsed,
        "rate": counts["sent"] / elapsed,
        "rss_before": before_rss,
        "rss_after": peak_rss_mb(),
        "received": sink.messages - before_sink,
    }


def traced_send(alert) -> float:
    """Peak MB of Python allocations during a send (tracemalloc)."""
    from newsroom.alerts import sending

    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        sending.send_alert(alert.pk)
        return tracemalloc.get_traced_memory()[1] / 1024**2
    finally:
        tracemalloc.stop()


def check(alert, result) -> None:
    from newsroom.alerts.models import Delivery

    rows = Delivery.objects.filter(alert=alert)
    sent = rows.filter(status=Delivery.Status.SENT).count()
    if not (result["received"] == sent == rows.count() == SUBSCRIBERS):
        raise SystemExit(
            f"the sink received {result['received']} messages, {sent} of "
            f"{rows.count()} deliveries are SENT; {SUBSCRIBERS} expected"
        )


def report(result, traced_mb, *, database, when, load, batch) -> str:
    return "\n".join(
        [
            f"Measured {when:%Y-%m-%d %H:%M} UTC with `make bench` (bench/alerts.py): "
            f"one breaking alert to {SUBSCRIBERS:,} confirmed subscribers, sent by "
            "`sending.send_alert` in one process (as one task worker) over one SMTP "
            "session to an aiosmtpd sink on loopback in a thread of the same process.",
            "",
            f"- Machine: {machine()}; load average {load:.2f} before the run",
            f"- Python: {platform.python_version()} "
            f"({platform.python_implementation()})",
            f"- Database: {database}; NEWSROOM_ALERTS_BATCH {batch}, no rate limit",
            "",
            "| messages | sent | seconds | messages/s | peak RSS before → after "
            "| peak Python allocations (tracemalloc, second send) |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {result['received']:,} | {result['counts']['sent']:,} "
            f"| {result['seconds']:.1f} | {result['rate']:.0f} "
            f"| {result['rss_before']:.0f} → {result['rss_after']:.0f} MB "
            f"| {traced_mb:.1f} MB |",
            "",
            "Every delivery was SENT and the sink counted each message once. The sink "
            "shares the sender's interpreter, so a worker with a separate mail server "
            "sends at least this fast.",
        ]
    )


def main():
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="newsroom-alerts-bench-") as data_dir:
        with scratch_database(data_dir) as (url, database):
            port = free_port()
            os.environ.update(
                DJANGO_SETTINGS_MODULE="newsroom.settings",
                DATABASE_URL=url,
                NEWSROOM_DATA_DIR=data_dir,
                NEWSROOM_TASKS="immediate",
                EMAIL_URL=f"smtp://127.0.0.1:{port}",
                NEWSROOM_ALERTS_RATE="0",
                NEWSROOM_LOG_LEVEL="WARNING",
            )
            os.environ.pop("REDIS_URL", None)
            import django

            django.setup()
            from aiosmtpd.controller import Controller
            from django.conf import settings
            from django.db import connection

            sink = CountingSink()
            controller = Controller(sink, hostname="127.0.0.1", port=port)
            controller.start()
            try:
                print(f"Preparing {SUBSCRIBERS:,} subscribers ({database})...")
                timed, traced = prepare(SUBSCRIBERS)
                print("Sending...")
                result = timed_send(timed, sink)
                check(timed, result)
                print(
                    f"{result['received']:,} messages in {result['seconds']:.1f} s: "
                    f"{result['rate']:.0f} messages/s; peak RSS "
                    f"{result['rss_before']:.0f} → {result['rss_after']:.0f} MB"
                )
                if PROFILE:
                    return
                print("Sending again with tracemalloc on...")
                traced_mb = traced_send(traced)
                print(f"Peak Python allocations during a send: {traced_mb:.1f} MB")
            finally:
                controller.stop()
                connection.close()
            batch = settings.NEWSROOM_ALERTS_BATCH
    when = datetime.datetime.now(tz=datetime.UTC)
    text = report(
        result, traced_mb, database=database, when=when, load=load, batch=batch
    )
    kind = "PostgreSQL" if database.startswith("PostgreSQL") else "SQLite"
    write_results(f"Alerts, {kind}", text)
    print(f"\n{text}\n\nWritten to bench/RESULTS.md.")


if __name__ == "__main__":
    main()
