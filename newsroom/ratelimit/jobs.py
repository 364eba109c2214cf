"""Rate limits' share of the scheduler's pass (`manage.py run_scheduler`)."""

from . import store


def run(now=None) -> str:
    """Forget ended rate-limit windows (only the database keeps any; Redis expires
    its own). Returns a line to log ("" when none went)."""
    pruned = store.prune(now)
    return f"rate limits: {pruned} ended windows pruned" if pruned else ""
