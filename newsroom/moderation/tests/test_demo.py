"""The demo's moderation (newsroom/demo/moderation.py), as the desk and readers see it.

The full demo takes a minute to load, so these tests add the demo's heated thread, its
readers and its commenters to the suite's baseline (the small test network), once
for the module (conftest.module_db); comments/tests/test_demo.py checks the real
`load_demo` output.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, TestCase

from conftest import LEDGER
from newsroom.comments.models import Comment
from newsroom.demo import content, discussion
from newsroom.demo import moderation as demo
from newsroom.demo.loader import load_demo_network
from newsroom.moderation.models import (
    MODERATORS_GROUP,
    CommentReview,
    LogEntry,
    Report,
    Sanction,
)
from newsroom.news.tests import network as small
from newsroom.news.tests.helpers import visible_text

pytestmark = pytest.mark.django_db

HEATED = discussion.HEATED
HEATED_SPEC = next(a for a in content.ARTICLES if a["headline"] == HEATED["headline"])
DISCUSSED = SimpleNamespace(
    SITES=small.SITES,
    AGENCIES=small.AGENCIES
    + [a for a in content.AGENCIES if a["name"] == HEATED_SPEC["agency"]],
    AUTHORS=small.AUTHORS
    + [a for a in content.AUTHORS if a["name"] in HEATED_SPEC["authors"]],
    ARTICLES=[*small.ARTICLES, HEATED_SPEC],
    READERS=content.READERS,
    COMMENTERS=discussion.COMMENTERS,
    HEATED=HEATED,
)


def load():
    # What waits for the commit (forgetting the cached sanctions of the suspended
    # reader, live events) runs as it does after `load_demo`'s transactions.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return load_demo_network(
            port=80, content=DISCUSSED, draw_photo=small.small_photo
        )


@pytest.fixture(scope="module")
def discussed(module_db, django_db_blocker):
    """The small network with the demo's heated thread, moderated by the demo."""
    with django_db_blocker.unblock():
        return load()


@pytest.fixture
def network(discussed, db):
    return discussed


@pytest.fixture
def article(network):
    return next(a for a in network.articles if a.title == HEATED["headline"])


def desk_client() -> Client:
    """The demo moderator, signed in through the admin's sign-in page."""
    name, _email, password = demo.MODERATOR
    client = Client(HTTP_HOST=LEDGER)
    signed_in = client.post("/cms/login/", {"username": name, "password": password})
    assert signed_in.status_code == 302, signed_in.content.decode()[:2000]
    return client


def test_the_demo_moderator_reaches_the_admin_through_the_group_alone(network):
    user = get_user_model().objects.get(username=demo.MODERATOR[0])
    assert not user.is_superuser and not user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [MODERATORS_GROUP]
    assert user.emailaddress_set.get().verified
    assert ("Moderator", *demo.MODERATOR[::2], "/cms/") in network.sign_ins

    client = desk_client()

    assert client.get("/cms/").status_code == 200
    log = client.get("/cms/moderation/log/")
    assert log.status_code == 200
    assert "Removed a comment" in log.content.decode()
    assert "Sanctioned a reader" in log.content.decode()


def test_the_queue_has_held_hidden_reported_and_removed_comments(network):
    client = desk_client()

    pending = client.get("/cms/moderation/queue/pending/")
    reported = client.get("/cms/moderation/queue/reported/")
    removed = client.get("/cms/moderation/queue/removed/")

    assert [pending.status_code, reported.status_code, removed.status_code] == [200] * 3
    text = visible_text(pending)
    assert "2 comments in this tab" in text
    assert demo.ADVERT in text and "suspect word: guaranteed returns" in text
    assert demo.SNEER in text and "3 reports" in text
    assert "Abuse or harassment: Talks down to everyone in the thread." in text
    assert "Off-topic" in text and "Something else (please say what)" in text
    text = visible_text(reported)
    assert "2 comments in this tab" in text
    assert "Ships are big. Sea is wet." in text and "Off-topic" in text
    assert "Who actually pays?" in text and "Misinformation: The article" in text
    text = visible_text(removed)
    assert demo.JAB in text and "personal attacks are not allowed" in text
    assert "Suspension" in text  # the author's record beside the comment


def test_the_thread_still_counts_47_and_shows_the_removal_in_place(article):
    thread = Comment.objects.filter(thread__page=article)
    assert thread.filter(status=Comment.Status.PUBLISHED).count() == 47
    assert thread.filter(status=Comment.Status.PENDING).count() == 2
    assert thread.filter(status=Comment.Status.REMOVED).count() == 1

    page = Client(HTTP_HOST=LEDGER).get(article.url)

    text = visible_text(page)
    assert "47 Comments" in text
    assert "This comment has been removed: personal attacks are not allowed." in text
    for hidden in (demo.JAB, demo.SNEER, demo.ADVERT):
        assert hidden not in text


def test_the_held_comment_shows_to_its_author_only(article):
    author = get_user_model().objects.get(username="Container Deals 24")
    client = Client(HTTP_HOST=LEDGER)
    client.force_login(author)

    text = visible_text(client.get(article.url))

    assert demo.ADVERT in text and "Awaiting review" in text


def test_the_suspended_reader_sees_the_banner_and_cannot_comment(network, article):
    name, password = next((n, p) for n, p in demo.ROUGH_READERS if p)
    assert ("suspended", name, password, "/accounts/login/") in network.sign_ins
    client = Client(HTTP_HOST=LEDGER)
    signed_in = client.post("/accounts/login/", {"login": name, "password": password})
    assert signed_in.status_code == 302

    page = client.get(article.url)

    text = visible_text(page)
    assert "Your account is suspended until" in text
    assert demo.SUSPENSION_REASON in text
    suspension = Sanction.objects.get(user__username=name)
    assert suspension.kind == Sanction.Kind.SUSPEND
    assert suspension.duration.days == demo.SUSPENSION_DAYS
    before = Comment.objects.count()
    refused = client.post(
        f"/comments/on/{article.pk}/post/", {"body": "Back again, and sorry."}
    )
    assert refused.status_code == 400
    assert "You are suspended from commenting" in visible_text(refused)
    assert Comment.objects.count() == before


def test_the_log_holds_the_real_service_calls(network):
    entries = list(LogEntry.objects.order_by("at", "pk"))
    assert [e.action for e in entries] == ["remove", "sanction"]
    assert {e.moderator_name for e in entries} == {demo.MODERATOR[0]}
    assert entries[0].details == {"reason": demo.REMOVAL_REASON}
    assert entries[1].reason == demo.SUSPENSION_REASON
    assert entries[1].details["comment"] == entries[0].comment_id
    assert network.created["moderation log entries"] == 2


def test_loading_again_changes_nothing(network):
    def state():
        return (
            sorted(Comment.objects.values_list("pk", "status")),
            Report.objects.count(),
            sorted(CommentReview.objects.values_list("comment_id", "open_reports")),
            LogEntry.objects.count(),
            Sanction.objects.count(),
            get_user_model().objects.count(),
        )

    before = state()
    again = load()

    assert state() == before
    assert not any(again.created.values()), again.created
