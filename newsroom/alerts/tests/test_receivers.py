"""Authors hear when a moderator removes their comment or makes it an editor's pick."""

import json

import pytest
from django.test import Client

from newsroom.accounts.tests.helpers import PASSWORD, sign_in
from newsroom.comments import transitions
from newsroom.comments.tests.helpers import last_comment
from newsroom.comments.tests.helpers import post as post_comment
from newsroom.news.tests.helpers import visible_text

from ..models import Notification


@pytest.fixture
def kenji(ledger, make_reader):
    reader = make_reader("Kenji")
    sign_in(ledger, "Kenji")
    return reader


@pytest.fixture
def comment(ledger, article, kenji):
    post_comment(ledger, article, "The seawall vote was long overdue.")
    return last_comment()


def test_the_author_reads_why_a_moderator_removed_their_comment(
    ledger, article, comment, django_capture_on_commit_callbacks
):
    assert "unread" not in visible_text(ledger.get("/"))

    with django_capture_on_commit_callbacks(execute=True):
        transitions.remove_comment(
            comment, reason="Please keep to the topic of the article."
        )

    assert "Notifications 1 unread" in visible_text(ledger.get("/"))
    response = ledger.get("/notifications/")
    text = visible_text(response)
    assert (
        f"A moderator removed your comment on “{article.title}”. "
        "Please keep to the topic of the article. — go to the article"
    ) in text
    html = response.content.decode()
    assert f'href="{article.relative_url(article.get_site())}"' in html
    assert f"/comments/{comment.pk}/" not in html  # its text is gone
    assert "The seawall vote was long overdue." not in text
    [notice] = Notification.objects.filter(recipient=comment.author)
    assert (notice.kind, notice.message) == ("removed", comment.removal_reason)

    ledger.post("/notifications/read/")
    assert "unread" not in visible_text(ledger.get("/"))


def test_the_author_hears_their_comment_became_an_editors_pick(
    ledger, article, comment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transitions.pick_comment(comment)

    assert "Notifications 1 unread" in visible_text(ledger.get("/"))
    response = ledger.get("/notifications/")
    assert (
        f"Your comment on “{article.title}” became an editor's pick. — see the comment"
    ) in visible_text(response)
    assert f'href="/comments/{comment.pk}/"' in response.content.decode()
    see = ledger.get(f"/comments/{comment.pk}/")
    assert see.status_code == 302
    assert see["Location"].endswith(f"#comment-{comment.pk}")

    # Unpicked and picked again: told once.
    with django_capture_on_commit_callbacks(execute=True):
        transitions.unpick_comment(comment)
        transitions.pick_comment(comment)
    assert Notification.objects.filter(kind="picked").count() == 1


def test_removal_reasons_are_escaped(
    ledger, comment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transitions.remove_comment(
            comment, reason="<script>alert(1)</script> {{ user.email }}"
        )

    html = ledger.get("/notifications/").content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ user.email }}" in html
    assert "<script>alert(1)" not in html


def test_a_removed_or_picked_comment_of_a_deleted_account_tells_nobody(
    ledger, comment, django_capture_on_commit_callbacks
):
    ledger.post("/accounts/delete/", {"confirmation": PASSWORD})
    comment.refresh_from_db()
    assert comment.author is None and comment.status == "published"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        transitions.pick_comment(comment)
        transitions.remove_comment(comment, reason="Off topic.")

    assert callbacks  # the hooks were sent, and nobody was told
    assert not Notification.objects.exists()


def test_other_readers_see_nothing_of_someone_elses_notices(
    article, comment, make_reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transitions.remove_comment(comment, reason="Off topic.")
    other = Client(HTTP_HOST="ledger.localhost")
    make_reader("JJE")
    sign_in(other, "JJE")

    text = visible_text(other.get("/notifications/"))

    assert "Off topic." not in text
    assert "Nothing yet." in text


def test_the_data_export_includes_the_removal_reason(
    ledger, comment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transitions.remove_comment(comment, reason="Off topic.")

    data = json.loads(ledger.get("/accounts/settings/export/").content)

    [notice] = data["notifications"]
    assert (notice["kind"], notice["comment"], notice["message"]) == (
        "removed",
        comment.pk,
        "Off topic.",
    )
