"""The trending lists as widgets read them: one cached query per site; and the
articles a read beacon may count, one cached query per article."""

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction, Site

from newsroom.news.models import ArticlePage

from .models import TrendingEntry

CACHE_SECONDS = 60
SHOWN = 5
# How long an article's lookup stands. Publishing, unpublishing or moving it forgets
# the lookup at once (receivers.py); a new view restriction, or a change in another
# process's in-memory cache, shows within this time.
ARTICLE_SECONDS = 60
LARGEST_PAGE_ID = 2**31 - 1  # Wagtail's page ids are 32-bit integers


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


def article_key(page_id: int) -> str:
    return f"trending:article:{page_id}"


def countable_article_site(page_id: int) -> int | None:
    """The site id of the live, public article `page_id`, or None for anything else
    (a draft, an unpublished, expired or private article, a page that is not an
    article, no page at all). One query, then cached for ARTICLE_SECONDS."""
    if not 0 < page_id <= LARGEST_PAGE_ID:
        return None
    key = article_key(page_id)
    site_id = cache.get(key)
    if site_id is None:
        site_id = _live_public_article_site(page_id) or 0  # 0: cached as "none"
        cache.set(key, site_id, ARTICLE_SECONDS)
    return site_id or None


def _live_public_article_site(page_id: int) -> int | None:
    # Tree paths (treebeard) of ancestors are prefixes of the page's own: a view
    # restriction on the page or above it makes it private, and the site is the one
    # whose root is above it. One query, where Wagtail's `public()` takes two.
    def above(path):
        return Substr(OuterRef("path"), 1, Length(path))

    restricted = PageViewRestriction.objects.filter(page__path=above("page__path"))
    sites = Site.objects.filter(root_page__path=above("root_page__path"))
    return (
        ArticlePage.objects.live()
        .filter(pk=page_id)
        .exclude(Exists(restricted))
        .annotate(site_pk=Subquery(sites.order_by("pk").values("pk")[:1]))
        .values_list("site_pk", flat=True)
        .first()
    )
