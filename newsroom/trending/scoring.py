"""Computing the trending lists, every few minutes, never per request.

The trending score of an article is the sum, over each hour of the last 48, of
that hour's reads plus five times its new comments, halved for every
`NEWSROOM_TRENDING_HALF_LIFE` hours (6 by default) since the middle of the hour:

    score = Σ_h (reads_h + 5 · comments_h) · 0.5 ^ (age_h / half_life)

A story read 600 times this morning therefore ranks level with one read 300 times
in the last hour once six hours have passed, and something said is worth more than
something read. "Most read" ranks by reads in the last 24 hours and "Most
discussed" by new comments in the last 24 hours; both break ties by the score.

Editors' placements apply to all three lists of the article's site: a pinned
article comes first, a hidden one never appears.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncHour
from django.utils import timezone
from wagtail.models import Page, Site

from newsroom.comments.models import Comment
from newsroom.news.models import ArticlePage

from .models import Placement, ReadCount, TrendingEntry

WINDOW = datetime.timedelta(hours=48)
RECENT = datetime.timedelta(hours=24)
COMMENT_WEIGHT = 5
LIST_SIZE = 10


def decay(age: datetime.timedelta, half_life_hours: float) -> float:
    return 0.5 ** (age.total_seconds() / 3600 / half_life_hours)


class Stats:
    __slots__ = ("score", "reads", "comments")

    def __init__(self):
        self.score = 0.0
        self.reads = 0
        self.comments = 0


def activity(now) -> dict[int, Stats]:
    """Score, recent reads and recent comments of every article active lately."""
    half_life = settings.NEWSROOM_TRENDING_HALF_LIFE
    stats = defaultdict(Stats)

    def add(page_id, hour, reads=0, comments=0):
        entry = stats[page_id]
        middle = hour + datetime.timedelta(minutes=30)
        age = max(now - middle, datetime.timedelta(0))
        entry.score += (reads + COMMENT_WEIGHT * comments) * decay(age, half_life)
        if now - hour < RECENT:
            entry.reads += reads
            entry.comments += comments

    for page_id, hour, n in ReadCount.objects.filter(
        hour__gte=now - WINDOW
    ).values_list("page_id", "hour", "count"):
        add(page_id, hour, reads=n)
    comments = (
        Comment.objects.filter(
            status=Comment.Status.PUBLISHED, created_at__gte=now - WINDOW
        )
        .annotate(hour=TruncHour("created_at", tzinfo=datetime.UTC))
        .values_list("thread__page_id", "hour")
        .annotate(n=Count("id"))
        .order_by()
    )
    for page_id, hour, n in comments:
        add(page_id, hour, comments=n)
    return stats


def _placements(now) -> tuple[list[int], set[int]]:
    active = Placement.objects.filter(Q(until__isnull=True) | Q(until__gt=now))
    pins = list(
        active.filter(action=Placement.Action.PIN)
        .order_by("-created_at")
        .values_list("page_id", flat=True)
    )
    hidden = set(
        active.filter(action=Placement.Action.HIDE).values_list("page_id", flat=True)
    )
    return pins, hidden


def _site_of(page, sites):
    for site in sites:  # deepest root first
        if page.path.startswith(site.root_page.path):
            return site
    return None


def recompute(now=None) -> int:
    """Rebuild every site's lists; returns the number of entries written."""
    now = now or timezone.now()
    stats = activity(now)
    pins, hidden = _placements(now)
    articles = list(
        ArticlePage.objects.live()
        .public()
        .filter(pk__in=set(stats) | set(pins))
        .exclude(pk__in=hidden)
        .only("pk", "title", "path", "url_path", "depth")
    )
    parents = dict(
        Page.objects.filter(
            path__in={a.path[: -Page.steplen] for a in articles}
        ).values_list("path", "slug")
    )
    sites = sorted(
        Site.objects.select_related("root_page"),
        key=lambda site: -len(site.root_page.path),
    )
    by_site = defaultdict(list)
    for article in articles:
        site = _site_of(article, sites)
        if site is not None:
            by_site[site].append(article)
    pin_rank = {page_id: rank for rank, page_id in enumerate(pins)}
    empty = Stats()
    entries = []
    for site in sites:
        candidates = by_site.get(site, [])
        root_url = site.root_url
        root_path = site.root_page.url_path
        orders = {
            TrendingEntry.List.TRENDING: lambda s: (s.score,),
            TrendingEntry.List.MOST_READ: lambda s: (s.reads, s.score),
            TrendingEntry.List.MOST_DISCUSSED: lambda s: (s.comments, s.score),
        }
        for name, key in orders.items():
            pinned = sorted(
                (a for a in candidates if a.pk in pin_rank),
                key=lambda a: pin_rank[a.pk],
            )
            ranked = sorted(
                (
                    a
                    for a in candidates
                    if a.pk not in pin_rank and key(stats.get(a.pk, empty))[0] > 0
                ),
                key=lambda a, key=key: key(stats.get(a.pk, empty)),
                reverse=True,
            )
            for rank, article in enumerate([*pinned, *ranked][:LIST_SIZE], 1):
                found = stats.get(article.pk, empty)
                entries.append(
                    TrendingEntry(
                        site=site,
                        list=name,
                        rank=rank,
                        page_id=article.pk,
                        title=article.title,
                        url=root_url + "/" + article.url_path[len(root_path) :],
                        section=parents.get(article.path[: -Page.steplen], ""),
                        score=round(found.score, 3),
                        reads=found.reads,
                        comments=found.comments,
                        pinned=article.pk in pin_rank,
                        computed_at=now,
                    )
                )
    with transaction.atomic():
        TrendingEntry.objects.all().delete()
        TrendingEntry.objects.bulk_create(entries)
    return len(entries)
