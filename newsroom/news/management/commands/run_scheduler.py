import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from newsroom.news.scheduler import run_scheduled_publishing


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
            run = run_scheduled_publishing()
            self.stdout.write(f"scheduled publishing ran at {run.last_run_at:%H:%M:%S}")
            if once:
                return
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.5)
            if stopping:
                return
