import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from newsroom.scheduler import jobs


class Command(BaseCommand):
    help = (
        "Every NEWSROOM_SCHEDULER_INTERVAL seconds, run the jobs the apps register "
        "(newsroom/scheduler/jobs.py): publishing and unpublishing scheduled pages, "
        "alert digests and resumed sends, notification summaries, read counts and "
        "trending lists, pruning old live-update events."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run one pass and exit (non-zero when a job failed).",
        )

    def handle(self, *args, once=False, **options):
        if once:
            failed = self.run_pass()
            if failed:
                raise CommandError(f"Scheduled jobs failed: {', '.join(failed)}")
            return
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        interval = settings.NEWSROOM_SCHEDULER_INTERVAL
        while not stopping:
            # A failing job (a lost database connection, a broken page) is logged
            # by run_pass and tried again next time: the scheduler keeps going.
            self.run_pass()
            # As a request's end would: a connection lost or too old is not reused.
            close_old_connections()
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.5)

    def run_pass(self) -> list[str]:
        """One pass, its lines written out; returns the names of failed jobs."""
        failed = []
        for outcome in jobs.run_pass():
            if outcome.error is not None:
                failed.append(outcome.job.name)
            elif outcome.line:
                self.stdout.write(outcome.line)
        return failed
