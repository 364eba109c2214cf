"""Steps of the demo loader that the small network skips, run on the baseline."""

import datetime
import json
from pathlib import Path
from types import SimpleNamespace

from django.contrib.staticfiles import finders

from newsroom.api.models import EmbedSettings
from newsroom.comments.models import Comment
from newsroom.demo import content as demo
from newsroom.demo import embeds
from newsroom.demo.loader import load_demo_network
from newsroom.demo.server import print_stored
from newsroom.news.tests import factories
from newsroom.news.tests import network as small
from newsroom.trending.models import ReadCount
from newsroom.trending.reads import hour_of
from newsroom.wire.models import WireFeed
from newsroom.wire.parsing import parse


def test_the_demos_own_content_lets_the_partner_page_embed_the_ledger(network):
    ledger = network.sites["ledger"]
    assert EmbedSettings.for_site(ledger).origins == []  # the small network: none

    demo_like = SimpleNamespace(**vars(small), EMBED_PARTNER=True)
    loaded = load_demo_network(
        port=8123, content=demo_like, draw_photo=small.small_photo
    )
    again = load_demo_network(
        port=8123, content=demo_like, draw_photo=small.small_photo
    )

    assert EmbedSettings.for_site(ledger).origins == embeds.partner_origins(8123)
    assert loaded.created["partner origins"] == len(embeds.PARTNER_HOSTS)
    assert again.created["partner origins"] == 0


def test_the_stored_reads_report_sums_each_articles_hours(network, capsys):
    article = network.articles[0]
    published = hour_of(article.first_published_at)
    for hours_after, count in ((1, 5), (2, 7)):  # rows as the scheduler's flush writes
        ReadCount.objects.create(
            page=article,
            hour=published + datetime.timedelta(hours=hours_after),
            count=count,
        )

    print_stored()

    stored = json.loads(capsys.readouterr().out)
    assert stored["reads"] == {article.url_path: 12}
    assert stored["comments_before_story"] == 0


def test_the_demo_imports_an_old_discussion_and_polls_a_sample_feed(network):
    railway = factories.article(
        "Saitama's Osone Light Railway to close after 94 years",
        slug="saitamas-osone-light-railway-to-close-after-94-years",
        section_slug="national",
    )
    demo_like = SimpleNamespace(
        **vars(small),
        IMPORTED_DISCUSSION=demo.IMPORTED_DISCUSSION,
        WIRE_FEED=demo.WIRE_FEED,
    )
    loaded = load_demo_network(
        port=8123, content=demo_like, draw_photo=small.small_photo
    )
    again = load_demo_network(
        port=8124, content=demo_like, draw_photo=small.small_photo
    )

    # JJE's old comment is JJE's; the deleted one that was answered keeps its place.
    thread = Comment.objects.filter(thread__page=railway).order_by("created_at")
    assert [
        (c.author.get_username() if c.author else None, c.status) for c in thread
    ] == [
        ("Yumi from Kitamine", "published"),
        ("JJE", "published"),
        ("Kenta H", "deleted"),
        ("Rail fan", "published"),
        ("Yumi from Kitamine", "published"),
    ]
    assert "quote" in thread[1].segments[0]
    # Moved to the story's own day, 72 minutes after it went out, as on the old site.
    after = thread[0].created_at - railway.first_published_at.replace(microsecond=0)
    assert after == datetime.timedelta(minutes=72)
    assert (
        loaded.created["imported comments"],
        again.created["imported comments"],
    ) == (
        5,
        0,
    )
    # One feed, following the port the demo is served on, its file and photos among
    # the static files.
    feed = WireFeed.objects.get()
    assert feed.url == "http://127.0.0.1:8124/static/demo/wire/northline.xml"
    entries = parse(
        feed.format, Path(finders.find("demo/wire/northline.xml")).read_bytes()
    )
    assert [e.headline for e in entries][0].startswith("Port Allard adds two electric")
    assert all(finders.find(f"demo/wire/{e.photo.url}") for e in entries)
