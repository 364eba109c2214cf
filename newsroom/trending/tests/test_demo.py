"""The demo's readership (newsroom/demo/readership.py): as soon as the demo is
loaded, both sites show Most read, Most discussed and the network mix.

The full demo takes minutes to load, so these tests load the small test network plus
the demo stories that `RECENT_THREADS` discuss, with the demo's readers and
commenters, in the suite's own database; test_two_processes.py serves the real
`load_demo` and reads its pages.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db.models import Max
from django.test import Client
from django.utils import timezone

from newsroom.comments.models import Comment
from newsroom.demo import content, discussion, readership
from newsroom.demo.loader import load_demo_network
from newsroom.news.models import ArticlePage
from newsroom.news.tests import network as small
from newsroom.trending.models import ReadCount, TrendingEntry
from newsroom.trending.reads import hour_of

pytestmark = pytest.mark.django_db

DISCUSSED = {thread["headline"] for thread in content.RECENT_THREADS}
SPECS = [spec for spec in content.ARTICLES if spec["headline"] in DISCUSSED]
READ = SimpleNamespace(
    SITES=content.SITES,
    AGENCIES=small.AGENCIES
    + [a for a in content.AGENCIES if a["name"] in {s["agency"] for s in SPECS}],
    AUTHORS=small.AUTHORS
    + [
        a
        for a in content.AUTHORS
        if a["name"] in {name for s in SPECS for name in s["authors"]}
    ],
    ARTICLES=[*small.ARTICLES, *SPECS],
    READERS=content.READERS,
    COMMENTERS=discussion.COMMENTERS,
    RECENT_THREADS=content.RECENT_THREADS,
    READERSHIP=content.READERSHIP,
)
HOSTS = {"ledger": "ledger.localhost", "courier": "courier.localhost"}


def load():
    return load_demo_network(port=80, content=READ, draw_photo=small.small_photo)


@pytest.fixture(scope="module")
def loaded(module_db, django_db_blocker):
    """The baseline plus the demo's discussed stories, readers and read counts, loaded
    once for the module (conftest.module_db)."""
    with django_db_blocker.unblock():
        return load()


@pytest.fixture
def demo(loaded, db):
    return loaded


def titles(host, name) -> list[str]:
    return list(
        TrendingEntry.objects.filter(site__hostname=host, list=name)
        .order_by("rank")
        .values_list("title", flat=True)
    )


def test_both_sites_have_every_list_as_soon_as_the_demo_is_loaded(demo):
    for key, host in HOSTS.items():
        discussed = {t["headline"] for t in READ.RECENT_THREADS if t["site"] == key}
        assert set(titles(host, TrendingEntry.List.MOST_DISCUSSED)) == discussed
        site_articles = [a["headline"] for a in READ.ARTICLES if a["site"] == key]
        assert set(titles(host, TrendingEntry.List.MOST_READ)) <= set(site_articles)
        assert len(titles(host, TrendingEntry.List.MOST_READ)) >= 4
        assert len(titles(host, TrendingEntry.List.TRENDING)) >= 4


def test_the_demo_pages_show_the_widgets(demo):
    names = {key: site.site_name for key, site in demo.sites.items()}
    for key, host in HOSTS.items():
        reader = Client(HTTP_HOST=host)
        home = reader.get("/").content.decode()
        assert 'id="most-read"' in home and 'id="most-discussed"' in home
        article = next(a for a in demo.articles if a.url_path.startswith(f"/{key}/"))
        page = reader.get(article.url_path[len(key) + 1 :]).content.decode()
        other = next(name for other, name in names.items() if other != key)
        assert 'id="trending-elsewhere"' in page
        assert f'<span class="trending-site">{other}</span>' in page
        assert f'<span class="trending-site">{names[key]}</span>' not in page


def test_read_counts_follow_publication_and_stay_plausible(demo):
    now = demo.now
    low, high = READ.READERSHIP
    rows = ReadCount.objects.select_related("page")

    assert rows.count() > 10 * len(READ.ARTICLES)
    for row in rows:
        published = ArticlePage.objects.get(pk=row.page_id).first_published_at
        assert hour_of(published) <= row.hour <= hour_of(now)
        assert now - row.hour < timedelta(hours=readership.HOURS)
        assert 0 < row.count <= high * 1.2
    assert rows.aggregate(Max("count"))["count__max"] > low


def test_read_counts_are_the_same_draw_every_time():
    published = timezone.now() - timedelta(hours=5)
    hour = hour_of(timezone.now())
    peak = readership.busiest_hour("a-story", 3, content.READERSHIP)

    assert peak == readership.busiest_hour("a-story", 3, content.READERSHIP)
    first = readership.hourly_reads(
        published, hour, peak=peak, now=timezone.now(), seed="a-story"
    )
    again = readership.hourly_reads(
        published, hour, peak=peak, now=timezone.now(), seed="a-story"
    )
    assert first == again
    assert (
        readership.busiest_hour("argued-about", 1000, content.READERSHIP)
        == (content.READERSHIP[1])
    )


def test_loading_the_demo_again_adds_nothing(demo):
    before = (
        ReadCount.objects.count(),
        Comment.objects.count(),
        list(TrendingEntry.objects.values_list("site_id", "list", "page_id")),
    )

    again = load()

    assert not again.created.get("hourly read counts")
    assert not again.created.get("comments")
    assert before == (
        ReadCount.objects.count(),
        Comment.objects.count(),
        list(TrendingEntry.objects.values_list("site_id", "list", "page_id")),
    )
