"""The trending lists as widgets read them: one cached query per site."""

from django.core.cache import cache

from .models import TrendingEntry

CACHE_SECONDS = 60
SHOWN = 5


def entries(site) -> dict[str, list[TrendingEntry]]:
    """All three lists of `site`, as recomputed last (at most a minute old)."""
    if site is None:
        return {}
    key = f"trending:entries:{site.pk}"
    lists = cache.get(key)
    if lists is None:
        lists = {}
        for entry in TrendingEntry.objects.filter(site=site).order_by("list", "rank"):
            lists.setdefault(entry.list, []).append(entry)
        cache.set(key, lists, CACHE_SECONDS)
    return lists


def top(site, name: str, limit: int = SHOWN) -> list[TrendingEntry]:
    return entries(site).get(name, [])[:limit]


def network_mix(site, sites, limit: int = 6) -> list[TrendingEntry]:
    """Trending on the other sites, taken in turn from each so none dominates:
    each site's first, then each site's second, and so on."""
    queues = [
        entries(other).get(TrendingEntry.List.TRENDING, [])
        for other in sites
        if other.pk != getattr(site, "pk", None)
    ]
    mixed = []
    for rank in range(max(map(len, queues), default=0)):
        for queue in queues:
            if rank < len(queue):
                mixed.append(queue[rank])
    return mixed[:limit]
