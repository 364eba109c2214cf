"""Editors pin and hide articles in the admin (Snippets → Trending); no one else."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from conftest import LEDGER
from newsroom.accounts.tests.helpers import sign_in
from newsroom.news.models import ArticlePage
from newsroom.trending import scoring
from newsroom.trending.models import Placement, TrendingEntry

pytestmark = pytest.mark.django_db

PLACEMENTS = "/cms/snippets/trending/placement/"


def staff(username, password) -> Client:
    """A member of the desk, signed in through the admin's sign-in page."""
    client = Client(HTTP_HOST=LEDGER)
    response = client.post("/cms/login/", {"username": username, "password": password})
    assert response.status_code == 302
    return client


def pin_form(article, note="Splash for the evening edition") -> dict:
    return {"page": str(article.pk), "action": "pin", "until": "", "note": note}


def test_editors_hold_the_placement_permissions(network):
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )

    assert {
        "add_placement",
        "change_placement",
        "delete_placement",
        "view_placement",
    } <= codenames


def test_an_editor_pins_an_article_through_the_admin(network):
    article = ArticlePage.objects.get(title__startswith="Harbor Gulls")
    editor = staff("editor", "newsroom-editor")
    assert "Trending" in editor.get("/cms/").content.decode()  # in the menu
    assert editor.get(PLACEMENTS).status_code == 200
    assert editor.get(PLACEMENTS + "add/").status_code == 200

    response = editor.post(PLACEMENTS + "add/", pin_form(article))

    assert response.status_code == 302
    placement = Placement.objects.get()
    assert (placement.page_id, placement.action, placement.until) == (
        article.pk,
        Placement.Action.PIN,
        None,
    )
    listing = editor.get(PLACEMENTS).content.decode()
    assert article.title in listing
    assert "Pin to the top" in listing
    scoring.recompute()
    first = TrendingEntry.objects.get(
        site__hostname=LEDGER, list=TrendingEntry.List.TRENDING, rank=1
    )
    assert (first.page_id, first.pinned) == (article.pk, True)


def test_an_editor_hides_a_pinned_article_by_changing_the_placement(network):
    article = ArticlePage.objects.get(title__startswith="Harbor Gulls")
    editor = staff("editor", "newsroom-editor")
    editor.post(PLACEMENTS + "add/", pin_form(article))
    placement = Placement.objects.get()

    response = editor.post(
        f"{PLACEMENTS}edit/{placement.pk}/",
        {**pin_form(article), "action": "hide", "until": "2099-01-01 09:00"},
    )

    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.action == Placement.Action.HIDE
    assert placement.until.year == 2099


def test_readers_and_writers_cannot_see_or_place(network, make_reader):
    article = ArticlePage.objects.get(title__startswith="Harbor Gulls")
    make_reader("Kenji")
    reader = Client(HTTP_HOST=LEDGER)
    assert sign_in(reader, "Kenji").status_code == 302
    writer = staff("writer", "newsroom-writer")

    for response in (
        reader.get(PLACEMENTS),
        reader.get(PLACEMENTS + "add/"),
        reader.post(PLACEMENTS + "add/", pin_form(article)),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/cms/login/")
    for response in (
        writer.get(PLACEMENTS),
        writer.get(PLACEMENTS + "add/"),
        writer.post(PLACEMENTS + "add/", pin_form(article)),
    ):
        assert response.status_code in (302, 403)
        assert not response.get("Location", "").startswith(PLACEMENTS)

    assert not Placement.objects.exists()
