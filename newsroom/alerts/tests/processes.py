"""Task workers and mail servers as production runs them, for the alerts tests that
cross process boundaries: `manage.py` children on the test database, and an SMTP
server on loopback in the test process. `manage.py` commands that run to their end
go through newsroom.demo.server's `manage`, which raises on a failure."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone

from newsroom.demo.server import ROOT
from newsroom.news.models import ArticlePage

from ..models import Alert, Delivery, Subscriber, Subscription


def child_database_url() -> str:
    """The URL of the test database (PostgreSQL), for child processes."""
    db = settings.DATABASES["default"]
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def child_env(data_dir, **overrides) -> dict:
    """The environment of a `manage.py` child working on the test database, with
    media where the test process keeps it (renditions are already made there)."""
    return {
        **os.environ,
        "DATABASE_URL": child_database_url(),
        "NEWSROOM_DATA_DIR": str(data_dir),
        "NEWSROOM_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "NEWSROOM_DEBUG": "0",
        **overrides,
    }


def start(*args, env, log) -> subprocess.Popen:
    """`manage.py *args` in the background, in a process group of its own, its
    output in the file `log`."""
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    """Send `sig` to the process's group and wait for it to end."""
    if process.poll() is None:
        os.killpg(process.pid, sig)
    process.wait(timeout=30)


def wait_for(predicate, *, timeout: float, what: str) -> None:
    """Poll `predicate` until it is true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def breaking_alert_to_many(count: int) -> Alert:
    """`count` confirmed breaking-news subscribers on one site, and an alert
    recorded for an article (not queued: the test's workers will do it)."""
    article = (
        ArticlePage.objects.live()
        .exclude(
            pk__in=Alert.objects.filter(article__isnull=False).values("article_id")
        )
        .first()
    )
    site = article.get_site()
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"reader{n:03d}@example.org") for n in range(count)]
    )
    Subscription.objects.bulk_create(
        [
            Subscription(subscriber=s, site=site, invited_at=now, confirmed_at=now)
            for s in subscribers
        ]
    )
    # Digests would go out from the scheduler's pass too: only the alert is tested.
    Subscription.objects.update(digest=False)
    return Alert.objects.create(
        site=site, kind=Alert.Kind.BREAKING, article=article, subject=article.title
    )


def recipients(alert) -> list[str]:
    return list(
        Delivery.objects.filter(alert=alert).values_list(
            "subscription__subscriber__email", flat=True
        )
    )


def statuses(alert) -> Counter:
    rows = Delivery.objects.filter(alert=alert)
    return Counter(rows.values_list("status", flat=True))
