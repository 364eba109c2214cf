"""Editors set up feeds in the admin and watch them on the dashboard."""

from datetime import timedelta

from django.utils import timezone

from newsroom.news.tests.admin_forms import sign_in
from newsroom.wire.models import WireFeed, WireItem

ADD_URL = "/cms/snippets/wire/wirefeed/add/"


def feed_form(network, meridian, **overrides):
    return {
        "name": "Meridian top stories",
        "url": "https://wire.example/top.rss",
        "format": "rss",
        "agency": str(meridian.pk),
        "site": str(network.sites["ledger"].pk),
        "section": str(network.sections[("ledger", "world")].pk),
        "mode": "draft",
        "poll_interval_minutes": "10",
        "is_enabled": "on",
        **overrides,
    }


def test_an_editor_adds_a_feed_and_bad_input_is_refused(ledger, network, meridian):
    sign_in(ledger, "editor")

    refused = [
        {"url": "ftp://wire.example/top.rss"},
        {"poll_interval_minutes": "0"},
        {"section": str(network.sections[("courier", "world")].pk)},
    ]
    for overrides in refused:
        response = ledger.post(ADD_URL, feed_form(network, meridian, **overrides))
        assert response.status_code == 200, overrides  # the form again, with errors
        assert not WireFeed.objects.exists()
    assert "Choose a section of" in response.content.decode()

    response = ledger.post(ADD_URL, feed_form(network, meridian))

    assert response.status_code == 302
    feed = WireFeed.objects.get()
    assert (feed.format, feed.mode, feed.poll_interval_minutes) == ("rss", "draft", 10)
    assert feed.next_attempt_at is None  # polled at the scheduler's next pass


def test_a_writer_cannot_set_up_feeds(ledger, network):
    sign_in(ledger, "writer")

    assert ledger.get(ADD_URL).status_code in (302, 403)
    assert "wire-feeds" not in ledger.get("/cms/").content.decode()


def test_the_dashboard_shows_each_feed_and_withdrawn_stories(
    ledger, network, meridian, make_feed
):
    now = timezone.now()
    healthy = make_feed("/rss", "rss", name="Meridian top stories")
    failing = make_feed("/atom", "atom", name="Meridian science")
    WireFeed.objects.filter(pk=healthy.pk).update(
        last_polled_at=now, last_result="2 new, 0 updated, 0 killed",
        items_taken_count=2, next_attempt_at=now + timedelta(minutes=5),
    )  # fmt: skip
    WireFeed.objects.filter(pk=failing.pk).update(
        last_polled_at=now, failure_count=3, last_error="http://x answered HTTP 500.",
        next_attempt_at=now + timedelta(minutes=4),
    )  # fmt: skip
    article = network.articles[0]
    WireItem.objects.create(
        feed=healthy, identifier="urn:k", content_hash="x", page=article,
        first_seen_at=now, changed_at=now, killed_at=now,
    )  # fmt: skip
    sign_in(ledger, "editor")

    html = ledger.get("/cms/").content.decode()

    assert "wire-feeds" in html
    assert "Meridian top stories" in html and "2 new, 0 updated" in html
    assert "answered HTTP 500" in html and "3 failures in a row" in html
    withdrawn = "Withdrawn by Meridian Wire:</strong> <a href="
    assert f'{withdrawn}"/cms/pages/{article.pk}/' in html
