"""What the editors' dashboard shows of the wire feeds."""

from datetime import datetime, timedelta

from .models import WireFeed, WireItem

RECENT_KILLS = timedelta(days=3)  # long enough to be seen after a weekend
KILLS_SHOWN = 10


def dashboard(*, now: datetime) -> dict:
    """Every feed with its state, and the stories withdrawn in the last days.

    Two queries whatever the number of feeds."""
    feeds = list(WireFeed.objects.select_related("site", "agency").order_by("name"))
    kills = list(
        WireItem.objects.filter(killed_at__gte=now - RECENT_KILLS)
        .exclude(page=None)
        .select_related("feed__agency", "page")
        .order_by("-killed_at")[:KILLS_SHOWN]
    )
    return {"feeds": feeds, "kills": kills, "now": now}
