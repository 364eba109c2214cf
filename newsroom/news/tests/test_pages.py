"""What readers see on front, section, article, tag, author, search, error pages."""

import pytest
from django.utils import timezone

from newsroom.news.models import ArticlePage, SectionPage

from . import network as content
from .factories import publish_article
from .helpers import demo_article, visible_text

pytestmark = pytest.mark.django_db


def site_spec(key):
    return next(spec for spec in content.SITES if spec["key"] == key)


def test_front_page_shows_site_name_lead_and_every_section(ledger):
    response = ledger.get("/")
    assert response.status_code == 200
    text = visible_text(response)
    spec = site_spec("ledger")
    assert text.startswith(f"Skip to content {spec['name']}")
    latest = (
        ArticlePage.objects.live()
        .filter(
            title__in=[a["headline"] for a in content.ARTICLES if a["site"] == "ledger"]
        )
        .order_by("-first_published_at")
        .first()
    )
    assert latest.title in text
    for _slug, title in spec["sections"]:
        assert title in text
    assert f"©{timezone.localdate().year} {spec['publisher']}" in text


def test_each_site_serves_its_own_articles(ledger, courier):
    ledger_text = visible_text(ledger.get("/"))
    courier_text = visible_text(courier.get("/"))
    assert site_spec("courier")["name"] in courier_text
    courier_headlines = [
        a["headline"] for a in content.ARTICLES if a["site"] == "courier"
    ]
    assert any(h in courier_text for h in courier_headlines)
    assert not any(h in ledger_text for h in courier_headlines)


def test_brand_colour_of_each_site_is_applied(ledger, courier):
    assert (
        f"--brand: {site_spec('ledger')['colour']}" in ledger.get("/").content.decode()
    )
    assert (
        f"--brand: {site_spec('courier')['colour']}"
        in courier.get("/").content.decode()
    )


def test_article_page_follows_the_reference_order(ledger):
    spec, page = demo_article(lambda a: a["agency"])
    response = ledger.get(page.url)
    assert response.status_code == 200
    text = visible_text(response)
    photo = spec["photo"]
    credit = "/".join(p for p in (photo.get("agency"), photo.get("photographer")) if p)
    year = timezone.localtime(page.first_published_at).year
    names = spec["authors"]
    byline = "By " + (
        names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    )
    agency = next(a for a in content.AGENCIES if a["name"] == spec["agency"])
    expected_order = [
        site_spec("ledger")["name"],
        photo["title"],
        f"Image: {credit}",
        spec["section"],
        spec["headline"],
        "No comments yet",  # the count, before any reader has commented
        byline,
        spec["body"][0][1] if spec["body"][0][0] == "paragraph" else spec["body"][1][1],
        f"© {agency['copyright']} {year}.",
        f"©{year} {site_spec('ledger')['publisher']}",
    ]
    positions = [text.find(part) for part in expected_order]
    assert -1 not in positions, list(zip(expected_order, positions, strict=True))
    assert positions == sorted(positions)


@pytest.mark.parametrize("count", [1, 2, 3])
def test_bylines_read_as_english(ledger, count):
    spec, page = demo_article(lambda a: len(a["authors"]) == count)
    names = spec["authors"]
    expected = {1: f"By {names[0]}", 2: f"By {names[0]} and {names[-1]}"}.get(
        count, f"By {', '.join(names[:-1])} and {names[-1]}"
    )
    assert expected in visible_text(ledger.get(page.url))


def test_own_copy_has_no_wire_line(ledger):
    _spec, page = demo_article(lambda a: not a["agency"])
    text = visible_text(ledger.get(page.url))
    assert not any(f"© {agency['copyright']}" in text for agency in content.AGENCIES)


def test_section_page_lists_its_articles_newest_first_and_paginates(ledger, settings):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 2
    section = SectionPage.objects.get(slug="world", url_path__startswith="/ledger/")
    response = ledger.get(section.url)
    assert response.status_code == 200
    titles = [a.title for a in response.context["articles"]]
    expected = list(
        ArticlePage.objects.live()
        .child_of(section)
        .order_by("-first_published_at")
        .values_list("title", flat=True)
    )
    assert titles == expected[:2]
    assert "Page 1 of" in visible_text(response)
    second = ledger.get(section.url + "?page=2")
    assert [a.title for a in second.context["articles"]] == expected[2:4]


