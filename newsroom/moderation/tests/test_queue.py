"""The moderators' queue in the admin: what it shows, what its actions do."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.db import connection

from newsroom.comments import services as comments
from newsroom.comments.models import Comment
from newsroom.comments.tests.helpers import an_article, no_rate_limit
from newsroom.moderation import services
from newsroom.moderation.models import LogEntry, ModerationSettings, RemovalReason

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(make_reader):
    user = make_reader("Mod Mei")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def desk(moderator, network):
    client = Client()
    client.force_login(moderator)
    return client


def held_comments(article, n, make_reader, prefix="Held"):
    ModerationSettings.objects.update_or_create(
        site=article.get_site(), defaults={"premoderation": "all"}
    )
    made = []
    for i in range(n):
        reader = make_reader(f"{prefix} {i}")
        made.append(
            comments.post_comment(
                page=article, author=reader, body=f"Held opinion number {i}."
            )
        )
    return made


def test_the_queue_lists_held_comments_with_their_context(desk, make_reader):
    article = an_article()
    no_rate_limit(article)
    [held] = held_comments(article, 1, make_reader)

    page = desk.get("/cms/moderation/queue/pending/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Held opinion number 0." in html
    assert article.title in html
    assert "pre-moderation" in html
    assert held.status == Comment.Status.PENDING


def test_approving_from_the_queue_publishes_and_logs(desk, make_reader, moderator):
    article = an_article()
    no_rate_limit(article)
    [held] = held_comments(article, 1, make_reader)

    response = desk.post(
        "/cms/moderation/act/", {"item": f"approve:{held.pk}", "next": "/cms/"}
    )

    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Comment.Status.PUBLISHED
    entry = LogEntry.objects.get()
    assert (entry.action, entry.comment_id, entry.moderator) == (
        "approve",
        held.pk,
        moderator,
    )


def test_bulk_removal_with_a_reason_shows_it_in_the_thread(desk, make_reader):
    article = an_article()
    no_rate_limit(article)
    made = held_comments(article, 3, make_reader)
    for comment in made:
        services.approve(comment, desk_user(desk))
    reason = RemovalReason.objects.get(title="Personal attack")

    desk.post(
        "/cms/moderation/act/",
        {"action": "remove", "comment": [c.pk for c in made], "reason": reason.pk},
    )

    assert Comment.objects.filter(status="removed").count() == 3
    html = Client().get(article.url, HTTP_HOST=article.get_site().hostname)
    assert reason.message in html.content.decode()
    assert "Held opinion number" not in html.content.decode()
    assert LogEntry.objects.filter(action="remove").count() == 3


def desk_user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def test_the_queue_costs_the_same_with_2_or_40_items(desk, make_reader):
    article = an_article()
    no_rate_limit(article)
    held_comments(article, 2, make_reader, prefix="Few")

    def count():
        with CaptureQueriesContext(connection) as context:
            assert desk.get("/cms/moderation/queue/pending/").status_code == 200
        return len(context.captured_queries)

    count()  # the admin's own first-visit work (menus, session) aside
    few = count()
    held_comments(article, 38, make_reader, prefix="Many")
    many = count()
    assert many == few
    print(many)


def test_the_log_exports_csv(desk, make_reader):
    article = an_article()
    no_rate_limit(article)
    [held] = held_comments(article, 1, make_reader)
    services.remove(held, desk_user(desk), custom="=cmd|' /C calc'!A0")

    response = desk.get("/cms/moderation/log/?export=csv")

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode() if response.streaming else (
        response.content.decode()
    )
    assert "Removed a comment" in body or "remove" in body
    assert "\n=cmd" not in body and ",=cmd" not in body
