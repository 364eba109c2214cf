"""Reading long threads: sorting, pages, load more, permalinks and page cost."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom.accounts.tests.factories import create_reader
from newsroom.accounts.tests.helpers import sign_in
from newsroom.news.tests.factories import publish_article
from newsroom.news.tests.helpers import visible_text

from .. import render, scoring
from ..models import Comment, CommentSettings, Thread, Vote
from ..templatetags.comment_tags import comment_time
from .helpers import an_article
from .test_hostile import HOSTILE
from .test_selectors import SIZE, offset_pages, tied_thread


def bulk_thread(article, count, *, author, start=None):
    """A thread of `count` comments a minute apart, made directly for speed."""
    thread, _ = Thread.objects.get_or_create(page=article, site=article.get_site())
    start = start or timezone.now() - datetime.timedelta(minutes=count + 5)
    comments = []
    for n in range(count):
        text = f"Comment number {n}"
        comments.append(
            Comment(
                thread=thread,
                author=author,
                body=text,
                segments=[{"text": {"raw": text, "html": render.text_to_html(text)}}],
                created_at=start + datetime.timedelta(minutes=n),
            )
        )
    Comment.objects.bulk_create(comments, batch_size=500)
    Thread.objects.filter(pk=thread.pk).update(comment_count=count, listed_count=count)
    return list(Comment.objects.filter(thread=thread).order_by("created_at", "id"))


def ids_on(response):
    return [
        int(n)
        for n in re.findall(
            r'<li class="comment[^"]*" id="comment-(\d+)"', response.content.decode()
        )
    ]


@pytest.fixture
def article(network):
    return an_article()


@pytest.fixture
def author(db):
    return create_reader("Writer")


def set_votes(comment, up, down):
    Comment.objects.filter(pk=comment.pk).update(
        up_count=up,
        down_count=down,
        best_score=scoring.best_score(up, down),
        controversy=scoring.controversy(up, down),
    )


def test_oldest_first_by_default_fifty_a_page(ledger, article, author):
    comments = bulk_thread(article, 120, author=author)

    first = ids_on(ledger.get(article.url))
    third = ids_on(ledger.get(article.url + "?cpage=3"))

    assert first == [c.pk for c in comments[:50]]
    assert third == [c.pk for c in comments[100:]]
    text = visible_text(ledger.get(article.url))
    assert "Page 1 of 3" in text
    assert "Load more comments" in text


@pytest.mark.parametrize("junk", ["0", "-4", "999", "abc", "1e9", "%00"])
def test_page_numbers_out_of_range_land_on_a_real_page(ledger, article, author, junk):
    bulk_thread(article, 60, author=author)

    response = ledger.get(article.url + f"?cpage={junk}")

    assert response.status_code == 200
    assert len(ids_on(response)) in {50, 10}


def test_each_sort_order(ledger, article, author):
    a, b, c, d = bulk_thread(article, 4, author=author)
    set_votes(a, 1, 0)
    set_votes(b, 40, 2)
    set_votes(c, 30, 29)
    Comment.objects.filter(pk=d.pk).update(reply_count=5)

    def order(sort):
        return ids_on(ledger.get(article.url + f"?sort={sort}"))

    assert order("oldest") == [a.pk, b.pk, c.pk, d.pk]
    assert order("newest") == [d.pk, c.pk, b.pk, a.pk]
    assert order("best")[:2] == [b.pk, c.pk]
    assert order("controversial")[0] == c.pk
    assert order("replied")[0] == d.pk
    assert order("nonsense") == order("oldest")


def test_the_sort_is_remembered_for_a_signed_in_reader(ledger, article, author):
    first, *_rest, last = bulk_thread(article, 5, author=author)
    create_reader("Sorter")
    sign_in(ledger, "Sorter")

    ledger.get(article.url + "?sort=newest")

    assert ids_on(ledger.get(article.url))[0] == last.pk
    assert ids_on(Client(HTTP_HOST="ledger.localhost").get(article.url))[0] == first.pk


def test_load_more_returns_the_next_page_for_htmx(ledger, article, author):
    comments = bulk_thread(article, 70, author=author)

    more = ledger.get(
        f"/comments/on/{article.pk}/more/?sort=oldest&cpage=2", HTTP_HX_REQUEST="true"
    )

    assert ids_on(more) == [c.pk for c in comments[50:]]
    assert 'hx-swap-oob="beforeend"' in more.content.decode()
    assert "Load more comments" not in visible_text(more)  # that was the last page


@pytest.mark.parametrize("sort", ["oldest", "newest", "best"])
def test_a_permalink_opens_the_right_page_at_the_comment(ledger, article, author, sort):
    comments = bulk_thread(article, 130, author=author)
    target = comments[75]
    if sort != "oldest":
        create_reader("Linker")
        sign_in(ledger, "Linker")
        ledger.get(article.url + f"?sort={sort}")

    response = ledger.get(f"/comments/{target.pk}/")

    assert response.status_code == 302
    landing = ledger.get(response["Location"])
    assert target.pk in ids_on(landing)
    assert response["Location"].endswith(f"#comment-{target.pk}")


def test_a_permalink_to_nothing_is_not_found(ledger, article):
    assert ledger.get("/comments/987654/").status_code == 404


def test_a_time_is_the_instant_in_utc_and_the_date_in_the_site_zone():
    # The same text whatever the day it is read (the browser says "Today",
    # test_times_browser.py), so a shared page holding it may be kept.
    posted = datetime.datetime(2026, 4, 22, 21, 53, tzinfo=datetime.UTC)  # 06:53 JST
    late = datetime.datetime(2025, 4, 22, 14, 40, tzinfo=datetime.UTC)  # 11:40 pm

    with timezone.override(None):  # the site's zone, as on a shared page
        assert comment_time(posted) == (
            '<time datetime="2026-04-22T21:53:00Z" data-relative>'
            "Apr 23 2026 06:53 am JST</time>"
        )
        assert comment_time(late.isoformat()) == (  # a quote's time, kept in JSON
            '<time datetime="2025-04-22T14:40:00Z" data-relative>'
            "Apr 22 2025 11:40 pm JST</time>"
        )


def queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_article_page_costs_the_same_with_10_or_2000_comments(
    ledger, network, author
):
    section = an_article().get_parent()
    small = publish_article(section, "A quiet story", slug="quiet")
    large = publish_article(section, "A loud story", slug="loud")
    bulk_thread(small, 10, author=author)
    many = bulk_thread(large, 2000, author=author)

    anonymous = (queries(ledger, small.url), queries(ledger, large.url))

    voter = create_reader("Voter")
    Vote.objects.bulk_create([Vote(comment=c, user=voter, value=1) for c in many[:40]])
    sign_in(ledger, "Voter")
    signed_in = (queries(ledger, small.url), queries(ledger, large.url))

    assert anonymous[0] == anonymous[1]
    assert signed_in[0] == signed_in[1]
    # Signed in: session, user, verified address, the reader's votes on the page,
    # and their own comments awaiting review (sanctions come from the cache).
    assert signed_in[1] == anonymous[1] + 5


def pager_links(response) -> dict[str, str]:
    """The pager's links: `next` (its href), `more` (its htmx URL), `previous`."""
    text = response.content.decode()
    found = {}
    more = re.search(
        r'<a class="load-more button" href="([^"]*)" hx-get="([^"]*)"', text
    )
    if more:
        found["next"], found["more"] = (html.unescape(url) for url in more.groups())
    previous = re.search(r'<a href="([^"]*)">Previous comments</a>', text)
    if previous:
        found["previous"] = html.unescape(previous.group(1))
    return found


