"""Anonymous pages are shared documents; a signed-in reader's own parts come from
the overlay. Through Django's test client: the headers, cookies and purges the app
itself produces (the served cache and Varnish have tests of their own)."""

import datetime
import json
import time

import pytest
from django.test import Client
from django.utils import timezone

from conftest import LEDGER
from newsroom.accounts.tests.factories import create_reader
from newsroom.accounts.tests.helpers import sign_in
from newsroom.comments import posting, services, transitions
from newsroom.comments.models import Comment
from newsroom.comments.tests.factories import comment, vote
from newsroom.edge import stores

pytestmark = pytest.mark.django_db


def shared_headers_of(response) -> dict:
    return {
        name: response.headers.get(name)
        for name in ("Cache-Control", "ETag", "Last-Modified", "Vary", "xkey")
    }


def test_an_anonymous_article_page_is_the_same_document_for_everyone(article):
    reader = create_reader("Alder")
    comment(article, reader, "The ferry timetable looks right to me.")
    page = Client(HTTP_HOST=LEDGER).get(article.url_path.removeprefix("/ledger"))

    headers = shared_headers_of(page)
    assert page.status_code == 200
    assert headers["Cache-Control"] == (
        "public, max-age=0, s-maxage=5, stale-while-revalidate=60"
    )
    assert headers["Vary"] == "Accept-Encoding"  # no Cookie: it reads none
    assert headers["ETag"].startswith('"') and headers["Last-Modified"]
    assert set(headers["xkey"].split()) >= {
        f"article-{article.pk}",
        f"thread-{article.pk}",
        "network",
    }
    assert page.headers["X-Newsroom-Shared"] == "1"
    assert not page.cookies  # no csrftoken, no session
    html = page.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert "The ferry timetable looks right to me." in html


def test_a_conditional_request_for_an_unchanged_page_gets_304(article):
    browser = Client(HTTP_HOST=LEDGER)
    path = article.url_path.removeprefix("/ledger")
    first = browser.get(path)
    again = browser.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    other = browser.get(path, HTTP_IF_NONE_MATCH='"not-this-one"')
    assert other.status_code == 200


def test_front_section_feeds_sitemaps_and_404_are_shared_search_is_not(network):
    browser = Client(HTTP_HOST=LEDGER)
    for path, key in [
        ("/", "front-"),
        ("/feeds/rss/", "front-"),
        ("/sitemap.xml", "front-"),
        ("/robots.txt", "front-"),
        ("/no-such-page/", "front-"),
        ("/world/", "section-"),
    ]:
        response = browser.get(path)
        assert response.headers.get("X-Newsroom-Shared") == "1", path
        assert key in response.headers["xkey"], path
    search = browser.get("/search/", {"q": "ferry"})
    assert "X-Newsroom-Shared" not in search.headers
    assert search["Cache-Control"].startswith("private")


def test_a_signed_in_readers_page_is_private_and_marks_the_browser(article):
    create_reader("Birch")
    browser = Client(HTTP_HOST=LEDGER)
    sign_in(browser, "Birch")
    page = browser.get(article.url_path.removeprefix("/ledger"))
    assert "Birch" in page.content.decode()
    assert page["Cache-Control"] == "private, no-cache"
    assert "xkey" not in page.headers and "X-Newsroom-Shared" not in page.headers
    # A readable marker for the page's script: fetch the overlay.
    assert browser.cookies["nr_user"].value == "1"
    browser.post("/accounts/logout/")
    assert browser.cookies["nr_user"].value == ""  # deleted with the session


def forget_expired(client) -> None:
    """Drop the cookies the server deleted, as a browser does (the test client
    would send them back empty)."""
    for name in [name for name, morsel in client.cookies.items() if not morsel.value]:
        del client.cookies[name]


def test_a_page_showing_a_flash_message_is_not_shared(network):
    create_reader("Beech")
    browser = Client(HTTP_HOST=LEDGER)
    sign_in(browser, "Beech")
    browser.post("/accounts/logout/")  # "You have signed out." waits in a cookie
    assert browser.cookies["messages"].value

    page = browser.get("/")

    assert "You have signed out." in page.content.decode()
    forget_expired(browser)
    assert "X-Newsroom-Shared" not in page.headers
    assert page["Cache-Control"] == "private, no-cache"
    forget_expired(browser)
    shared = browser.get("/")  # the message was shown once; now the page is shared
    assert shared.headers.get("X-Newsroom-Shared") == "1"


def test_the_overlay_of_an_anonymous_reader_says_so_and_nothing_more(article):
    overlay = Client(HTTP_HOST=LEDGER).get(f"/me/overlay/?page={article.pk}")
    assert overlay.json() == {"signed_in": False}
    assert "no-store" in overlay["Cache-Control"]


