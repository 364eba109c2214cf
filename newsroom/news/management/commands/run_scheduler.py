import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from newsroom.news.scheduler import run_scheduled_publishing

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Publish and unpublish scheduled pages every NEWSROOM_SCHEDULER_INTERVAL seconds."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")

    def handle(self, *args, once=False, **options):
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        interval = settings.NEWSROOM_SCHEDULER_INTERVAL
        while True:
            # A lost database connection or a failing page must not stop the scheduler:
            # report it and try again next time.
            close_old_connections()
            try:
                run = run_scheduled_publishing()
            except Exception:
                if once:
                    raise
                logger.exception("scheduled publishing failed; retrying in %s seconds", interval)
            else:
                self.stdout.write(f"scheduled publishing ran at {run.last_run_at:%H:%M:%S}")
            if once:
                return
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.5)
            if stopping:
                return
