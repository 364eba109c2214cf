"""The alerts' share of the scheduler's pass (`manage.py run_scheduler`)."""

from django.utils import timezone

from . import notices, sending


def run(now=None) -> str:
    """Start this hour's digests, restart stalled or retrying sends, and send the
    daily notification summaries that are due. Returns a line to log ("" when
    there was nothing to do)."""
    now = now or timezone.now()
    digests = sending.schedule_digests(now)
    restarted = sending.resume_stalled(now)
    summaries = notices.send_daily_summaries(now)
    if not (digests or restarted or summaries):
        return ""
    return (
        f"alerts: {len(digests)} digest runs started, {len(restarted)} sends "
        f"resumed, {summaries} notification summaries sent"
    )
