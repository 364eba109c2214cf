"""The trending lists: decay, weights, the last day's rankings, editors' pins and
hides, one site's lists per site, the network mix, the widgets and the scheduler."""

import datetime
import io
import re
import types
from datetime import timedelta
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from wagtail.models import Site

from conftest import COURIER, LEDGER, clear_cache
from newsroom.comments import posting
from newsroom.comments.tests.factories import set_rules
from newsroom.news.models import ArticlePage, SectionPage
from newsroom.news.tests import network as test_network
from newsroom.news.tests.factories import publish_article
from newsroom.trending import jobs, reads, scoring, selectors
from newsroom.trending.models import Placement, TrendingEntry

pytestmark = pytest.mark.django_db

TRENDING = TrendingEntry.List.TRENDING
MOST_READ = TrendingEntry.List.MOST_READ
MOST_DISCUSSED = TrendingEntry.List.MOST_DISCUSSED
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture
def now():
    """The middle of the last full hour: reads counted in that hour are age 0."""
    return reads.hour_of(timezone.now()) - timedelta(minutes=30)


@pytest.fixture
def article(network):
    """`article("Harbor Gulls")`: the test network's article whose title starts so."""
    return lambda start: ArticlePage.objects.get(title__startswith=start)


def record_reads(page, n, *, at):
    """`n` readers' reads of `page` in the hour of `at`, through a buffer's flush."""
    buffer = reads.MemoryBuffer()
    hour = reads.hour_of(at)
    for reader in range(n):
        buffer.add(page.pk, hour, f"reader-{reader}")
    assert buffer.flush() == n


@pytest.fixture
def discuss(make_reader):
    """`discuss(page, n, at=…)`: `n` comments on `page` posted at `at`."""
    readers = {}

    def post(page, n, *, at):
        set_rules(page)
        author = readers.get(page.get_site().pk)
        if author is None:
            author = readers[page.get_site().pk] = make_reader(f"Talker {page.pk}")
        for number in range(n):
            posting.post_comment(
                page=page,
                author=author,
                body=f"Point {number} about {page.title}, at {at:%H:%M}.",
                now=at + timedelta(seconds=number),
            )

    return post


def listed(site_host, name) -> list[str]:
    return list(
        TrendingEntry.objects.filter(site__hostname=site_host, list=name)
        .order_by("rank")
        .values_list("title", flat=True)
    )


def entry(site_host, name, page) -> TrendingEntry:
    return TrendingEntry.objects.get(site__hostname=site_host, list=name, page=page)


@given(
    first=st.floats(min_value=0, max_value=500),
    second=st.floats(min_value=0, max_value=500),
    half_life=st.floats(min_value=0.5, max_value=48),
)
def test_decay_halves_every_half_life_and_composes(first, second, half_life):
    hours = timedelta(hours=1)

    assert scoring.decay(0 * hours, half_life) == 1
    assert scoring.decay(half_life * hours, half_life) == pytest.approx(0.5)
    assert scoring.decay((first + second) * hours, half_life) == pytest.approx(
        scoring.decay(first * hours, half_life)
        * scoring.decay(second * hours, half_life),
        rel=1e-6,
        abs=1e-300,
    )
    assert (
        scoring.decay((first + 1) * hours, half_life)
        < scoring.decay(first * hours, half_life)
        or scoring.decay(first * hours, half_life) == 0
    )


def test_a_read_six_hours_old_weighs_half_a_read_now(article, now):
    fresh, older = article("Marenne"), article("Tanker")
    record_reads(fresh, 100, at=now)
    record_reads(older, 100, at=now - timedelta(hours=6))

    scoring.recompute(now)

    assert entry(LEDGER, TRENDING, fresh).score == 100
    assert entry(LEDGER, TRENDING, older).score == 50
    assert listed(LEDGER, TRENDING) == [fresh.title, older.title]


def test_the_half_life_is_a_setting(article, now, settings):
    settings.NEWSROOM_TRENDING_HALF_LIFE = 3
    older = article("Tanker")
    record_reads(older, 100, at=now - timedelta(hours=6))

    scoring.recompute(now)

    assert entry(LEDGER, TRENDING, older).score == 25


