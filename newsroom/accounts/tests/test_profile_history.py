"""A reader's public profile lists their published comments, newest first."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from newsroom.comments import posting, transitions
from newsroom.comments import services as comments
from newsroom.comments.tests.factories import set_rules
from newsroom.comments.tests.test_hostile import HOSTILE
from newsroom.formats.display import news_datetime
from newsroom.moderation.models import ModerationSettings
from newsroom.news.models import ArticlePage
from newsroom.news.tests.helpers import visible_text
from newsroom.news.tests.test_queries import queries_for

from .helpers import sign_in

HISTORY = re.compile(r'<section class="reader-comments".*?</section>', re.S)


@pytest.fixture
def articles(network):
    """Three articles still open for comments, on both sister sites."""
    now = timezone.now()
    open_ = [
        page
        for page in ArticlePage.objects.live().order_by("pk")
        if not comments.closed_reason(page, comments.settings_for(page), now)
    ]
    for page in open_:
        set_rules(page)
    assert len({page.get_site().pk for page in open_}) == 2
    return open_[:2] + [p for p in open_ if p.get_site() != open_[0].get_site()][:1]


@pytest.fixture
def kenji(make_reader):
    return make_reader("Kenji")


def write(reader, articles, count, *, start=None, text="Comment number {i}."):
    """`count` comments, a minute apart, round the articles; oldest first."""
    start = start or timezone.now() - datetime.timedelta(hours=2)
    return [
        posting.post_comment(
            page=articles[i % len(articles)],
            author=reader,
            body=text.format(i=i),
            now=start + datetime.timedelta(minutes=i),
        )
        for i in range(count)
    ]


def history(response) -> str:
    assert response.status_code == 200
    return HISTORY.search(response.content.decode()).group(0)


def test_the_profile_lists_published_comments_newest_first(ledger, articles, kenji):
    assert "No comments yet." in visible_text(ledger.get(f"/readers/{kenji.pk}/"))
    first, second, third = write(kenji, articles, 3)

    response = ledger.get(f"/readers/{kenji.pk}/")

    text = visible_text(response)
    assert "No comments yet." not in text
    assert "3 published comments" in text
    assert text.index("Comment number 2.") < text.index("Comment number 0.")
    html = history(response)
    for comment in (first, second, third):
        page = comment.thread.page
        assert page.title in text
        assert f'href="/comments/{comment.pk}/"' in html
    assert f">{escape(articles[0].title)}</a>" in html
    assert articles[0].relative_url(articles[0].get_site()) in html
    # The article on the sister site links to that site.
    assert f'href="http://{articles[2].get_site().hostname}/' in html
    # Times read as in the thread: the date, which the browser words `Today …`.
    assert f"{news_datetime(third.created_at)} Comment number 2. See in context" in text
    utc = f"{third.created_at:%Y-%m-%dT%H:%M:%S}Z"
    assert f'<time datetime="{utc}" data-relative>' in html


def test_an_excerpt_is_the_authors_own_words_cut_short(
    ledger, articles, kenji, make_reader
):
    jje = make_reader("JJE")
    [source] = write(jje, articles[:1], 1, text="Quoted words from JJE.")
    long = "word " * 200
    posting.post_comment(
        page=articles[0],
        author=kenji,
        body=f"[quote={source.pk}]\nQuoted words from JJE.\n[/quote]\n{long}",
    )

    html = history(ledger.get(f"/readers/{kenji.pk}/"))

    [excerpt] = re.findall(r'<p class="reader-comment-excerpt">(.*?)</p>', html)
    assert "Quoted words" not in excerpt
    assert excerpt.startswith("word word")
    assert excerpt.endswith("…")
    assert len(excerpt) <= 300


def test_removed_pending_rejected_and_deleted_comments_are_not_listed(
    ledger, articles, kenji
):
    shown, removed, hidden, deleted = write(
        kenji, articles, 4, text="Visible {i} words"
    )
    transitions.remove_comment(removed, reason="Off topic.")
    transitions.hold_comment(hidden)
    posting.delete_comment(deleted, kenji)
    ModerationSettings.objects.update_or_create(  # saved, as the admin saves it
        site=articles[0].get_site(),
        defaults={"premoderation": ModerationSettings.Premoderation.ALL},
    )
    held, rejected = write(kenji, articles[:1], 2, text="Held {i} words")
    transitions.remove_comment(rejected, reason="Spam.")
    statuses = [
        c.status
        for c in comments.Comment.objects.filter(author=kenji).order_by("created_at")
    ]
    assert sorted(statuses) == sorted(
        ["published", "removed", "pending", "deleted", "pending", "rejected"]
    )

    response = ledger.get(f"/readers/{kenji.pk}/")

    text = visible_text(response)
    assert "1 published comment " in text
    assert "Visible 0 words" in text
    html = response.content.decode()
    for gone in ("Visible 1", "Visible 2", "Visible 3", "Held 0", "Held 1"):
        assert gone not in html
    assert "Off topic." not in html and "Spam." not in html


def test_twenty_a_page_with_previous_and_next_links(ledger, articles, kenji):
    write(kenji, articles, 45)
    url = f"/readers/{kenji.pk}/"

    first = visible_text(ledger.get(url))
    second = ledger.get(f"{url}?page=2")
    last = visible_text(ledger.get(f"{url}?page=3"))

    assert "45 published comments" in first
    assert "Page 1 of 3" in first and "Previous page" not in first
    assert "Comment number 44." in first and "Comment number 25." in first
    assert "Comment number 24." not in first
    html = history(second)
    assert 'href="?page=1#comments"' in html and 'href="?page=3#comments"' in html
    assert "Previous page Page 2 of 3 Next page" in visible_text(second)
    assert "Comment number 24." in html and "Comment number 5." in html
    assert "Comment number 25." not in html and "Comment number 4." not in html
    assert "Comment number 0." in last and "Next page" not in last
    assert last.count("See in context") == 5


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("abc", "Page 1 of 2"),
        ("9999", "Page 2 of 2"),
        ("0", "Page 2 of 2"),
        ("-1", "Page 2 of 2"),
        ("1e9", "Page 1 of 2"),
        ("", "Page 1 of 2"),
    ],
)
def test_page_numbers_that_are_not_pages_show_a_page(
    ledger, articles, kenji, number, shown
):
    write(kenji, articles, 21)

    response = ledger.get(f"/readers/{kenji.pk}/", {"page": number})

    assert response.status_code == 200
    assert shown in visible_text(response)


def test_see_in_context_leads_to_the_comment_in_its_thread(ledger, articles, kenji):
    [comment] = write(kenji, articles[:1], 1)
    html = history(ledger.get(f"/readers/{kenji.pk}/"))
    [link] = re.findall(r'<a href="([^"]+)">See in context</a>', html)

    response = ledger.get(link)

    assert response.status_code == 302
    path = articles[0].relative_url(articles[0].get_site())
    assert response["Location"] == f"{path}#comment-{comment.pk}"


class ListAudit(HTMLParser):
    """Every tag and attribute inside the list of comments."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "ol" and ("class", "reader-comment-list") in attrs:
            self.inside = True
        elif self.inside:
            self.found.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "ol":
            self.inside = False