@pytest.mark.parametrize(
    "page_param", ["0", "-1", "abc", "999999", "1e9", "%00", "' OR 1=1 --", "2" * 400]
)
def test_bad_page_numbers_never_fail(ledger, page_param):
    section = SectionPage.objects.get(slug="world", url_path__startswith="/ledger/")
    assert ledger.get(section.url, {"page": page_param}).status_code == 200
    assert (
        ledger.get("/search/", {"q": "harbour", "page": page_param}).status_code == 200
    )


def test_tag_page_lists_tagged_articles(ledger):
    spec, page = demo_article(lambda a: bool(a["tags"]))
    tag = page.tags.first()
    response = ledger.get(f"/tags/{tag.slug}/")
    assert response.status_code == 200
    assert page.title in visible_text(response)
    assert all(tag in a.tags.all() for a in response.context["articles"])
    assert ledger.get("/tags/no-such-tag-anywhere/").status_code == 404


def test_author_page_shows_bio_and_articles(ledger):
    spec, page = demo_article(lambda a: len(a["authors"]) == 1)
    author = page.article_authors.first().author
    response = ledger.get(f"/authors/{author.slug}/")
    text = visible_text(response)
    assert author.name in text and page.title in text
    assert author.bio in text
    assert ledger.get("/authors/nobody-at-all/").status_code == 404


def test_search_finds_articles_by_headline_words(ledger):
    spec, page = demo_article(lambda a: True)
    word = max(spec["headline"].split(), key=len).strip(",.:;'\"")
    response = ledger.get("/search/", {"q": word})
    assert response.status_code == 200
    assert page.title in visible_text(response)


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE wagtailcore_page; --",
        "{{7*7}}",
        "{% debug %}",
        "<script>alert(1)</script>",
        "x" * 10_000,
        "harbour\x00\x07\x1b[31m",
        "\u202eevil\u200b",
        "   ",
        'AND OR NOT ( ) " * :',
    ],
)
def test_hostile_search_returns_a_normal_page(ledger, query):
    response = ledger.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    echoed = response.context["query"]
    assert len(echoed) <= 200 and all(ch.isprintable() for ch in echoed)
    if echoed and len(echoed) < 100:
        assert echoed in visible_text(response)  # shown literally, never evaluated
    assert ArticlePage.objects.exists()  # nothing was dropped


def test_unknown_path_gives_the_friendly_404(ledger):
    response = ledger.get("/no/such/story/")
    assert response.status_code == 404
    text = visible_text(response)
    assert "We can’t find that page" in text
    assert site_spec("ledger")["name"] in text