def test_a_comment_weighs_five_reads(article, discuss, now):
    read, discussed = article("Marenne"), article("Harbor Gulls")
    record_reads(read, 50, at=now)
    discuss(discussed, 10, at=now - timedelta(minutes=20))

    scoring.recompute(now)
    assert entry(LEDGER, TRENDING, discussed).score == 50
    assert entry(LEDGER, TRENDING, read).score == 50

    discuss(discussed, 1, at=now - timedelta(minutes=10))
    scoring.recompute(now)
    assert entry(LEDGER, TRENDING, discussed).score == 55
    assert listed(LEDGER, TRENDING)[0] == discussed.title


def test_most_read_and_most_discussed_rank_the_last_day(article, discuss, now):
    marenne, tanker = article("Marenne"), article("Tanker")
    hamasaki, gulls, island = article("Hamasaki"), article("Harbor"), article("Island")
    record_reads(hamasaki, 400, at=now - timedelta(hours=30))  # before the last day
    record_reads(tanker, 60, at=now - timedelta(hours=20))
    record_reads(marenne, 30, at=now)
    discuss(island, 5, at=now - timedelta(hours=30))
    discuss(island, 1, at=now - timedelta(hours=1))
    discuss(gulls, 3, at=now - timedelta(hours=2))
    discuss(marenne, 2, at=now - timedelta(minutes=10))

    scoring.recompute(now)

    assert listed(LEDGER, MOST_READ) == [tanker.title, marenne.title]
    assert entry(LEDGER, MOST_READ, tanker).reads == 60
    assert listed(LEDGER, MOST_DISCUSSED) == [gulls.title, marenne.title, island.title]
    assert entry(LEDGER, MOST_DISCUSSED, island).comments == 1
    # Trending weighs the whole two days, recent activity most:
    #   Marenne   30 reads + 5 · 2 comments, now            40
    #   Hamasaki  400 reads 30 h ago: 400 · 0.5^5           12.5
    #   Gulls     5 · 3 comments 2 h ago: 15 · 0.5^(1/3)    11.9
    #   Tanker    60 reads 20 h ago: 60 · 0.5^(10/3)         5.95
    #   Island    5 · 5 · 0.5^5 + 5 · 0.5^(1/6)              5.24
    assert listed(LEDGER, TRENDING) == [
        marenne.title,
        hamasaki.title,
        gulls.title,
        tanker.title,
        island.title,
    ]
    assert entry(LEDGER, TRENDING, hamasaki).score == pytest.approx(
        400 * 0.5 ** (30 / 6), abs=0.001
    )


def test_pins_come_first_and_hidden_articles_never_appear(article, now):
    marenne, tanker, hamasaki = article("Marenne"), article("Tanker"), article("Ham")
    gulls, island, osaka = article("Harbor"), article("Island"), article("Osaka")
    record_reads(marenne, 100, at=now)
    record_reads(tanker, 50, at=now)
    record_reads(hamasaki, 10, at=now)
    expired = now - timedelta(minutes=1)
    for page, action, until in [
        (gulls, Placement.Action.PIN, None),
        (hamasaki, Placement.Action.PIN, now + timedelta(days=1)),
        (marenne, Placement.Action.HIDE, None),
        (island, Placement.Action.PIN, expired),
        (tanker, Placement.Action.HIDE, expired),
        (osaka, Placement.Action.PIN, None),
    ]:
        Placement.objects.create(page=page, action=action, until=until)
    # The latest pin leads.
    Placement.objects.filter(page=hamasaki).update(
        created_at=timezone.now() + timedelta(minutes=1)
    )

    scoring.recompute(now)

    pinned = [hamasaki.title, gulls.title]
    assert listed(LEDGER, TRENDING) == [*pinned, tanker.title]
    assert listed(LEDGER, MOST_READ) == [*pinned, tanker.title]
    assert listed(LEDGER, MOST_DISCUSSED) == pinned
    assert entry(LEDGER, TRENDING, gulls).pinned
    assert not entry(LEDGER, TRENDING, tanker).pinned
    assert not TrendingEntry.objects.filter(page=marenne).exists()
    assert not TrendingEntry.objects.filter(page=island).exists()  # pin expired
    assert listed(COURIER, TRENDING) == [osaka.title]
    assert set(listed(COURIER, MOST_READ)) == {osaka.title}