def test_hostile_comments_are_shown_as_text(courier, articles, make_reader):
    mallory = make_reader("Mallory")
    start = timezone.now() - datetime.timedelta(hours=2)
    posted = 0
    for i, body in enumerate(HOSTILE):
        try:
            write(
                mallory,
                articles,
                1,
                start=start + datetime.timedelta(minutes=i),
                text=body.replace("{", "{{").replace("}", "}}") + " end",
            )
            posted += 1
        except ValidationError:  # forged quotes and direction overrides: refused,
            pass  # as on the article page
    assert posted == len(HOSTILE) - 4

    found, html = [], ""
    for number in (1, 2):
        page = history(courier.get(f"/readers/{mallory.pk}/?page={number}"))
        html += page
        parser = ListAudit()
        parser.feed(page)
        found += parser.found

    assert {tag for tag, _attrs in found} == {"li", "h3", "a", "p", "time"}
    for tag, attrs in found:
        assert set(attrs) <= {"class", "href", "datetime", "data-relative"}, attrs
        if tag == "a":
            assert re.fullmatch(r"(http://[a-z.]+)?/[\w/-]*", attrs["href"]), attrs
    assert "<script" not in html and "<img" not in html and "<svg" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; end" in html
    assert "{{ 7*7 }} {% debug %} {{ request.user.password }} end" in html


# Session and reader 2 (signed in), the profile 1, content version 1, the count 1,
# the page of comments with their articles 1; the site (remembered per host), the
# brand settings and logo (cached under the content version) and article addresses
# (Wagtail's cached site root paths) cost none.
@pytest.mark.parametrize(("signed_in", "queries"), [(False, 4), (True, 6)])
def test_the_profile_costs_the_same_queries_for_3_or_60_comments(
    articles, make_reader, signed_in, queries
):
    few, many = make_reader("Few"), make_reader("Many")
    write(few, articles, 3)
    write(many, articles, 60)
    client = Client(HTTP_HOST="ledger.localhost")
    if signed_in:
        make_reader("Visitor")
        sign_in(client, "Visitor")

    counts = [queries_for(client, f"/readers/{reader.pk}/") for reader in (few, many)]

    assert counts == [queries, queries]
