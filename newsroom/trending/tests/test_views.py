"""The read beacon over HTTP: what it answers, what it counts, and what the article
page carries for it. Counting itself (once per reader and hour, the flush): see
test_reads.py; the script in a real browser: test_beacon_browser.py."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from PIL import Image
from wagtail.models import PageViewRestriction

from newsroom.accounts.tests.factories import create_reader
from newsroom.accounts.tests.helpers import sign_in
from newsroom.comments.tests.helpers import an_article
from newsroom.news.models import ArticleAuthor, ArticlePage, Author
from newsroom.news.tests.factories import section
from newsroom.trending import reads

from .test_reads import CHROME, READER_IP, another_article, beacon_of, path_of

pytestmark = pytest.mark.django_db

# The beacon's markup in the article page (trending/includes/read_beacon.html).
BEACON = re.compile(
    r'<script src="[^"]*trending/beacon[^"]*\.js" data-read-beacon="(?P<script>[^"]*)"'
    r" defer></script>\s*<noscript><img [^>]*src=\"(?P<image>[^\"]*)\"[^>]*>"
    r"</noscript>"
)
# Headers that may differ between two answers (a clock).
UNEQUAL = {"date", "expires"}


def restrict(page):
    """Make `page` and what is under it private, as an editor does in the admin."""
    from django.test import Client

    editor = Client()
    editor.force_login(get_user_model().objects.get(username="editor"))
    response = editor.post(
        f"/cms/pages/{page.pk}/privacy/",
        {"restriction_type": "password", "password": "members-only"},
    )
    assert response.status_code == 200, response.content[:500]
    assert PageViewRestriction.objects.filter(page=page).exists()
    return page


def beacon(client, page_id, *, method="post", agent=CHROME, **headers):
    send = getattr(client, method)
    return send(
        f"/trending/read/{page_id}/",
        HTTP_USER_AGENT=agent,
        REMOTE_ADDR=READER_IP,
        **headers,
    )


def answer(response) -> tuple:
    """Everything a client sees of a response, but its clock."""
    headers = {
        name.lower(): value
        for name, value in response.headers.items()
        if name.lower() not in UNEQUAL
    }
    return response.status_code, headers, response.content


def draft_article(title="A story still being written") -> ArticlePage:
    """An article an editor has saved but never published."""
    article = ArticlePage(
        title=title,
        slug="still-being-written",
        standfirst="Not yet.",
        live=False,
        body=[("paragraph", "<p>Draft.</p>")],
    )
    article.article_authors.add(ArticleAuthor(author=Author.objects.first()))
    section().add_child(instance=article)
    article.save_revision()
    return article


def test_the_script_and_the_image_count_once_and_set_no_cookie(ledger, memory_buffer):
    article = an_article()

    posted = beacon(ledger, article.pk)
    image = beacon(ledger, article.pk, method="get")  # the same reader, without JS

    assert (posted.status_code, posted.content) == (204, b"")
    assert "Content-Type" not in posted.headers
    assert image.status_code == 200
    assert image["Content-Type"] == "image/gif"
    pixel = Image.open(io.BytesIO(image.content))
    assert pixel.size == (1, 1)
    assert pixel.convert("RGBA").getpixel((0, 0))[3] == 0  # transparent
    for response in (posted, image):
        assert response["Cache-Control"] == "no-store"
        assert not response.cookies
        assert "Set-Cookie" not in response.headers
    assert reads.flush() == 1


def test_the_beacon_needs_no_csrf_token(memory_buffer, network):
    """Sent without cookies, it could not carry one (views.read says why it is safe)."""
    from django.test import Client

    strict = Client(HTTP_HOST="ledger.localhost", enforce_csrf_checks=True)

    assert beacon(strict, an_article().pk).status_code == 204
    assert reads.flush() == 1


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_DNT": "1"}, {"HTTP_SEC_GPC": "1"}, {"HTTP_DNT": "1", "HTTP_SEC_GPC": "1"}],
    ids=["do-not-track", "global-privacy-control", "both"],
)
def test_a_reader_who_asks_not_to_be_tracked_is_not_counted(
    ledger, memory_buffer, headers
):
    article = an_article()

    for method in ("post", "get"):
        assert beacon(ledger, article.pk, method=method, **headers).status_code in (
            200,
            204,
        )

    assert reads.flush() == 0
    beacon(ledger, article.pk, HTTP_DNT="0")  # no objection: counted
    assert reads.flush() == 1


@pytest.mark.parametrize(
    ("site", "counted"),
    [("same-origin", 1), ("same-site", 1), ("cross-site", 0), ("none", 0)],
)
def test_only_a_beacon_from_the_sites_own_pages_counts(
    ledger, memory_buffer, site, counted
):
    """Fetch Metadata: another site's page loading the beacon (or an address typed
    by hand) is no view of the article."""
    beacon(ledger, an_article().pk, HTTP_SEC_FETCH_SITE=site)

    assert reads.flush() == counted


def test_a_bot_counts_nothing(ledger, memory_buffer):
    agent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"

    beacon(ledger, an_article().pk, agent=agent)
    beacon(ledger, an_article().pk, method="get", agent=agent)

    assert reads.flush() == 0


def test_anything_but_a_live_public_article_is_answered_as_one_is(
    ledger, memory_buffer, django_assert_max_num_queries
):
    """Same status, headers and body: the beacon tells no one which ids are drafts,
    unpublished or private stories, nor whether a read counted."""
    article, unpublished = an_article(), another_article()
    unpublished.unpublish()
    private = restrict(another_article("courier"))
    others = {
        "draft": draft_article().pk,
        "unpublished": unpublished.pk,
        "private": private.pk,
        "section": article.get_parent().pk,
        "home": article.get_site().root_page.pk,
        "no page": ArticlePage.objects.order_by("-pk")[0].pk + 1000,
        "no page ever": 10**30,
    }
    expected = {
        method: answer(beacon(ledger, article.pk, method=method))
        for method in ("post", "get")
    }
    assert reads.flush() == 1

    for name, page_id in others.items():
        for method in ("post", "get"):
            with django_assert_max_num_queries(1):
                response = beacon(ledger, page_id, method=method)
            assert answer(response) == expected[method], (name, method)

    assert reads.flush() == 0


def test_an_article_in_a_private_section_counts_nothing(ledger, memory_buffer):
    article = an_article()
    restrict(article.get_parent())

    beacon(ledger, article.pk)

    assert reads.flush() == 0


def test_publishing_and_unpublishing_take_effect_at_once(
    ledger, memory_buffer, django_capture_on_commit_callbacks
):
    """The cached lookup is forgotten when the article is published or unpublished."""
    article = an_article()
    beacon(ledger, article.pk)  # looked up and cached as live
    assert reads.flush() == 1

    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    beacon(ledger, article.pk, agent=f"{CHROME} other")
    assert reads.flush() == 0  # cached as not live

    with django_capture_on_commit_callbacks(execute=True):
        article.get_latest_revision().publish()
    beacon(ledger, article.pk, agent=f"{CHROME} other")
    assert reads.flush() == 1


def beacon_markup(response) -> re.Match:
    found = list(BEACON.finditer(response.content.decode()))
    assert len(found) == 1, found
    return found[0]


def test_the_article_page_carries_its_own_beacon_and_nothing_personal(ledger, network):
    article = an_article()
    anonymous = ledger.get(path_of(article))
    create_reader("Kenji")
    sign_in(ledger, "Kenji")
    signed_in = ledger.get(path_of(article))

    markup = beacon_markup(anonymous)
    assert markup["script"] == markup["image"] == beacon_of(article)
    assert beacon_markup(signed_in)[0] == markup[0]  # the same bytes for everyone
    assert "Kenji" not in markup[0] and "csrf" not in markup[0].lower()
    assert 'class="read-beacon"' in markup[0] and " hidden" in markup[0]
    assert "data-read-beacon" not in ledger.get("/").content.decode()