def test_server_error_page_is_self_contained(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


def test_unknown_host_is_refused(client):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400


def test_front_page_shows_a_new_story_at_once_and_drops_an_unpublished_one(ledger):
    assert "Breaking: ferry strike called off" not in visible_text(
        ledger.get("/")
    )  # now cached
    section = SectionPage.objects.get(slug="national", url_path__startswith="/ledger/")
    article = publish_article(
        section, "Breaking: ferry strike called off", slug="breaking-ferry-strike"
    )

    response = ledger.get("/")
    assert response.context["front_page"]()["lead"].pk == article.pk
    assert "Breaking: ferry strike called off" in visible_text(response)
    assert "Breaking: ferry strike called off" in visible_text(ledger.get(section.url))

    article.unpublish()
    assert "Breaking: ferry strike called off" not in visible_text(ledger.get("/"))


def test_search_on_postgresql_matches_other_forms_of_a_word(ledger):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("stemming is PostgreSQL full-text search; this run is on SQLite")
    _spec, page = demo_article(
        lambda a: a["headline"].startswith("Marenne recalls ambassador")
    )
    response = ledger.get("/search/", {"q": "recalled ambassadors"})
    assert page.title in visible_text(response)


def test_article_whose_inline_photo_was_deleted_still_reads(ledger):
    from newsroom.news.models import NewsImage

    _spec, page = demo_article(lambda a: True)
    doomed = NewsImage.objects.create(title="Soon gone", file=page.lead_image.file.name)
    page.body.append(("image", {"image": doomed, "caption_override": ""}))
    page.save_revision().publish()
    assert "Soon gone" in visible_text(ledger.get(page.url))
    NewsImage.objects.filter(pk=doomed.pk).delete()
    response = ledger.get(page.url)
    assert response.status_code == 200
    assert "Soon gone" not in visible_text(response)


def test_password_protected_article_stays_out_of_public_lists(ledger):
    from wagtail.models import PageViewRestriction

    _spec, page = demo_article(
        lambda a: a["hours_ago"] < 48 and a["section"] == "world"
    )
    word = max(page.title.split(), key=len)
    section = page.get_parent()
    public_pages = [
        "/",
        section.url,
        "/feeds/rss/",
        "/news-sitemap.xml",
        f"/search/?q={word}",
    ]
    assert all(page.title in ledger.get(url).content.decode() for url in public_pages)
    PageViewRestriction.objects.create(
        page=page, restriction_type="password", password="s3cret"
    )
    for url in public_pages:
        assert page.title not in ledger.get(url).content.decode(), url
    assert "password" in visible_text(ledger.get(page.url)).lower()


def test_front_page_of_a_site_without_photos_still_leads_with_a_story(ledger):
    headlines = [a["headline"] for a in content.ARTICLES if a["site"] == "ledger"]
    ArticlePage.objects.filter(title__in=headlines).update(lead_image=None)
    response = ledger.get("/")
    text = visible_text(response)
    newest = ArticlePage.objects.filter(title__in=headlines).order_by(
        "-first_published_at"
    )[0]
    assert "No stories have been published yet" not in text
    assert newest.title in text and "Latest" in text


def test_times_are_stored_in_utc_and_shown_in_japan_time(ledger):
    from datetime import UTC, datetime

    _spec, page = demo_article(lambda a: True)
    published = datetime(2026, 4, 22, 14, 40, tzinfo=UTC)  # 23:40 the same day in Tokyo
    ArticlePage.objects.filter(pk=page.pk).update(first_published_at=published)
    response = ledger.get(page.url)
    assert "Apr 22 2026 11:40 pm JST" in visible_text(response)
    html = response.content.decode()
    assert '<time datetime="2026-04-22T14:40:00Z" data-absolute>' in html
    assert '<script src="/static/newsroom/times.js" data-time-zone="Asia/Tokyo"' in html
    stored = ArticlePage.objects.values_list("first_published_at", flat=True).get(
        pk=page.pk
    )
    assert stored == published and stored.utcoffset().total_seconds() == 0


def test_body_photos_quotes_and_corrections_render_with_their_credits(ledger):
    from datetime import UTC, datetime

    from newsroom.news.models import NewsImage

    from .helpers import json_ld_blocks

    photo = NewsImage.objects.exclude(agency="").exclude(photographer="")[0]
    section = SectionPage.objects.get(slug="world", url_path__startswith="/ledger/")
    body = [
        ("paragraph", "<p>First paragraph.</p>"),
        ("image", {"image": photo, "caption_override": "Divers at the reef at dawn."}),
        ("quote", {"text": "Nobody wants a collision.", "attribution": "A. Captain"}),
    ]
    article = publish_article(
        section, "Reef divers return", slug="reef-divers", body=body
    )
    corrected = datetime(2026, 5, 1, 3, 0, tzinfo=UTC)  # 12:00 in Tokyo
    ArticlePage.objects.filter(pk=article.pk).update(updated_at=corrected)

    response = ledger.get(article.url)
    text = visible_text(response)
    credit = f"Image: {photo.agency}/{photo.photographer}"
    figure = f"{photo.title} Divers at the reef at dawn. {credit}"
    assert figure in text
    assert "Nobody wants a collision. — A. Captain" in text
    assert "Updated May 1 2026 12:00 pm JST" in text
    (data,) = json_ld_blocks(response)
    assert datetime.fromisoformat(data["dateModified"]) == corrected
