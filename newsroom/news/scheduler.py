"""The scheduler that publishes and unpublishes pages at their set times.

Wagtail stores go-live and expiry times on pages and leaves running `publish_scheduled`
to the operator. The project's scheduler (`manage.py run_scheduler`, newsroom.scheduler)
runs it every NEWSROOM_SCHEDULER_INTERVAL seconds; each run is recorded here for the
admin dashboard, which shows editors when it last ran.
"""

import io

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from .models import SchedulerRun

JOB_NAME = "publish_scheduled"
LATE_AFTER_INTERVALS = 4  # a few missed runs before editors are warned


def publish_due(now) -> str:
    """The scheduler's job (newsroom.scheduler.jobs): a line to log."""
    run = run_scheduled_publishing(now=now)
    return f"scheduled publishing ran at {run.last_run_at:%H:%M:%S}"


def run_scheduled_publishing(*, now=None) -> SchedulerRun:
    """Publish and unpublish whatever is due, then record and return the run."""
    output = io.StringIO()
    call_command("publish_scheduled", stdout=output)
    summary = " ".join(output.getvalue().split())[:255]
    run, _created = SchedulerRun.objects.update_or_create(
        name=JOB_NAME,
        defaults={"last_run_at": now or timezone.now(), "last_result": summary},
    )
    return run


def is_late(run, *, now=None) -> bool:
    if run is None:
        return True
    now = now or timezone.now()
    limit = settings.NEWSROOM_SCHEDULER_INTERVAL * LATE_AFTER_INTERVALS
    return (now - run.last_run_at).total_seconds() > limit
