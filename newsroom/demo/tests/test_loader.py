"""Steps of the demo loader that the small network skips, run on the baseline."""

import datetime
import json
from types import SimpleNamespace

from newsroom.api.models import EmbedSettings
from newsroom.demo import embeds
from newsroom.demo.loader import load_demo_network
from newsroom.demo.server import print_stored
from newsroom.news.tests import network as small
from newsroom.trending.models import ReadCount
from newsroom.trending.reads import hour_of


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
