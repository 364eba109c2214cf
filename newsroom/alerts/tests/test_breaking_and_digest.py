"""Breaking alerts as an editor's publish sends them, and the daily digest as the
scheduler's hourly pass sends it, as they arrive at a real mail server."""

import datetime
import re
import zoneinfo
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import LEDGER

from .. import emails, sending
from ..models import Alert, Delivery, Subscriber
from .conftest import client_for, html_of, list_unsubscribe, section
from .factories import publish_breaking, republish, subscribed


def test_a_breaking_article_reaches_each_confirmed_breaking_subscriber_once(
    smtp, sites, django_capture_on_commit_callbacks
):
    ledger, courier = sites["ledger"], sites["courier"]
    subscribed("ines@example.org", ledger)
    subscribed("noor@example.org", ledger, digest=True)
    subscribed("digest.only@example.org", ledger, breaking=False, digest=True)
    subscribed("pending@example.org", ledger, confirmed=False)
    paused = subscribed("paused@example.org", ledger).subscriber
    Subscriber.objects.filter(pk=paused.pk).update(paused_at=timezone.now())
    subscribed("courier.reader@example.org", courier)

    with django_capture_on_commit_callbacks(execute=True):
        article = publish_breaking(
            section(ledger, "world"), "Reef standoff ends in handshake", slug="reef"
        )

    assert sorted(m["To"] for m in smtp.messages) == [
        "ines@example.org",
        "noor@example.org",
    ]
    message = smtp.to("ines@example.org")[0]
    assert "Reef standoff ends in handshake" in message["Subject"]
    assert "The Tokyo Ledger" in str(message["From"])
    text, html = smtp.text(message), html_of(message)
    url = article.full_url
    for part in (text, html):
        assert "Reef standoff ends in handshake" in part
        assert "What to know about reef standoff ends in handshake." in part
        assert url in part
    browser, path = client_for(url)
    assert browser.get(path).status_code == 200

    [photo] = re.findall(r'<img src="([^"]+)"', html)
    assert photo.startswith(f"http://{LEDGER}/media/")
    fetched = browser.get(urlparse(photo).path)
    assert fetched.status_code == 200
    assert b"".join(fetched.streaming_content)[:3] == b"\xff\xd8\xff"  # a JPEG

    web, mailto = list_unsubscribe(message)
    assert web.startswith(f"http://{LEDGER}/alerts/unsubscribe/")
    assert mailto.startswith("mailto:unsubscribe@")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    ids = {m["Message-ID"] for m in smtp.messages}
    assert len(ids) == 2 and all(re.fullmatch(r"<.+@.+>", i) for i in ids)

    alert = Alert.objects.get()
    assert (alert.kind, alert.site, alert.recipients) == ("breaking", ledger, 2)
    assert alert.finished_at is not None
    assert set(alert.deliveries.values_list("status", flat=True)) == {"sent"}

    # Republished (a correction): nothing more is sent.
    with django_capture_on_commit_callbacks(execute=True):
        republish(article)
    assert Alert.objects.count() == 1
    assert len(smtp.messages) == 2


def test_an_article_without_the_box_ticked_sends_nothing(
    smtp, sites, django_capture_on_commit_callbacks
):
    subscribed("ines@example.org", sites["ledger"])

    with django_capture_on_commit_callbacks(execute=True):
        publish_breaking(
            section(sites["ledger"], "world"), "Quiet day", slug="quiet", breaking=False
        )

    assert not Alert.objects.exists() and smtp.messages == []


def test_a_courier_article_reaches_courier_subscribers_only(
    smtp, sites, django_capture_on_commit_callbacks
):
    subscribed("ines@example.org", sites["ledger"])
    subscribed("noor@example.org", sites["courier"])

    with django_capture_on_commit_callbacks(execute=True):
        publish_breaking(
            section(sites["courier"], "business"), "Port strike called", slug="strike"
        )

    [message] = smtp.messages
    assert message["To"] == "noor@example.org"
    assert "Kansai Evening Courier" in str(message["From"])
    web, _mailto = list_unsubscribe(message)
    assert web.startswith("http://courier.localhost/alerts/unsubscribe/")


# The daily digest -----------------------------------------------------------------


def next_local(hour: int, zone: str) -> datetime.datetime:
    """The next time after now that is `hour`:00 in `zone`, in UTC. Its digest
    window (the 24 hours before it) holds the present moment."""
    local = timezone.now().astimezone(zoneinfo.ZoneInfo(zone))
    moment = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if moment <= local:
        moment += datetime.timedelta(days=1)
    return moment.astimezone(datetime.UTC)


@pytest.fixture
def fresh_stories(sites):
    """A new World and a new National story on the Ledger, and one on the Courier."""
    ledger = sites["ledger"]
    return {
        "world": publish_breaking(
            section(ledger, "world"),
            "Fishing fleet returns",
            slug="fleet",
            breaking=False,
        ),
        "national": publish_breaking(
            section(ledger, "national"), "Budget passes", slug="budget", breaking=False
        ),
        "courier": publish_breaking(
            section(sites["courier"], "world"),
            "Ferry resumes",
            slug="ferry",
            breaking=False,
        ),
    }