def test_the_overlay_holds_a_readers_own_parts_of_the_page(article):
    author = create_reader("Cedar")
    other = create_reader("Dogwood")
    theirs = comment(article, other, "Another view on the seawall vote.")
    recent = comment(article, author, "Mine, written a minute ago.")
    old = comment(
        article,
        author,
        "Mine, written yesterday.",
        now=timezone.now() - datetime.timedelta(days=1),
    )
    vote(theirs, author, -1)
    browser = Client(HTTP_HOST=LEDGER)
    sign_in(browser, "Cedar")

    response = browser.get(f"/me/overlay/?page={article.pk}")

    assert response["Cache-Control"].startswith("max-age=0") or (
        "no-store" in response["Cache-Control"]
    )
    overlay = response.json()
    assert overlay["signed_in"] is True and overlay["csrf"]
    assert "Cedar" in overlay["nav"] and "Sign out" in overlay["nav"]
    part = overlay["comments"]
    assert part["votes"] == {str(theirs.pk): -1}
    # Edit only within the edit window, the service's own rule; Delete always.
    assert part["own"][str(recent.pk)]["edit"] == f"/comments/{recent.pk}/edit/"
    assert part["own"][str(old.pk)]["edit"] == ""
    assert part["own"][str(old.pk)]["delete"] == f"/comments/{old.pk}/delete/"
    assert not posting.can_edit(old, author)
    assert "comment-body" in part["bottom"]  # the comment box
    assert part["can_vote"] is True
    # Another reader's overlay holds none of it.
    someone = Client(HTTP_HOST=LEDGER)
    sign_in(someone, "Dogwood")
    theirs_overlay = someone.get(f"/me/overlay/?page={article.pk}").json()
    assert "Cedar" not in json.dumps(theirs_overlay)
    assert theirs_overlay["comments"]["own"].keys() == {str(theirs.pk)}


def kept_for(response) -> int:
    """How long the edge may keep this overlay (its X-Newsroom-Overlay header)."""
    return int(response["X-Newsroom-Overlay"].split()[0])


def test_the_overlay_is_kept_until_something_in_it_would_change_with_time(article):
    fir = create_reader("Fir")
    browser = Client(HTTP_HOST=LEDGER)
    sign_in(browser, "Fir")
    overlay = f"/me/overlay/?page={article.pk}"
    assert kept_for(browser.get(overlay)) == 300  # only purges change it

    # Their comment's Edit link goes when the edit window closes: no later.
    written = timezone.now() - datetime.timedelta(minutes=9)
    comment(article, fir, "Written nine minutes ago.", now=written)
    rules = services.settings_for(article)
    left = rules.edit_window_minutes * 60 - 9 * 60
    assert left > 0
    assert left - 5 <= kept_for(browser.get(overlay)) <= left + 1


def test_the_overlay_costs_a_few_queries_whatever_the_thread(
    article, django_assert_max_num_queries
):
    reader = create_reader("Elm")
    for number in range(12):
        vote(
            comment(article, create_reader(f"Writer{number}"), f"Point {number}."),
            reader,
        )
    browser = Client(HTTP_HOST=LEDGER)
    sign_in(browser, "Elm")
    with django_assert_max_num_queries(16):
        overlay = browser.get(f"/me/overlay/?page={article.pk}").json()
    assert len(overlay["comments"]["votes"]) == 12


def purged_lines(action) -> set:
    """The surrogate keys `action` purged from the page cache this suite runs with:
    the lines it appended to the purge log (memory mode), or the keys Redis marks
    as purged since it began (Redis mode)."""
    store = stores.get_store()
    log = getattr(store, "log_path", None)
    if log is None:
        return purged_in_redis(store, action)
    before = log.stat().st_size if log.exists() else 0
    action()
    with open(log, "rb") as read:
        read.seek(before)
        return set(read.read().decode().split())


def purged_in_redis(store, action) -> set:
    import redis

    client = redis.Redis.from_url(store.url)
    began = time.time()
    action()
    marker = store._purged_key("")
    found = set()
    for key in client.scan_iter(match=f"{marker}*", count=1000):
        when = client.get(key)
        if when is not None and float(when) >= began:
            found.add(key.decode().removeprefix(marker))
    return found


def test_publishing_an_article_purges_its_page_site_front_and_section(
    article, django_capture_on_commit_callbacks
):
    def edit():
        with django_capture_on_commit_callbacks(execute=True):
            article.title = "Seawall vote postponed to spring"
            article.save_revision().publish()

    purged = purged_lines(edit)
    site = article.get_site()
    assert {
        f"article-{article.pk}",
        f"front-{site.pk}",
        f"section-{article.get_parent().pk}",
    } <= purged


def test_a_moderators_removal_purges_the_thread_at_once(
    article, django_capture_on_commit_callbacks
):
    written = comment(article, create_reader("Fir"), "Something to take down.")

    def remove():
        with django_capture_on_commit_callbacks(execute=True):
            transitions.remove_comment(written, reason="Personal attack.")

    assert f"thread-{article.pk}" in purged_lines(remove)
    assert Comment.objects.get(pk=written.pk).status == Comment.Status.REMOVED
