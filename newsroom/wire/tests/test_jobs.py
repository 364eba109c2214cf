"""Wire feeds polled through the scheduler's job, against the stand-in agency."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from newsroom.news.models import ArticlePage, NewsImage
from newsroom.scheduler import jobs as scheduler
from newsroom.wire.models import WireFeed, WireImage, WireItem

from .conftest import NOW

LATER = NOW + timedelta(minutes=5)
FERRY = "urn:meridian:2026:lantern-ferry"


def wire_job(now):
    """One pass of the wire job, as `run_scheduler` runs it."""
    job = next(job for job in scheduler.registered() if job.name == "wire")
    return job.run(now)


def article_of(feed, identifier) -> ArticlePage:
    return WireItem.objects.get(feed=feed, identifier=identifier).page.specific


def shown(ledger, page) -> str:
    response = ledger.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_rss_item_becomes_a_credited_article_with_its_photo(
    agency, make_feed, ledger
):
    agency.serve_sample("/rss", "rss.xml")
    feed = make_feed("/rss", "rss")

    line = wire_job(NOW)

    assert "2 new" in line
    page = article_of(feed, FERRY)
    assert page.live and page.get_parent().slug == "world"
    assert page.title == "Lantern Bay ferry resumes night crossings after storm repairs"
    assert page.standfirst.startswith("The Lantern Bay ferry will sail after dark")
    assert page.first_published_at == datetime(2026, 3, 4, 5, 10, tzinfo=UTC)
    assert page.wire_agency.name == "Meridian Wire"
    assert [a.author.name for a in page.article_authors.all()] == ["Oskar Lindqvist"]
    assert sorted(page.tags.names()) == ["Lantern Bay", "Transport"]
    photo = page.lead_image
    assert (photo.agency, photo.photographer) == ("Meridian Wire", "Nadia Ferro")
    assert photo.caption.startswith("FILE PHOTO: The ferry Saint Ione leaves")
    orchard = article_of(feed, "urn:meridian:2026:orchard-vote")
    assert [a.author.name for a in orchard.article_authors.all()] == ["Petra Holm"]
    assert orchard.lead_image is None
    html = shown(ledger, page)
    assert "Image: Meridian Wire/Nadia Ferro" in html
    assert "© Meridian Wire Ltd 2026." in html
    assert "By Oskar Lindqvist" in html or "Oskar Lindqvist" in html
    assert '<a href="http://wire.example/board">Ilse Varga</a>' in html
    feed.refresh_from_db()
    assert (feed.items_taken_count, feed.last_error, feed.failure_count) == (2, "", 0)
    assert feed.next_attempt_at == NOW + timedelta(minutes=5)


def test_script_in_the_body_or_caption_comes_out_inert(agency, make_feed, ledger):
    agency.serve_sample("/rss", "rss.xml")
    feed = make_feed("/rss", "rss")
    wire_job(NOW)
    page = article_of(feed, FERRY)

    stored = str(page.body.raw_data) + page.lead_image.caption
    html = shown(ledger, page)

    for hostile in ("<script", "onclick", "onerror", "javascript:", "document.cookie"):
        assert hostile not in stored
    for hostile in ("alert(", "onclick", "onerror", "javascript:", "document.cookie"):
        assert hostile not in html
    assert "Crossings take forty minutes." in html


def test_an_atom_entry_becomes_an_article_with_both_authors(agency, make_feed):
    agency.serve_sample("/atom", "atom.xml")
    feed = make_feed("/atom", "atom")

    wire_job(NOW)

    page = article_of(feed, "urn:meridian:2026:glass-comet")
    names = [a.author.name for a in page.article_authors.order_by("sort_order")]
    assert names == ["Yara Quist", "Bo Marden"]
    assert sorted(page.tags.names()) == ["Science", "astronomy"]
    assert page.first_published_at == datetime(2026, 3, 4, 3, 0, tzinfo=UTC)
    assert page.lead_image.caption == "The comet above Mount Ardent, March 3, 2026."
    assert len(page.body) == 2


@pytest.mark.parametrize(
    ("sample", "identifier", "byline", "photographer", "published"),
    [
        (
            "ninjs.json",
            "urn:meridian:2026:salt-road",
            ["Aurel Penn", "Ines Casto"],
            "Mira Szabo",
            datetime(2026, 3, 4, 5, 30, tzinfo=UTC),
        ),
        (
            "ninjs1.json",
            "urn:meridian:2026:bell-foundry",
            ["Tilde Arkwright"],
            "Sam Eriksen",
            datetime(2026, 3, 3, 22, 15, tzinfo=UTC),
        ),
    ],
    ids=["ninjs-2", "ninjs-1"],
)
def test_a_ninjs_item_becomes_an_article(
    agency, make_feed, sample, identifier, byline, photographer, published
):
    agency.serve_sample("/ninjs", sample)
    feed = make_feed("/ninjs", "ninjs")

    wire_job(NOW)

    page = article_of(feed, identifier)
    names = [a.author.name for a in page.article_authors.order_by("sort_order")]
    assert names == byline
    assert page.first_published_at == published
    assert page.lead_image.photographer == photographer
    assert page.lead_image.credit == f"Meridian Wire/{photographer}"
    assert page.tags.count() >= 1


def test_a_second_poll_is_answered_304_and_changes_nothing(agency, make_feed):
    agency.serve_sample("/rss", "rss.xml")
    feed = make_feed("/rss", "rss")
    wire_job(NOW)
    revisions = ArticlePage.objects.filter(wire_agency=feed.agency)
    before = (revisions.count(), WireItem.objects.count(), NewsImage.objects.count())

    assert wire_job(NOW + timedelta(minutes=1)) == ""  # not due yet: no request
    assert agency.hits["/rss"] == 1
    line = wire_job(LATER)

    assert "not modified" in line
    assert agency.hits["/rss"] == 2
    after = (revisions.count(), WireItem.objects.count(), NewsImage.objects.count())
    assert after == before
    feed.refresh_from_db()
    assert feed.etag and feed.last_result == "not modified"


def test_the_same_items_again_make_no_duplicate_and_photos_are_fetched_once(
    agency, make_feed
):
    agency.serve_sample("/rss", "rss.xml")
    feed = make_feed("/rss", "rss")
    wire_job(NOW)
    feed.refresh_from_db()
    WireFeed.objects.filter(pk=feed.pk).update(etag="", last_modified="")  # a restart

    # A second feed carries the same photo: downloaded once all the same.
    other = make_feed("/rss", "rss", name="Meridian again", section="national")
    wire_job(LATER)

    assert ArticlePage.objects.filter(title__startswith="Lantern Bay").count() == 2
    assert WireItem.objects.filter(feed=feed).count() == 2
    assert WireItem.objects.filter(feed=other).count() == 2
    assert agency.hits["/photos/ferry.jpg"] == 1
    assert WireImage.objects.count() == 1
    assert article_of(other, FERRY).lead_image == article_of(feed, FERRY).lead_image


def test_an_updated_item_is_a_new_revision_republished_with_its_updated_time(
    agency, make_feed, ledger
):
    agency.serve_sample("/atom", "atom.xml")
    feed = make_feed("/atom", "atom")
    wire_job(NOW)
    page = article_of(feed, "urn:meridian:2026:glass-comet")
    assert page.revisions.count() == 1 and page.updated_at is None

    agency.serve_sample(
        "/atom",
        "atom.xml",
        replace=[
            ("<updated>2026-03-04T03:00:00Z", "<updated>2026-03-04T05:55:00Z"),
            ("brightest on March 12", "brightest on March 14, not March 12"),
        ],
    )
    assert "1 updated" in wire_job(LATER)

    page = ArticlePage.objects.get(pk=page.pk)
    assert page.revisions.count() == 2 and page.live
    assert page.updated_at == datetime(2026, 3, 4, 5, 55, tzinfo=UTC)
    assert page.first_published_at == datetime(2026, 3, 4, 3, 0, tzinfo=UTC)
    assert "March 14, not March 12" in shown(ledger, page)
    # An older version arriving late changes nothing.
    agency.serve_sample("/atom", "atom.xml")
    wire_job(LATER + timedelta(minutes=5))
    assert ArticlePage.objects.get(pk=page.pk).revisions.count() == 2


def test_an_rss_item_whose_content_changed_is_revised(agency, make_feed):
    agency.serve_sample("/rss", "rss.xml")
    feed = make_feed("/rss", "rss", mode=WireFeed.Mode.DRAFT)
    wire_job(NOW)
    page = article_of(feed, FERRY)
    assert not page.live and page.revisions.count() == 1

    agency.serve_sample(
        "/rss", "rss.xml", replace=[("forty minutes", "forty-five minutes")]
    )
    wire_job(LATER)

    page = ArticlePage.objects.get(pk=page.pk)
    assert not page.live  # a draft stays a draft for the editors
    assert page.revisions.count() == 2
    latest = page.get_latest_revision_as_object()
    assert "forty-five minutes" in str(latest.body.raw_data)
    assert latest.updated_at == LATER


@pytest.mark.parametrize(
    ("path", "sample", "kill", "identifier"),
    [
        (
            "/rss",
            "rss.xml",
            ("<category>Transport</category>", "<category>KILL</category>"),
            FERRY,
        ),
        (
            "/atom",
            "atom.xml",
            (
                "</feed>",
                '<at:deleted-entry ref="urn:meridian:2026:glass-comet" '
                'when="2026-03-04T05:50:00Z"/></feed>',
            ),
            "urn:meridian:2026:glass-comet",
        ),
        (
            "/ninjs",
            "ninjs.json",
            ('"pubstatus": "usable"', '"pubstatus": "canceled"'),
            "urn:meridian:2026:salt-road",
        ),
    ],
    ids=["rss-category", "atom-tombstone", "ninjs-canceled"],
)
def test_a_kill_unpublishes_the_article_and_tells_the_editors(
    agency,
    make_feed,
    django_capture_on_commit_callbacks,
    path,
    sample,
    kill,
    identifier,
):
    agency.serve_sample(path, sample)
    feed = make_feed(path, path.strip("/"))
    wire_job(NOW)
    page = article_of(feed, identifier)
    assert page.live

    text = agency.serve_sample(path, sample, replace=[kill])
    if path == "/atom":  # a tombstone replaces the entry
        start, end = text.index("<entry>"), text.index("</entry>") + len("</entry>")
        agency.serve(path, text[:start] + text[end:])
    with django_capture_on_commit_callbacks(execute=True):
        assert "1 killed" in wire_job(LATER)

    page.refresh_from_db()
    assert not page.live
    assert WireItem.objects.get(feed=feed, identifier=identifier).is_killed
    [message] = mail.outbox
    assert "editor@newsroom.invalid" in message.to
    assert message.subject == f"Withdrawn by Meridian Wire: {page.title}"
    assert f"/cms/pages/{page.pk}/edit/" in message.body
    # The story does not come back, even when the agency serves it again.
    again = [('"version": "1"', '"version": "4"')] if path == "/ninjs" else []
    agency.serve_sample(path, sample, replace=again)
    wire_job(LATER + timedelta(minutes=5))
    page.refresh_from_db()
    assert not page.live


def test_a_draft_feed_files_drafts_and_a_publishing_feed_publishes(agency, make_feed):
    agency.serve_sample("/ninjs", "ninjs1.json")
    agency.serve_sample("/rss", "rss.xml")
    drafts = make_feed("/ninjs", "ninjs", mode=WireFeed.Mode.DRAFT)
    live = make_feed("/rss", "rss", mode=WireFeed.Mode.PUBLISH)

    wire_job(NOW)

    draft = article_of(drafts, "urn:meridian:2026:bell-foundry")
    assert not draft.live and draft.has_unpublished_changes
    assert draft.first_published_at == datetime(2026, 3, 3, 22, 15, tzinfo=UTC)
    assert article_of(live, FERRY).live


def test_a_failing_feed_backs_off_and_the_others_still_run(agency, make_feed, settings):
    settings.NEWSROOM_WIRE_TIMEOUT = 0.2
    agency.fail("/broken")
    agency.serve_sample("/rss", "rss.xml")
    broken = make_feed("/broken", "rss", name="Broken")
    hanging = make_feed("/hang", "atom", name="Hanging")
    working = make_feed("/rss", "rss", name="Working")

    wire_job(NOW)

    broken.refresh_from_db()
    hanging.refresh_from_db()
    assert "HTTP 500" in broken.last_error and broken.failure_count == 1
    assert "did not answer within 0.2 s" in hanging.last_error
    assert broken.next_attempt_at == NOW + timedelta(minutes=1)
    assert WireItem.objects.filter(feed=working).count() == 2
    agency.release.set()

    wire_job(NOW + timedelta(minutes=1))
    wire_job(NOW + timedelta(minutes=2))  # not due: backed off 2 minutes
    broken.refresh_from_db()
    assert broken.failure_count == 2
    assert broken.next_attempt_at == NOW + timedelta(minutes=3)

    agency.serve_sample("/broken", "atom.xml")
    WireFeed.objects.filter(pk=broken.pk).update(format="atom")
    wire_job(NOW + timedelta(minutes=3))
    broken.refresh_from_db()
    assert (broken.failure_count, broken.last_error) == (0, "")
    assert broken.items_taken_count == 1


@pytest.mark.parametrize(
    ("sample", "format", "message"),
    [
        ("malformed.xml", "rss", "not well-formed XML"),
        ("billion_laughs.xml", "rss", "declares a DTD or entities"),
        ("external_entity.xml", "rss", "declares a DTD or entities"),
        ("missing_id.xml", "rss", "Entry 2 has no identifier"),
        ("wrong_types.json", "ninjs", "Item 2: 'headline' should be text"),
        ("rss.xml", "ninjs", "not valid JSON"),
        ("ninjs.json", "atom", "not well-formed XML"),
        ("atom.xml", "rss", "not an RSS 2.0 feed"),
    ],
)
def test_a_hostile_or_malformed_feed_records_a_clear_error_and_writes_nothing(
    agency, make_feed, sample, format, message
):
    agency.serve_sample("/bad", sample)
    feed = make_feed("/bad", format)
    pages = ArticlePage.objects.count()

    wire_job(NOW)

    feed.refresh_from_db()
    assert message in feed.last_error
    assert (feed.etag, feed.failure_count) == ("", 1)
    assert ArticlePage.objects.count() == pages
    assert not WireItem.objects.exists() and not WireImage.objects.exists()


def test_a_feed_larger_than_the_limit_is_refused(agency, make_feed, settings):
    settings.NEWSROOM_WIRE_MAX_BYTES = 4096
    huge = "<p>" + "Meridian filler text. " * 400 + "</p>"
    agency.serve_sample(
        "/huge", "rss.xml", replace=[("Crossings take forty minutes.", huge)]
    )
    feed = make_feed("/huge", "rss")

    wire_job(NOW)

    feed.refresh_from_db()
    assert "larger than 4 KB; refused" in feed.last_error
    assert not WireItem.objects.exists()


def test_only_http_addresses_are_fetched(make_feed):
    feed = make_feed("/rss", "rss")
    WireFeed.objects.filter(pk=feed.pk).update(url="file:///etc/passwd")

    wire_job(NOW)

    feed.refresh_from_db()
    assert "Only http and https addresses are fetched" in feed.last_error


def test_a_feed_on_a_private_address_is_refused_unless_allowed(
    agency, make_feed, settings
):
    settings.NEWSROOM_WIRE_ALLOW_PRIVATE = False
    agency.serve_sample("/rss", "rss.xml")
    feed = make_feed("/rss", "rss")

    wire_job(NOW)

    feed.refresh_from_db()
    assert "is at 127.0.0.1, an address on a private or local network" in (
        feed.last_error
    )
    assert agency.hits == {} and not WireItem.objects.exists()


def test_run_scheduler_once_polls_the_feeds(agency, make_feed):
    agency.serve_sample("/rss", "rss.xml")
    feed = make_feed("/rss", "rss")

    call_command("run_scheduler", "--once")

    assert WireItem.objects.filter(feed=feed).count() == 2


def test_a_photo_address_relative_to_the_feed_is_fetched_beside_it(agency, make_feed):
    agency.serve_sample(
        "/feeds/rss",
        "rss.xml",
        replace=[("{server}/photos/ferry.jpg", "../photos/ferry.jpg")],
    )
    feed = make_feed("/feeds/rss", "rss")

    wire_job(NOW)

    photo = article_of(feed, FERRY).lead_image
    assert photo is not None and photo.photographer == "Nadia Ferro"
    assert agency.hits["/photos/ferry.jpg"] == 1
