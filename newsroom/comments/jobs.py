"""The comments' share of the scheduler's pass (`manage.py run_scheduler`)."""

import datetime

from django.conf import settings
from django.utils import timezone

from .models import ThreadEvent, Vote

# How long live-update events are kept: longer than a reader's browser keeps
# reconnecting with its `Last-Event-ID` (a laptop woken the next morning).
EVENT_LOG_DAYS = 2


def prune_events(now=None) -> int:
    """Forget live-update events older than a reconnecting reader could ask for.
    Returns how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=EVENT_LOG_DAYS)
    deleted, _by_model = ThreadEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def forget_vote_signals(now=None) -> int:
    """Blank the network and browser hashes of votes older than
    NEWSROOM_VOTE_SIGNALS_DAYS (at least a day: the coordinated-voting rule reads
    the last minutes, moderators the last days). Returns how many votes lost them;
    the votes themselves stay."""
    days = min(max(settings.NEWSROOM_VOTE_SIGNALS_DAYS, 1), 3650)
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    # The same condition as the partial index vote_signals_kept, so it is used.
    return (
        Vote.objects.filter(created_at__lt=cutoff)
        .exclude(network="", device="")
        .update(network="", device="")
    )


def run(now=None) -> str:
    """Prune old live-update events and old votes' signals. Returns a line to log
    ("" when nothing went)."""
    pruned = prune_events(now)
    forgotten = forget_vote_signals(now)
    said = []
    if pruned:
        said.append(f"{pruned} old live-update events pruned")
    if forgotten:
        said.append(f"{forgotten} old votes' network and browser hashes forgotten")
    return f"comments: {'; '.join(said)}" if said else ""