def test_each_sites_lists_hold_only_its_own_articles(network, now):
    for number, page in enumerate(ArticlePage.objects.all(), 1):
        record_reads(page, 10 * number, at=now)

    assert scoring.recompute(now) == 2 * 7  # trending and most read; no comments

    for site in Site.objects.all():
        root = site.root_page
        entries = TrendingEntry.objects.filter(site=site).select_related("page")
        assert entries.count() == 2 * ArticlePage.objects.descendant_of(root).count()
        for listed_entry in entries:
            assert listed_entry.page.url_path.startswith(root.url_path)
            assert listed_entry.url.startswith(f"http://{site.hostname}/")
            assert listed_entry.url == listed_entry.page.full_url


def test_home_and_section_pages_show_most_read_and_most_discussed(
    ledger, article, discuss, now
):
    marenne, tanker, gulls = article("Marenne"), article("Tanker"), article("Harbor")
    before = ledger.get("/").content.decode()
    record_reads(marenne, 20, at=now)
    record_reads(tanker, 90, at=now)
    discuss(gulls, 3, at=now)
    scoring.recompute(now)
    clear_cache()

    for path in ("/", "/world/"):
        html = ledger.get(path).content.decode()
        most_read = box(html, "most-read")
        assert links(most_read) == [
            (tanker.full_url, tanker.title),
            (marenne.full_url, marenne.title),
        ]
        assert ">world<" in most_read  # each headline's section
        most_discussed = box(html, "most-discussed")
        assert links(most_discussed) == [(gulls.full_url, gulls.title)]
        assert "3 new comments" in most_discussed
    assert "Most read" in html and "Most discussed" in html
    assert "Most read" not in before and "Most discussed" not in before


def box(html, heading_id) -> str:
    found = re.search(
        rf'<(section|aside)[^>]*aria-labelledby="{heading_id}".*?</\1>', html, re.S
    )
    assert found, f"no {heading_id} box"
    return found.group(0)


def links(html) -> list[tuple[str, str]]:
    found = re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)
    return [(unescape(url), unescape(title)) for url, title in found]


def test_the_article_page_mixes_trending_from_the_other_sites_only(
    ledger, courier, article, now
):
    marenne, tanker = article("Marenne"), article("Tanker")
    kobe, osaka = article("Kobe"), article("Osaka")
    record_reads(marenne, 50, at=now)
    record_reads(tanker, 40, at=now)
    record_reads(kobe, 30, at=now)
    record_reads(osaka, 20, at=now)
    scoring.recompute(now)

    on_ledger = box(
        ledger.get(marenne.url_path[len("/ledger") :]).content.decode(),
        "trending-elsewhere",
    )
    on_courier = box(
        courier.get(kobe.url_path[len("/courier") :]).content.decode(),
        "trending-elsewhere",
    )

    assert "A mix of what's trending on our other sites" in unescape(on_ledger)
    assert mix(on_ledger) == [
        ("Kansai Evening Courier", f"http://{COURIER}/world/{kobe.slug}/", kobe.title),
        (
            "Kansai Evening Courier",
            f"http://{COURIER}/business/{osaka.slug}/",
            osaka.title,
        ),
    ]
    assert mix(on_courier) == [
        ("The Tokyo Ledger", marenne.full_url, marenne.title),
        ("The Tokyo Ledger", tanker.full_url, tanker.title),
    ]


def mix(html) -> list[tuple[str, str, str]]:
    found = re.findall(
        r'<span class="trending-site">([^<]+)</span> <a href="([^"]+)">([^<]+)</a>',
        html,
    )
    return [tuple(map(unescape, parts)) for parts in found]


# A third sister site, for the mix across more than one other site.
HARBOUR = {
    "key": "harbour",
    "name": "The Harbour Times",
    "hostname": "harbour.localhost",
    "publisher": "Harbour Times Co.",
    "tagline": "The port city's paper.",
    "colour": "#2e7d32",
    "sections": [("world", "World")],
}


NETWORK = ["ledger", "courier", "harbour"]  # as the footer lists them


@pytest.fixture
def three_sites(db):
    from newsroom.demo.loader import load_demo_network

    content = types.SimpleNamespace(
        **{
            name: getattr(test_network, name)
            for name in ("SITES", "AGENCIES", "AUTHORS", "ARTICLES")
        }
    )
    content.SITES = [*content.SITES, HARBOUR]
    content.ARTICLES = [
        *content.ARTICLES,
        {
            **content.ARTICLES[0],
            "site": "harbour",
            "headline": "Harbour pilots agree new night shifts",
        },
    ]
    return load_demo_network(
        port=80, content=content, draw_photo=test_network.small_photo
    )


