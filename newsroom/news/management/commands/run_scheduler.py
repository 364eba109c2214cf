import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from newsroom.alerts import jobs as alert_jobs
from newsroom.comments.services import prune_events
from newsroom.news.scheduler import run_scheduled_publishing
from newsroom.trending import jobs as trending_jobs

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Every NEWSROOM_SCHEDULER_INTERVAL seconds: publish and unpublish scheduled "
        "pages, start digests, resume stalled alert sends, send notification "
        "summaries, flush read counts and recompute the trending lists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run one pass and exit."
        )

    def handle(self, *args, once=False, **options):
        if once:
            run = run_scheduled_publishing()
            self.stdout.write(f"scheduled publishing ran at {run.last_run_at:%H:%M:%S}")
            self.stdout.write(alert_jobs.run() or "alerts: nothing to do")
            self.stdout.write(trending_jobs.run() or "trending: nothing to do")
            return
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        interval = settings.NEWSROOM_SCHEDULER_INTERVAL
        while True:
            # A lost database connection or a failing page must not stop the scheduler:
            # report it, drop the connection and try again next time.
            try:
                run = run_scheduled_publishing()
            except Exception:
                logger.exception(
                    "scheduled publishing failed; retrying in %s seconds", interval
                )
            else:
                self.stdout.write(
                    f"scheduled publishing ran at {run.last_run_at:%H:%M:%S}"
                )
            try:
                prune_events()
            except Exception:
                logger.exception("pruning old live-update events failed")
            try:
                if line := alert_jobs.run():
                    self.stdout.write(line)
            except Exception:
                logger.exception("the alerts' scheduled jobs failed")
            try:
                if line := trending_jobs.run():
                    self.stdout.write(line)
            except Exception:
                logger.exception("flushing reads or recomputing trending failed")
            close_old_connections()
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.5)
            if stopping:
                return
