import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from newsroom.comments.services import prune_events
from newsroom.news.scheduler import run_scheduled_publishing

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Publish and unpublish scheduled pages every NEWSROOM_SCHEDULER_INTERVAL s."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run one pass and exit."
        )

    def handle(self, *args, once=False, **options):
        if once:
            run = run_scheduled_publishing()
            self.stdout.write(f"scheduled publishing ran at {run.last_run_at:%H:%M:%S}")
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
            close_old_connections()
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.5)
            if stopping:
                return
