"""The trending share of the scheduler's pass (`manage.py run_scheduler`)."""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from . import reads, scoring

LAST_RUN = "trending:last-recompute"


def run(now=None) -> str:
    """Flush buffered reads on every pass; recompute the lists every
    `NEWSROOM_TRENDING_INTERVAL` seconds. Returns a line to log."""
    now = now or timezone.now()
    written = reads.flush()
    line = f"trending: {written} reads flushed" if written else ""
    last = cache.get(LAST_RUN)
    if last is None or (now - last).total_seconds() >= (
        settings.NEWSROOM_TRENDING_INTERVAL
    ):
        entries = scoring.recompute(now)
        reads.prune_batches(now)
        cache.set(LAST_RUN, now, None)
        line = f"{line}, " if line else "trending: "
        line += f"{entries} list entries recomputed"
    return line
