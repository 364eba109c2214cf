"""Demo readership: two days of hourly reads and the last few hours' comments, so the
trending lists (Most read, Most discussed, the network mix) are full from the start.

Reads are `ReadCount` rows, one per article and clock hour, as the scheduler's flush
would have written them. Each count is drawn from a generator seeded with the article
and the hour: an article peaks somewhere between the two `content.READERSHIP` bounds
(higher when it is argued about) an hour or so after publication, then halves every
`FADE_HOURS`, shaped by the time of day in Japan. They are loaded once: when the
demo's articles have read counts already (loaded before, or real ones), the step
leaves them.

The short discussions in `content.RECENT_THREADS` are written like the heated thread,
by comments._load_heated, once. Last the lists are computed, as the scheduler does
every few minutes. A network without READERSHIP (the tests' own) gets none of this.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model

from newsroom.comments import services as comment_services
from newsroom.comments.models import Comment, Thread
from newsroom.news.models import ArticlePage
from newsroom.trending import scoring
from newsroom.trending.models import ReadCount
from newsroom.trending.reads import hour_of

from . import comments

SEED = 2611  # the same counts on every machine, for the same hour
HOURS = 48  # as far back as the trending score looks
RISE_HOURS = 2  # an article reaches its peak this long after publication
FADE_HOURS = 10  # then its reads halve this often
TAIL = 0.03  # of the peak: old stories still found through search and links
JST = timedelta(hours=9)
# Share of the busiest hour's readers at each hour of the day in Japan (0 h to 23 h):
# the morning commute, lunch and the evening are busiest.
DAY_SHAPE = (
    0.35, 0.25, 0.2, 0.18, 0.18, 0.25, 0.5, 0.8, 1.0, 0.85, 0.7, 0.75,
    1.0, 0.9, 0.7, 0.65, 0.7, 0.8, 0.95, 1.0, 1.0, 0.9, 0.75, 0.5,
)  # fmt: skip


def load_recent_comments(network):
    """The short discussions in RECENT_THREADS, each loaded once."""
    threads = getattr(network.content, "RECENT_THREADS", ())
    if not threads:
        return
    names = [name for name, _site in getattr(network.content, "COMMENTERS", ())]
    names += [row[0] for row in getattr(network.content, "READERS", ())]
    ids = dict(
        get_user_model()
        .objects.filter(username__in=names)
        .values_list("username", "pk")
    )
    for spec in threads:
        article = comments._article(network, spec["headline"])
        thread = comment_services.thread_for(article)
        authors = [ids[c["by"]] for c in spec["comments"]]
        if Comment.objects.filter(thread=thread, author_id__in=authors).exists():
            continue
        created = comments._load_heated(thread, spec, ids, names, network, article)
        network.created["comments"] = network.created.get("comments", 0) + created


def busiest_hour(slug: str, comment_count: int, bounds) -> float:
    """Reads in the article's busiest hour: drawn between the bounds, and at least
    the lower bound once more for each comment, as stories argued about are read."""
    low, high = bounds
    drawn = low * (high / low) ** random.Random(f"{SEED}:{slug}").random()
    return max(drawn, min(high, low * (1 + comment_count)))


def hourly_reads(published_at, hour, *, peak, now, seed) -> int:
    """Reads of one article in the clock hour starting at `hour`."""
    age = max((hour - hour_of(published_at)).total_seconds() / 3600, 0)
    curve = max(min(1, (age + 1) / RISE_HOURS) * 0.5 ** (age / FADE_HOURS), TAIL)
    daytime = DAY_SHAPE[(hour + JST).hour]
    noise = random.Random(f"{seed}:{hour:%Y%m%d%H}").uniform(0.8, 1.2)
    elapsed = min((now - hour).total_seconds() / 3600, 1)  # this hour so far
    return round(peak * curve * daytime * noise * elapsed)


def load_reads(network):
    """Hourly read counts of the demo's articles for the last two days, once."""
    bounds = getattr(network.content, "READERSHIP", None)
    page_ids = [article.pk for article in network.articles]
    if not bounds or ReadCount.objects.filter(page_id__in=page_ids).exists():
        return
    current = hour_of(network.now)
    first = current - timedelta(hours=HOURS - 1)
    discussed = dict(
        Thread.objects.filter(page_id__in=page_ids).values_list(
            "page_id", "comment_count"
        )
    )
    rows = []
    for pk, slug, published_at in ArticlePage.objects.filter(
        pk__in=page_ids
    ).values_list("pk", "slug", "first_published_at"):
        peak = busiest_hour(slug, discussed.get(pk, 0), bounds)
        hour = max(first, hour_of(published_at))
        while hour <= current:
            n = hourly_reads(
                published_at, hour, peak=peak, now=network.now, seed=f"{SEED}:{slug}"
            )
            if n:
                rows.append(ReadCount(page_id=pk, hour=hour, count=n))
            hour += timedelta(hours=1)
    ReadCount.objects.bulk_create(rows)
    network.created["hourly read counts"] = len(rows)


def load_trending(network):
    """The trending lists, computed from the reads and comments loaded so far."""
    if getattr(network.content, "READERSHIP", None):
        scoring.recompute(network.now)
