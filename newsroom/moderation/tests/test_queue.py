"""The moderators' queue in the admin: what it shows, what its actions do."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom.comments import posting
from newsroom.comments.models import Comment
from newsroom.comments.tests.factories import set_rules
from newsroom.comments.tests.helpers import an_article
from newsroom.moderation import decisions, services
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
            posting.post_comment(
                page=article, author=reader, body=f"Held opinion number {i}."
            )
        )
    return made


def test_the_queue_lists_held_comments_with_their_context(desk, make_reader):
    article = an_article()
    set_rules(article)
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
    set_rules(article)
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
    set_rules(article)
    made = held_comments(article, 3, make_reader)
    for comment in made:
        decisions.approve_comment(comment, moderator=desk_user(desk))
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
    set_rules(article)
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


def test_the_log_exports_csv(desk, make_reader):
    article = an_article()
    set_rules(article)
    [held] = held_comments(article, 1, make_reader)
    decisions.remove_comment(
        held, moderator=desk_user(desk), custom="=cmd|' /C calc'!A0"
    )

    response = desk.get("/cms/moderation/log/?export=csv")

    assert response.status_code == 200
    body = (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else (response.content.decode())
    )
    assert "Removed a comment" in body
    assert "\n=cmd" not in body and ",=cmd" not in body


def test_restore_pick_and_dismiss_from_the_queue(desk, make_reader, moderator):
    article = an_article()
    set_rules(article)
    first, second = held_comments(article, 2, make_reader)
    for comment in (first, second):
        decisions.approve_comment(comment, moderator=moderator)
    reporter = make_reader("Reporter Rin")
    services.report_comment(second, reporter=reporter, reason="off_topic")

    desk.post("/cms/moderation/act/", {"item": f"remove:{first.pk}"})
    desk.post("/cms/moderation/act/", {"item": f"restore:{first.pk}"})
    desk.post("/cms/moderation/act/", {"item": f"pick:{first.pk}"})
    reported = desk.get("/cms/moderation/queue/reported/").content.decode()
    desk.post("/cms/moderation/act/", {"item": f"dismiss:{second.pk}"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "published" and first.picked_at is not None
    assert "Off-topic" in reported and "Held opinion number 1." in reported
    assert second.status == "published"
    assert not second.reports.filter(resolved_at__isnull=True).exists()
    thread = Client().get(article.url, HTTP_HOST=article.get_site().hostname)
    html = thread.content.decode()
    assert "Editor&#x27;s picks" in html or "Editor's picks" in html
    assert [e.action for e in LogEntry.objects.order_by("at", "pk")][-4:] == [
        "remove",
        "restore",
        "pick",
        "dismiss",
    ]


def test_an_action_that_changes_nothing_is_not_logged(desk, make_reader, moderator):
    article = an_article()
    set_rules(article)
    [held] = held_comments(article, 1, make_reader)
    decisions.approve_comment(held, moderator=moderator)
    logged = LogEntry.objects.count()

    again = desk.post("/cms/moderation/act/", {"item": f"approve:{held.pk}"})
    unknown = desk.post("/cms/moderation/act/", {"item": "remove:999999"})
    nonsense = desk.post("/cms/moderation/act/", {"item": "explode:1"})
    too_many = desk.post(
        "/cms/moderation/act/",
        {"action": "remove", "comment": [str(i) for i in range(1, 300)]},
    )
    huge_reason = desk.post(
        "/cms/moderation/act/",
        {"item": f"remove:{held.pk}", "custom": "x" * 100_000},
    )

    assert {
        r.status_code for r in (again, unknown, nonsense, too_many, huge_reason)
    } == {302}
    assert LogEntry.objects.count() == logged
    held.refresh_from_db()
    assert held.status == "published"


def test_sanctions_from_the_readers_record(desk, make_reader, moderator, network):
    reader = make_reader("Loud Lou")
    record = desk.get(f"/cms/moderation/readers/{reader.pk}/")
    assert record.status_code == 200

    refused = desk.post(
        f"/cms/moderation/readers/{reader.pk}/sanction/",
        {"kind": "suspend", "reason": "Repeated personal attacks."},
    )
    suspended = desk.post(
        f"/cms/moderation/readers/{reader.pk}/sanction/",
        {"kind": "suspend", "length": "7", "reason": "Repeated personal attacks."},
    )

    assert refused.status_code == suspended.status_code == 302
    sanction = reader.sanctions.get()
    assert sanction.kind == "suspend" and sanction.site is None
    assert (sanction.ends_at - sanction.starts_at).days == 7
    page = desk.get(f"/cms/moderation/readers/{reader.pk}/").content.decode()
    assert "Repeated personal attacks." in page

    desk.post(f"/cms/moderation/sanctions/{sanction.pk}/lift/")
    sanction.refresh_from_db()
    assert sanction.lifted_at is not None
    assert list(
        LogEntry.objects.filter(reader=reader).values_list("action", flat=True)
    ) == ["lift", "sanction"]


def test_a_moderator_cannot_sanction_staff_or_themselves(desk, moderator, network):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("Chief", "chief@example.com", "x")
    for target in (admin, moderator):
        desk.post(
            f"/cms/moderation/readers/{target.pk}/sanction/",
            {"kind": "ban", "reason": "Testing the rules."},
        )
    assert not LogEntry.objects.exists()
    assert not admin.sanctions.exists() and not moderator.sanctions.exists()


def test_slow_mode_and_premoderation_for_one_article(desk, make_reader):
    article = an_article()
    page = desk.get(f"/cms/moderation/articles/{article.pk}/")
    assert page.status_code == 200

    desk.post(
        f"/cms/moderation/articles/{article.pk}/",
        {"premoderate": "on", "slow_mode_seconds": "300"},
    )
    bad = desk.post(
        f"/cms/moderation/articles/{article.pk}/", {"slow_mode_seconds": "-5"}
    )

    assert bad.status_code == 400
    rules = article.moderation_rules
    assert (rules.premoderate, rules.slow_mode_seconds) == (True, 300)
    assert LogEntry.objects.filter(action="article").count() == 1


def test_the_queue_shows_its_size_and_the_median_wait(desk, make_reader, moderator):
    from newsroom.moderation.models import CommentReview

    article = an_article()
    set_rules(article)
    made = held_comments(article, 3, make_reader)
    now = timezone.now()
    for minutes, comment in zip((10, 20, 90), made, strict=True):
        CommentReview.objects.filter(comment=comment).update(
            waiting_since=now - datetime.timedelta(minutes=minutes)
        )
    before = desk.get("/cms/moderation/queue/pending/").content.decode()
    for comment in made:
        decisions.approve_comment(comment, moderator=moderator, now=now)

    after = desk.get("/cms/moderation/queue/pending/").content.decode()

    assert "3 comments in this tab" in before
    assert "waiting 1 h 30 min" in before
    assert "0 comments in this tab" in after
    # Waits of 10, 20 and 90 minutes: the median is 20.
    assert "median wait 20 min (the last 3 decisions, 7 days)" in " ".join(
        after.split()
    )
