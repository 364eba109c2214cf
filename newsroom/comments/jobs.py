"""The comments' share of the scheduler's pass (`manage.py run_scheduler`)."""

import datetime

from django.utils import timezone

from .models import ThreadEvent

# How long live-update events are kept: longer than a reader's browser keeps
# reconnecting with its `Last-Event-ID` (a laptop woken the next morning).
EVENT_LOG_DAYS = 2


def prune_events(now=None) -> int:
    """Forget live-update events older than a reconnecting reader could ask for.
    Returns how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=EVENT_LOG_DAYS)
    deleted, _by_model = ThreadEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def run(now=None) -> str:
    """Prune old live-update events. Returns a line to log ("" when none went)."""
    pruned = prune_events(now)
    return f"comments: {pruned} old live-update events pruned" if pruned else ""
