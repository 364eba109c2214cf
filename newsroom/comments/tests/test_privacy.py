"""A reader's comments and votes in their data export and at account deletion."""

import json

from django.test import Client

from newsroom.accounts.models import CommunitySettings
from newsroom.accounts.tests.helpers import PASSWORD, sign_in
from newsroom.news.tests.helpers import visible_text

from ..models import Comment, Thread, Vote
from .factories import set_rules
from .helpers import an_article, last_comment, post


def setup_thread(ledger, make_reader):
    article = an_article()
    set_rules(article)
    make_reader("Leaving")
    make_reader("Staying")
    staying = Client(HTTP_HOST="ledger.localhost")
    sign_in(staying, "Staying")
    post(staying, article, "I stay.")
    kept = last_comment()
    sign_in(ledger, "Leaving")
    post(ledger, article, "Goodbye, everyone.")
    ledger.post(f"/comments/{kept.pk}/vote/", {"value": "up"})
    return article, kept


def test_the_export_holds_comments_and_votes(ledger, network, make_reader):
    _article, kept = setup_thread(ledger, make_reader)

    data = json.loads(ledger.get("/accounts/settings/export/").content)

    [comment] = data["comments"]["comments"]
    assert comment["text"] == "Goodbye, everyone."
    assert data["comments"]["votes"][0]["comment"] == kept.pk
    assert data["notifications"] == []


def test_deleting_an_account_keeps_comments_under_deleted_user(
    ledger, network, make_reader
):
    article, kept = setup_thread(ledger, make_reader)

    ledger.post("/accounts/delete/", {"confirmation": PASSWORD})

    text = visible_text(ledger.get(article.url))
    assert "deleted user" in text
    assert "Goodbye, everyone." in text
    kept.refresh_from_db()
    assert (kept.up_count, Vote.objects.count()) == (0, 0)
    assert Thread.objects.get(page=article).comment_count == 2


def test_a_site_can_remove_the_text_of_deleted_accounts(ledger, network, make_reader):
    article, _kept = setup_thread(ledger, make_reader)
    CommunitySettings.objects.create(
        site=article.get_site(),
        deleted_account_comments=CommunitySettings.CommentPolicy.REMOVE,
    )

    ledger.post("/accounts/delete/", {"confirmation": PASSWORD})

    text = visible_text(ledger.get(article.url))
    assert "Goodbye, everyone." not in text
    assert "1 Comment" in text
    assert Comment.objects.filter(status="deleted", body="").count() == 1
