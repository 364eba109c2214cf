"""Page cost does not grow with bylines, tags, body blocks or listing length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsroom.news.models import NewsImage, SectionPage

from .factories import publish_article

pytestmark = pytest.mark.django_db

# Routing and privacy (Wagtail; the site itself is remembered per host), section,
# byline, tags, the lead photo, content version, comment settings, the thread and its
# last live event (its comments, when it has any, 1 more: see
# comments/tests/test_reading.py); the section menu, sister sites, brand settings and
# photos' renditions come from the cache.
ARTICLE_PAGE_QUERIES = 13


def make_article(section, *, slug, authors, tags, blocks):
    images = list(NewsImage.objects.exclude(caption=""))
    body = []
    for i in range(blocks):
        kind = ("paragraph", "quote", "image", "subheading")[i % 4]
        if kind == "paragraph":
            body.append(("paragraph", f"<p>Paragraph {i} of a test story.</p>"))
        elif kind == "quote":
            body.append(("quote", {"text": f"Quote {i}", "attribution": "A. Source"}))
        elif kind == "image":
            # A different photo each time: body images must load in one query.
            photo = images[i % len(images)]
            body.append(("image", {"image": photo, "caption_override": ""}))
        else:
            body.append(("subheading", f"Part {i}"))
    return publish_article(
        section,
        f"Query test {slug}",
        slug=slug,
        body=body,
        authors=authors,
        tags=[f"qtag{i}" for i in range(tags)],
        image=images[0],
    )


def queries_for(client, url) -> int:
    client.get(url)  # warm renditions and caches, as any second reader would
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_article_page_queries_do_not_grow(ledger):
    section = SectionPage.objects.get(slug="world", url_path__startswith="/ledger/")
    small = make_article(section, slug="q-small", authors=1, tags=1, blocks=4)
    large = make_article(section, slug="q-large", authors=3, tags=8, blocks=24)
    small_count = queries_for(ledger, small.url)
    large_count = queries_for(ledger, large.url)
    assert (small_count, large_count) == (ARTICLE_PAGE_QUERIES, ARTICLE_PAGE_QUERIES)


@pytest.mark.parametrize("per_page", [2, 12])
def test_listing_queries_do_not_grow_with_page_size(ledger, settings, per_page):
    settings.NEWSROOM_ARTICLES_PER_PAGE = per_page
    section = SectionPage.objects.get(slug="world", url_path__startswith="/ledger/")
    counts = {
        url: queries_for(ledger, url) for url in (section.url, "/", "/search/?q=the")
    }
    settings.NEWSROOM_ARTICLES_PER_PAGE = 1
    assert counts == {url: queries_for(ledger, url) for url in counts}