def run_digests(now, capture):
    with capture(execute=True):
        return sending.schedule_digests(now)


def test_the_digest_arrives_at_the_readers_hour_in_their_time_zone(
    smtp, sites, fresh_stories, django_capture_on_commit_callbacks
):
    ledger = sites["ledger"]
    world = section(ledger, "world")
    subscribed(
        "tokyo@example.org",
        ledger,
        breaking=False,
        digest=True,
        digest_hour=7,
        time_zone="Asia/Tokyo",
        sections=[world],
    )
    subscribed(
        "london@example.org",
        ledger,
        breaking=False,
        digest=True,
        digest_hour=7,
        time_zone="Europe/London",
    )
    tokyo_seven = next_local(7, "Asia/Tokyo")
    assert tokyo_seven.hour == 22  # 07:00 in Tokyo is 22:00 UTC
    capture = django_capture_on_commit_callbacks

    for hour in (-2, -1, 1):
        run_digests(tokyo_seven + datetime.timedelta(hours=hour, minutes=5), capture)
    assert smtp.to("tokyo@example.org") == []

    run_digests(tokyo_seven + datetime.timedelta(minutes=5), capture)
    run_digests(tokyo_seven + datetime.timedelta(minutes=40), capture)  # once an hour

    [digest] = smtp.to("tokyo@example.org")
    assert "The Tokyo Ledger daily digest" in digest["Subject"]
    text, html = smtp.text(digest), html_of(digest)
    for part in (text, html):
        assert "Fishing fleet returns" in part
        assert fresh_stories["world"].full_url in part
        assert "Budget passes" not in part  # not a chosen section
        assert "Ferry resumes" not in part  # the other site
        assert "Island states agree to resume fisheries talks" not in part  # 100 h old
    web, _mailto = list_unsubscribe(digest)
    assert "/alerts/unsubscribe/" in web
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Alert.objects.filter(kind="digest", slot=tokyo_seven).count() == 1

    # London's 07:00 comes at its own UTC hour; every section is in its digest.
    assert smtp.to("london@example.org") == []
    run_digests(next_local(7, "Europe/London") + datetime.timedelta(minutes=1), capture)
    [london] = smtp.to("london@example.org")
    assert "Fishing fleet returns" in smtp.text(london)
    assert "Budget passes" in smtp.text(london)
    assert len(smtp.to("tokyo@example.org")) == 1


def test_a_digest_with_no_new_stories_is_not_sent(
    smtp, sites, django_capture_on_commit_callbacks
):
    ledger = sites["ledger"]
    subscription = subscribed(
        "sports.fan@example.org",
        ledger,
        breaking=False,
        digest=True,
        digest_hour=7,
        time_zone="Asia/Tokyo",
        sections=[section(ledger, "sports")],  # its one story is 60 hours old
    )
    slot = next_local(7, "Asia/Tokyo")

    run_digests(slot, django_capture_on_commit_callbacks)

    assert smtp.messages == []
    [delivery] = Delivery.objects.filter(subscription=subscription)
    assert delivery.status == Delivery.Status.SKIPPED


def test_an_unconfirmed_or_breaking_only_subscriber_gets_no_digest(
    smtp, sites, fresh_stories, django_capture_on_commit_callbacks
):
    ledger = sites["ledger"]
    subscribed("pending@example.org", ledger, confirmed=False, digest=True)
    subscribed("breaking.only@example.org", ledger)
    slot = next_local(7, "Asia/Tokyo")

    assert run_digests(slot, django_capture_on_commit_callbacks) == []
    assert smtp.messages == []


# Query count ----------------------------------------------------------------------


def an_alert(article, site) -> Alert:
    return Alert.objects.create(
        site=site, kind=Alert.Kind.BREAKING, article=article, subject=article.title
    )


def test_sending_costs_a_fixed_number_of_queries_per_message(
    smtp, sites, settings, django_assert_max_num_queries
):
    settings.NEWSROOM_ALERTS_BATCH = 100
    ledger = sites["ledger"]
    world = section(ledger, "world")
    first, second = (
        publish_breaking(world, f"Story {n}", slug=f"story-{n}", breaking=False)
        for n in (1, 2)
    )
    for article in (first, second):
        emails.article_card(article, ledger)  # the photo's rendition, made once
    for n in range(10):
        subscribed(f"reader{n}@example.org", ledger)
    alert = an_alert(first, ledger)
    with CaptureQueriesContext(connection) as queries:
        assert sending.send_alert(alert.pk)["sent"] == 10
    with_10 = len(queries)
    for n in range(10, 30):
        subscribed(f"reader{n}@example.org", ledger)
    alert = an_alert(second, ledger)

    # Claimed in one batch; then one UPDATE per message sent.
    with django_assert_max_num_queries(with_10 + 20 * 1):
        assert sending.send_alert(alert.pk)["sent"] == 30

    assert len(smtp.messages) == 40
    assert len({m["To"] for m in smtp.messages[10:]}) == 30
    assert all("Story 2" in m["Subject"] for m in smtp.messages[10:])