@pytest.fixture
def tied(network, author):
    """A Ledger article whose thread ties often in time and score, five a page."""
    article = an_article()
    CommentSettings.objects.update_or_create(
        site=article.get_site(), defaults={"page_size": SIZE}
    )
    return article, tied_thread(article, author)


@pytest.mark.parametrize("sort", ["best", "newest"])
def test_the_pager_walks_the_thread_by_cursor_both_ways(ledger, tied, sort):
    article, thread = tied
    expected = offset_pages(thread, sort)

    forward, response = [], ledger.get(f"{article.url}?sort={sort}")
    while True:
        forward.append(ids_on(response))
        assert f"Page {len(forward)} of {len(expected)}" in visible_text(response)
        links = pager_links(response)
        if "next" not in links:
            break
        assert "after=" in links["next"]
        response = ledger.get(article.url + links["next"])
    backward = [forward[-1]]
    while "previous" in (links := pager_links(response)):
        response = ledger.get(article.url + links["previous"])
        backward.insert(0, ids_on(response))

    assert forward == expected
    assert backward == expected


def test_load_more_follows_the_cursor_of_the_page_it_extends(ledger, tied):
    article, thread = tied
    expected = offset_pages(thread, "controversial")

    first = ledger.get(f"{article.url}?sort=controversial")
    second = ledger.get(pager_links(first)["more"], HTTP_HX_REQUEST="true")
    third = ledger.get(pager_links(second)["more"], HTTP_HX_REQUEST="true")

    assert [ids_on(first), ids_on(second), ids_on(third)] == expected[:3]


@pytest.mark.parametrize(
    "junk", [*HOSTILE, "nan_1_2", "1e999_1_2", "1_2_3_4", "9" * 300]
)
def test_a_cursor_that_is_not_one_falls_back_to_the_page_number(ledger, tied, junk):
    article, thread = tied

    response = ledger.get(
        article.url, {"sort": "best", "cpage": "2", "after": junk, "before": junk}
    )

    assert response.status_code == 200
    assert ids_on(response) == offset_pages(thread, "best")[1]