def test_the_network_mix_takes_each_other_site_in_turn(three_sites, now):
    world = SectionPage.objects.get(url_path="/ledger/world/")
    publish_article(world, "Ledger's sixth story", slug="ledger-sixth")
    ledger_articles = ArticlePage.objects.filter(url_path__startswith="/ledger/")
    courier_articles = ArticlePage.objects.filter(url_path__startswith="/courier/")
    harbour_article = ArticlePage.objects.get(url_path__startswith="/harbour/")
    assert (len(ledger_articles), len(courier_articles)) == (6, 2)
    for rank, page in enumerate(ledger_articles.order_by("pk")):
        record_reads(page, 100 - rank, at=now)
    for rank, page in enumerate(courier_articles.order_by("pk")):
        record_reads(page, 50 - rank, at=now)
    record_reads(harbour_article, 500, at=now)
    scoring.recompute(now)
    sites = [Site.objects.get(hostname=f"{key}.localhost") for key in NETWORK]
    site_of = {entry.pk: entry.site.hostname for entry in TrendingEntry.objects.all()}

    mixed = selectors.network_mix(sites[-1], sites)

    assert [site_of[entry.pk] for entry in mixed] == [
        "ledger.localhost",
        "courier.localhost",
        "ledger.localhost",
        "courier.localhost",
        "ledger.localhost",
        "ledger.localhost",
    ]
    assert [entry.rank for entry in mixed] == [1, 1, 2, 2, 3, 4]
    page = Client(HTTP_HOST="harbour.localhost").get(
        harbour_article.url_path[len("/harbour") :]
    )
    shown = mix(box(page.content.decode(), "trending-elsewhere"))
    assert [name for name, _url, _title in shown] == [
        "The Tokyo Ledger",
        "Kansai Evening Courier",
    ] * 2 + ["The Tokyo Ledger"] * 2
    assert [title for _name, _url, title in shown] == [e.title for e in mixed]
    assert harbour_article.title not in [title for _name, _url, title in shown]


@pytest.mark.parametrize("path", ["/", "/world/", "article"])
def test_the_widgets_cost_no_query_once_cached(ledger, article, now, path):
    marenne = article("Marenne")
    url = marenne.url_path[len("/ledger") :] if path == "article" else path

    def warm_queries():
        clear_cache()
        ledger.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert ledger.get(url).status_code == 200
        return [query["sql"] for query in queries.captured_queries]

    scoring.recompute(now)
    without_entries = warm_queries()
    for page in ArticlePage.objects.all():
        record_reads(page, 10, at=now)
    assert scoring.recompute(now) > 0
    with_entries = warm_queries()

    assert len(with_entries) == len(without_entries)
    assert not [sql for sql in with_entries if "trending_" in sql]


def test_the_scheduler_job_flushes_reads_and_recomputes_on_its_interval(
    ledger, article, memory_buffer, settings
):
    settings.NEWSROOM_TRENDING_INTERVAL = 300
    marenne = article("Marenne")
    ledger.post(f"/trending/read/{marenne.pk}/", HTTP_USER_AGENT=CHROME)  # its beacon
    start = timezone.now()

    assert jobs.run(start) == "trending: 1 reads flushed, 2 list entries recomputed"
    assert listed(LEDGER, MOST_READ) == [marenne.title]

    assert jobs.run(start + timedelta(seconds=10)) == ""  # nothing to do yet
    later = start + timedelta(seconds=300)
    assert jobs.run(later) == "trending: 2 list entries recomputed"


def test_run_scheduler_once_prints_the_trending_line(ledger, article, memory_buffer):
    marenne = article("Marenne")
    ledger.post(f"/trending/read/{marenne.pk}/", HTTP_USER_AGENT=CHROME)  # its beacon
    out = io.StringIO()

    call_command("run_scheduler", "--once", stdout=out)

    assert "trending: 1 reads flushed, 2 list entries recomputed" in (
        out.getvalue().splitlines()
    )
    assert listed(LEDGER, TRENDING) == [marenne.title]


def test_placement_until_is_checked_against_the_given_time(article):
    placement = Placement(
        page=article("Marenne"),
        action=Placement.Action.PIN,
        until=datetime.datetime(2026, 11, 24, 12, tzinfo=datetime.UTC),
    )

    assert placement.active(datetime.datetime(2026, 11, 24, 11, tzinfo=datetime.UTC))
    assert not placement.active(
        datetime.datetime(2026, 11, 24, 12, tzinfo=datetime.UTC)
    )
