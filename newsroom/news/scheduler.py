"""The scheduler that publishes and unpublishes pages at their set times.

Wagtail stores go-live and expiry times on pages and leaves running them to the
operator. The project's scheduler (`manage.py run_scheduler`, newsroom.scheduler)
runs `run_scheduled_publishing` every NEWSROOM_SCHEDULER_INTERVAL seconds; each run
is recorded here for the admin dashboard, which shows editors when it last ran.

It does what Wagtail's `publish_scheduled` command does, with each page in a
transaction of its own. Wagtail's publish is a series of separate writes (the
revision's go-live time cleared, the page made live, the signals' rows such as a
breaking alert, the log entry): a scheduler killed between two of them left a
page live without its log entry or alert, or worse, no longer scheduled and never
published. Here a killed pass leaves each page published whole or still due, and a
page another pass published meanwhile is skipped.
"""

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import DraftStateMixin, Page, Revision

from .models import SchedulerRun

JOB_NAME = "publish_scheduled"
LATE_AFTER_INTERVALS = 4  # a few missed runs before editors are warned


def publish_due(now) -> str:
    """The scheduler's job (newsroom.scheduler.jobs): a line to log."""
    run = run_scheduled_publishing(now=now)
    return f"scheduled publishing ran at {run.last_run_at:%H:%M:%S}: {run.last_result}"


def run_scheduled_publishing(*, now=None) -> SchedulerRun:
    """Unpublish whatever has expired and publish whatever is due, each object in
    a transaction of its own; record and return the run.

    Side effects are the publish's own (page_published receivers: purges, breaking
    alerts), sent once each page is committed. A failing page raises after the
    pages before it are done; it stays due and the next pass tries it again."""
    now = now or timezone.now()
    expired = sum(_unpublish_expired(model, now) for model in _draft_state_models())
    published = 0
    due = Revision.objects.filter(approved_go_live_at__lt=now)
    for revision_id in due.order_by("approved_go_live_at").values_list("pk", flat=True):
        published += _publish_revision(revision_id, now)
    run, _created = SchedulerRun.objects.update_or_create(
        name=JOB_NAME,
        defaults={
            "last_run_at": now,
            "last_result": f"{published} published, {expired} unpublished",
        },
    )
    return run


def _draft_state_models() -> list:
    """Pages and every other model with Wagtail's draft state (snippets)."""
    return [Page] + [
        model
        for model in apps.get_models()
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
    ]


def _unpublish_expired(model, now) -> int:
    done = 0
    due = model.objects.filter(live=True, expire_at__lt=now)
    for pk in due.order_by("expire_at").values_list("pk", flat=True):
        with transaction.atomic():
            found = model.objects.select_for_update().filter(
                pk=pk, live=True, expire_at__lt=now
            )
            obj = found.first()
            if obj is None:  # unpublished meanwhile
                continue
            obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
            done += 1
    return done


def _publish_revision(revision_id: int, now) -> int:
    """Publish one due revision; 0 when it was published (or rescheduled) by
    someone else since the pass listed it."""
    with transaction.atomic():
        revision = (
            Revision.objects.select_for_update()
            .filter(pk=revision_id, approved_go_live_at__lt=now)
            .first()
        )
        if revision is None:
            return 0
        revision.publish(log_action="wagtail.publish.scheduled")
    return 1


def is_late(run, *, now=None) -> bool:
    if run is None:
        return True
    now = now or timezone.now()
    limit = settings.NEWSROOM_SCHEDULER_INTERVAL * LATE_AFTER_INTERVALS
    return (now - run.last_run_at).total_seconds() > limit
