"""Feeds, sitemaps, robots.txt, JSON-LD and social tags: parsed, not grepped."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from newsroom.news.models import ArticlePage, SectionPage

from . import network as content
from .helpers import demo_article, json_ld_blocks

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def ledger_articles():
    headlines = {a["headline"] for a in content.ARTICLES if a["site"] == "ledger"}
    return (
        ArticlePage.objects.live()
        .filter(title__in=headlines)
        .order_by("-first_published_at")
    )


def test_site_rss_feed_lists_latest_articles(ledger):
    response = ledger.get("/feeds/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "The Tokyo Ledger"
    items = channel.findall("item")
    newest = ledger_articles().first()
    assert items[0].findtext("title") == newest.title
    assert items[0].findtext("link") == newest.full_url
    assert items[0].findtext("description") == newest.standfirst
    assert items[0].findtext("pubDate")
    assert {c.text for c in items[0].findall("category")} == {
        t.name for t in newest.tags.all()
    }


def test_section_atom_feed_has_only_that_section(ledger):
    section = SectionPage.objects.get(slug="sports", url_path__startswith="/ledger/")
    response = ledger.get(section.url + "feeds/atom/")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    titles = {e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")}
    expected = set(
        ArticlePage.objects.live().child_of(section).values_list("title", flat=True)
    )
    assert titles == expected and titles
    entry = feed.find(f"{ATOM}entry")
    assert (
        entry.find(f"{ATOM}updated").text
        and entry.find(f"{ATOM}author/{ATOM}name").text
    )


def test_sitemap_lists_every_live_page_of_the_site(ledger):
    response = ledger.get("/sitemap.xml")
    assert response.status_code == 200
    locs = {e.text for e in ET.fromstring(response.content).iter(f"{SITEMAP}loc")}
    for article in ledger_articles():
        assert article.full_url in locs
    assert not any("courier" in loc for loc in locs)


def test_google_news_sitemap_has_only_the_last_two_days(ledger):
    response = ledger.get("/news-sitemap.xml")
    assert response.status_code == 200
    urls = ET.fromstring(response.content).findall(f"{SITEMAP}url")
    cutoff = timezone.now() - timedelta(days=2)
    expected = {a.title for a in ledger_articles() if a.first_published_at >= cutoff}
    seen = set()
    for url in urls:
        news = url.find(f"{NEWS}news")
        assert news.findtext(f"{NEWS}publication/{NEWS}name") == "The Tokyo Ledger"
        assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
        published = datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
        assert published >= cutoff
        seen.add(news.findtext(f"{NEWS}title"))
    assert seen == expected and seen


def test_robots_txt_points_at_both_sitemaps(courier):
    response = courier.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /cms/" in body
    assert "Sitemap: http://courier.localhost/sitemap.xml" in body
    assert "Sitemap: http://courier.localhost/news-sitemap.xml" in body


def test_article_json_ld_describes_a_news_article(ledger):
    spec, page = demo_article(lambda a: len(a["authors"]) >= 2)
    response = ledger.get(page.url)
    (data,) = json_ld_blocks(response)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == spec["headline"][:110]
    assert [a["name"] for a in data["author"]] == spec["authors"]
    assert datetime.fromisoformat(data["datePublished"]) == page.first_published_at
    assert datetime.fromisoformat(data["dateModified"]) >= page.first_published_at
    assert data["image"][0].startswith("http://ledger.localhost/media/")
    assert data["publisher"]["name"] == "Ledger Media Inc."
    assert data["publisher"]["logo"]["url"].startswith("http://ledger.localhost/media/")
    assert (
        ledger.get(data["image"][0].removeprefix("http://ledger.localhost")).status_code
        == 200
    )
    assert data["mainEntityOfPage"]["@id"] == page.full_url


def test_json_ld_cannot_be_broken_out_of(ledger, django_user_model):
    _spec, page = demo_article(lambda a: True)
    page.title = "Ferry </script><script>alert(1)</script> row"
    page.save_revision().publish()
    html = ledger.get(page.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    (data,) = json_ld_blocks(ledger.get(page.url))
    assert data["headline"] == page.title


def test_social_tags_and_canonical(ledger):
    _spec, page = demo_article(lambda a: True)
    html = ledger.get(page.url).content.decode()
    meta = dict(
        re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', html)
    )
    assert meta["og:type"] == "article"
    assert meta["og:title"] == page.title
    assert meta["og:url"] == page.full_url
    assert meta["og:image"].startswith("http://ledger.localhost/media/")
    assert meta["twitter:card"] == "summary_large_image"
    assert f'<link rel="canonical" href="{page.full_url}">' in html
