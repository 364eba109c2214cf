"""Addresses nothing answers: a crawler's misses are cheap, and everything that does
answer still does (pages, their sub-routes, redirects, the trailing slash)."""

import pytest
from django.test import Client
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction

from conftest import LEDGER
from newsroom.accounts.tests.factories import create_reader
from newsroom.accounts.tests.helpers import sign_in

from .factories import article, section
from .helpers import visible_text

pytestmark = pytest.mark.django_db


def page_path(page) -> str:
    return page.url_path.removeprefix("/ledger")


def test_a_path_never_asked_before_costs_one_query(
    ledger, django_assert_max_num_queries
):
    ledger.get("/nowhere-first/")  # this process reads the network's addresses once
    with django_assert_max_num_queries(1):
        response = ledger.get("/nowhere-second/")
    assert response.status_code == 404
    assert "We can’t find that page" in visible_text(response)
    with django_assert_max_num_queries(1):
        assert ledger.get("/world/no-such-story/").status_code == 404
    with django_assert_max_num_queries(1):
        assert ledger.get("/nowhere.html").status_code == 404


def test_every_missing_address_gets_the_same_page_naming_none(ledger):
    first = ledger.get("/first-missing/path/")
    second = ledger.get("/second-missing/")
    assert first.status_code == second.status_code == 404
    assert first.content == second.content
    html = first.content.decode()
    assert "first-missing" not in html and "second-missing" not in html
    assert 'href="/accounts/login/?next=/"' in html


def test_a_signed_in_readers_404_is_their_own(ledger):
    ledger.get("/missing-for-everyone/")  # the anonymous page is kept
    create_reader("Hazel")
    reader = Client(HTTP_HOST=LEDGER)
    sign_in(reader, "Hazel")
    theirs = reader.get("/missing-for-everyone/")
    assert theirs.status_code == 404
    assert "Hazel" in visible_text(theirs)
    assert "Hazel" not in visible_text(ledger.get("/missing-for-everyone/"))


def test_a_story_is_found_right_after_it_is_published(ledger):
    assert ledger.get("/world/harbour-lights-return/").status_code == 404
    story = article("Harbour lights return", slug="harbour-lights-return")
    response = ledger.get("/world/harbour-lights-return/")
    assert response.status_code == 200
    assert story.title in visible_text(response)


def test_an_unpublished_story_is_gone(ledger):
    story = article("Pier reopens", slug="pier-reopens")
    assert ledger.get(page_path(story)).status_code == 200
    story.unpublish()
    assert ledger.get(page_path(story)).status_code == 404


def test_a_draft_is_not_served(ledger):
    draft = article("Quay plans", slug="quay-plans")
    draft.unpublish()
    draft.title = "Quay plans, revised"
    draft.save_revision()
    assert ledger.get(page_path(draft)).status_code == 404


def test_a_private_story_still_asks_for_its_password(ledger):
    story = article("Sealed tender", slug="sealed-tender")
    ledger.get("/nowhere-before/")
    PageViewRestriction.objects.create(
        page=story, restriction_type="password", password="s3cret"
    )
    response = ledger.get(page_path(story))
    assert response.status_code == 200
    assert "password" in visible_text(response).lower()


@pytest.mark.parametrize(
    "path",
    ["/", "/feeds/rss/", "/feeds/atom/", "/world/", "/world/feeds/rss/", "/search/"],
)
def test_routes_below_the_front_page_and_sections_still_answer(ledger, path):
    ledger.get("/nowhere-before/")
    assert ledger.get(path).status_code == 200


def test_tag_and_author_routes_still_answer(ledger):
    story = article(
        "Ferry timetable", slug="ferry-timetable", tags=["ferries"], authors=1
    )
    author = story.article_authors.first().author
    ledger.get("/nowhere-before/")
    assert ledger.get("/tags/ferries/").status_code == 200
    assert ledger.get(f"/authors/{author.slug}/").status_code == 200
    assert ledger.get("/tags/no-such-tag/").status_code == 404


def test_a_redirect_made_after_the_addresses_were_read_redirects(ledger):
    assert ledger.get("/old-ferry-story/").status_code == 404
    target = article("Ferry story", slug="ferry-story")
    Redirect.add_redirect("/old-ferry-story", redirect_to=target)
    response = ledger.get("/old-ferry-story/")
    assert response.status_code == 301
    assert response["Location"].endswith("/world/ferry-story/")
    Redirect.objects.filter(old_path="/old-ferry-story").delete()
    assert ledger.get("/old-ferry-story/").status_code == 404


def test_a_redirect_with_a_query_string_redirects(ledger):
    Redirect.add_redirect("/promo", redirect_to="/world/", is_permanent=False)
    ledger.get("/nowhere-before/")
    response = ledger.get("/promo/?utm_source=mail")
    assert response.status_code == 302 and response["Location"] == "/world/"


def test_a_moved_story_redirects_from_its_old_address(ledger):
    story = article("Bridge repairs", slug="bridge-repairs")
    old = page_path(story)
    assert ledger.get(old).status_code == 200
    story.move(section("national"), pos="last-child")
    response = ledger.get(old)
    assert response.status_code == 301
    assert response["Location"].endswith("/national/bridge-repairs/")
    assert ledger.get("/national/bridge-repairs/").status_code == 200


def test_an_address_without_its_slash_is_sent_to_the_one_with_it(ledger):
    ledger.get("/nowhere-before/")
    response = ledger.get("/world")
    assert response.status_code == 301 and response["Location"] == "/world/"
    response = ledger.get("/nowhere-at-all")
    assert response.status_code == 301 and response["Location"] == "/nowhere-at-all/"
    assert ledger.get("/nowhere-at-all/").status_code == 404


def test_the_kept_404_page_shows_a_change_of_brand(ledger):
    from wagtail.models import Site

    from newsroom.news.models import NewsSiteSettings

    assert "Harbour news since 1902" not in visible_text(ledger.get("/nowhere-yet/"))
    brand = NewsSiteSettings.for_site(Site.objects.get(hostname=LEDGER))
    brand.tagline = "Harbour news since 1902"
    brand.save()
    assert "Harbour news since 1902" in visible_text(ledger.get("/nowhere-after/"))
