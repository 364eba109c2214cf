"""Sanctions as the sanctioned reader meets them, and the log moderators leave."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from conftest import COURIER, clear_cache
from newsroom.comments.models import Comment, Vote
from newsroom.comments.tests.factories import set_rules
from newsroom.comments.tests.helpers import an_article, last_comment
from newsroom.formats.display import news_datetime
from newsroom.news.tests.helpers import visible_text

from .. import decisions, sanctions
from ..models import LogEntry, Report, Sanction
from .factories import a_moderator, sanction
from .helpers import (
    article_text,
    browser_for,
    csrf_token,
    edit,
    post,
    report,
    signed_in,
    vote,
)

REASON = "Repeated personal attacks."


@pytest.fixture
def courier_article(network):
    article = an_article("courier")
    set_rules(article)
    return article


@pytest.fixture
def kenji_account(network):
    return signed_in("Kenji")


@pytest.fixture
def kenji_user(kenji_account):
    return kenji_account[0]


@pytest.fixture
def kenji(kenji_account):
    return kenji_account[1]


@pytest.fixture
def hanas_comment(article):
    _reader, hana = signed_in("Hana")
    post(hana, article, "The fisheries talks deserve a chance.")
    return last_comment()


def until(ends_at) -> str:
    """An end time as pages show it, in the site's time zone."""
    return news_datetime(ends_at)


@pytest.fixture
def suspension(kenji_user, moderator):
    return sanction(kenji_user, moderator, kind="suspend", reason=REASON, days=7)


# Suspensions ----------------------------------------------------------------------


def test_a_suspended_reader_still_reads_and_sees_why_and_until_when(
    article, kenji, suspension
):
    response = kenji.get(article.url)

    text = visible_text(response)
    assert response.status_code == 200
    assert article.title in text
    assert f"Your account is suspended until {until(suspension.ends_at)}." in text
    assert "You can still read everything, but you can't comment" in text
    assert f"Reason: {REASON}" in text
    assert "Your comment, as Kenji" not in text  # no comment box


def test_a_suspended_reader_cannot_post(article, kenji, suspension):
    response = post(kenji, article, "Let me back in.")

    assert response.status_code == 400
    assert (
        "You are suspended from commenting, voting and reporting on our sites until "
        f"{until(suspension.ends_at)}. Reason: {REASON}" in visible_text(response)
    )
    assert "Let me back in." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_suspended_reader_cannot_edit_an_earlier_comment(
    article, kenji, kenji_user, moderator
):
    post(kenji, article, "Written before the suspension.")
    comment = last_comment()
    sanction(kenji_user, moderator, kind="suspend", reason=REASON, days=1)

    response = edit(kenji, comment, "Changed during the suspension.")

    assert response.status_code == 400
    assert "You are suspended from commenting" in visible_text(response)
    comment.refresh_from_db()
    assert comment.body == "Written before the suspension."


def test_a_suspended_reader_cannot_vote(hanas_comment, kenji, suspension):
    response = vote(kenji, hanas_comment, "down")

    text = visible_text(response)
    assert response.status_code == 400
    assert "Your vote was not counted" in text
    assert "You are suspended from commenting, voting and reporting" in text
    hanas_comment.refresh_from_db()
    assert (hanas_comment.up_count, hanas_comment.down_count) == (0, 0)
    assert not Vote.objects.exists()


def test_a_suspended_reader_cannot_report(hanas_comment, kenji, suspension):
    response = report(kenji, hanas_comment, "abuse")

    assert response.status_code == 400
    assert "You are suspended from commenting, voting and reporting" in (
        visible_text(response)
    )
    assert not Report.objects.exists()


def test_of_two_suspensions_the_banner_gives_the_later_end(
    article, kenji, kenji_user, moderator
):
    sanction(kenji_user, moderator, kind="suspend", reason="First offence.", days=1)
    longer = sanction(
        kenji_user, moderator, kind="suspend", reason="Second offence.", days=30
    )

    text = article_text(kenji, article)
    refused = visible_text(post(kenji, article, "When can I post?"))

    assert f"Your account is suspended until {until(longer.ends_at)}." in text
    assert "Reason: Second offence." in text
    assert f"until {until(longer.ends_at)}. Reason: Second offence." in refused


def test_a_suspension_ends_by_itself(article, kenji, suspension):
    assert post(kenji, article, "Too early.").status_code == 400

    Sanction.objects.filter(pk=suspension.pk).update(
        ends_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    clear_cache()  # sanctions are cached per reader for a few minutes

    text = article_text(kenji, article)
    assert "suspended" not in text
    assert "Your comment, as Kenji" in text
    assert post(kenji, article, "Back, and calmer.").status_code == 302


def test_a_suspension_that_ended_in_the_past_does_not_apply(
    article, kenji, kenji_user, moderator
):
    a_week_ago = timezone.now() - datetime.timedelta(days=7)
    sanction(
        kenji_user, moderator, kind="suspend", reason=REASON, days=1, now=a_week_ago
    )

    assert "suspended" not in article_text(kenji, article)
    assert post(kenji, article, "Long forgiven.").status_code == 302


def test_lifting_a_suspension_lets_the_reader_back_at_once(
    article, kenji, suspension, moderator
):
    assert "suspended" in article_text(kenji, article)  # now cached

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert sanctions.lift_sanction(suspension, moderator=moderator)

    assert "suspended" not in article_text(kenji, article)
    assert post(kenji, article, "Thank you.").status_code == 302


# Bans -----------------------------------------------------------------------------


def test_a_site_ban_applies_on_that_site_only(
    article, courier_article, kenji, kenji_user, moderator
):
    sanction(kenji_user, moderator, kind="ban", reason=REASON, site=article.get_site())
    kenji_on_courier = browser_for("Kenji", host=COURIER)

    on_ledger = post(kenji, article, "Hello, Ledger.")
    on_courier = post(kenji_on_courier, courier_article, "Hello, Courier.")

    assert "Your account is banned from commenting." in article_text(kenji, article)
    assert on_ledger.status_code == 400
    assert (
        f"You are banned from commenting on this site. Reason: {REASON}"
        in visible_text(on_ledger)
    )
    assert "banned" not in article_text(kenji_on_courier, courier_article)
    assert on_courier.status_code == 302
    assert list(Comment.objects.values_list("body", flat=True)) == ["Hello, Courier."]


def test_a_network_ban_applies_on_every_site(
    article, courier_article, kenji, kenji_user, moderator
):
    sanction(kenji_user, moderator, kind="ban", reason=REASON)
    kenji_on_courier = browser_for("Kenji", host=COURIER)

    on_ledger = post(kenji, article, "Hello, Ledger.")
    on_courier = post(kenji_on_courier, courier_article, "Hello, Courier.")

    for response in (on_ledger, on_courier):
        assert response.status_code == 400
        assert "You are banned from commenting on our sites." in (
            visible_text(response)
        )
    assert "Your account is banned from commenting." in (
        article_text(kenji_on_courier, courier_article)
    )
    assert not Comment.objects.exists()


# Warnings -------------------------------------------------------------------------


@pytest.fixture
def warning(kenji_user, moderator):
    return sanction(
        kenji_user, moderator, kind="warn", reason="Please keep it civil, Kenji."
    )


def test_a_warning_shows_its_message_with_a_button_to_acknowledge_it(
    article, kenji, warning
):
    response = kenji.get(article.url)

    text, html = visible_text(response), response.content.decode()
    assert "A message from our moderators Please keep it civil, Kenji." in text
    assert "I have read this" in text
    assert f'action="/moderation/warnings/{warning.pk}/acknowledge/"' in html


def test_a_warning_blocks_commenting_and_voting_until_acknowledged(
    article, kenji, warning, hanas_comment
):
    posted = post(kenji, article, "Can I still comment?")
    voted = vote(kenji, hanas_comment, "up")

    message = (
        "Please read the message from our moderators at the top of the page "
        "and acknowledge it first."
    )
    assert posted.status_code == 400
    assert message in visible_text(posted)
    assert voted.status_code == 400
    assert message in visible_text(voted)
    assert Comment.objects.filter(author__username="Kenji").count() == 0
    assert not Vote.objects.exists()


def test_acknowledging_a_warning_clears_it_and_lets_the_reader_comment(
    article, kenji_user, warning
):
    browser = browser_for("Kenji", enforce_csrf_checks=True)
    page = browser.get(article.url)
    path = article.relative_url(article.get_site())
    url = f"/moderation/warnings/{warning.pk}/acknowledge/"

    forged = browser.post(url, {"next": path})
    acknowledged = browser.post(
        url,
        {"next": path, "csrfmiddlewaretoken": csrf_token(page.content.decode())},
    )

    assert forged.status_code == 403
    assert acknowledged.status_code == 302
    assert acknowledged["Location"] == path
    warning.refresh_from_db()
    assert warning.acknowledged_at is not None
    after = browser.get(article.url)
    assert "A message from our moderators" not in visible_text(after)
    response = browser.post(
        f"/comments/on/{article.pk}/post/",
        {
            "body": "Understood, and sorry.",
            "csrfmiddlewaretoken": csrf_token(after.content.decode()),
        },
    )
    assert response.status_code == 302
    assert last_comment().body == "Understood, and sorry."


def test_a_reader_cannot_acknowledge_someone_elses_warning(article, kenji, warning):
    _reader, hana = signed_in("Hana")

    hana.post(f"/moderation/warnings/{warning.pk}/acknowledge/")

    warning.refresh_from_db()
    assert warning.acknowledged_at is None
    assert "Please keep it civil, Kenji." in article_text(kenji, article)
    assert "Please keep it civil, Kenji." not in article_text(hana, article)


# The moderation log ---------------------------------------------------------------


def test_sanctioning_writes_exactly_one_log_entry(kenji_user, moderator):
    made = sanction(kenji_user, moderator, kind="suspend", reason=REASON, days=7)

    entry = LogEntry.objects.get()
    assert entry.action == LogEntry.Action.SANCTION
    assert (entry.moderator, entry.moderator_name) == (moderator, moderator.username)
    assert (entry.reader, entry.reader_name) == (kenji_user, "Kenji")
    assert entry.reason == REASON
    assert entry.details["sanction"] == made.pk
    assert entry.details["kind"] == "suspend"


def test_removing_writes_one_log_entry_and_removing_again_none(
    hanas_comment, moderator
):
    assert decisions.remove_comment(hanas_comment, moderator=moderator)
    assert not decisions.remove_comment(hanas_comment, moderator=moderator)

    entry = LogEntry.objects.get()
    assert entry.action == LogEntry.Action.REMOVE
    assert entry.comment_id == hanas_comment.pk
    assert entry.reader_name == "Hana"
    assert entry.reason == (
        "This comment has been removed for violating our community guidelines."
    )


def test_approving_what_is_not_held_writes_no_log_entry(hanas_comment, moderator):
    assert not decisions.approve_comment(hanas_comment, moderator=moderator)
    assert not decisions.restore_comment(hanas_comment, moderator=moderator)

    assert not LogEntry.objects.exists()


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("staff", "Staff accounts can't be sanctioned here."),
        ("moderator", "Staff accounts can't be sanctioned here."),
        ("self", "You can't sanction yourself."),
    ],
)
def test_a_refused_sanction_writes_no_log_entry(network, moderator, who, message):
    target = {
        "staff": lambda: get_user_model().objects.create_user(
            "Editor Bo", is_staff=True
        ),
        "moderator": lambda: a_moderator("Moderator Cy"),
        "self": lambda: moderator,
    }[who]()

    with pytest.raises(ValidationError, match=message):
        sanctions.sanction_reader(
            target, moderator=moderator, kind="ban", reason=REASON
        )

    assert not Sanction.objects.exists()
    assert not LogEntry.objects.exists()


def test_an_ordinary_reader_cannot_sanction_or_remove(kenji_user, hanas_comment):
    with pytest.raises(PermissionDenied):
        sanctions.sanction_reader(
            hanas_comment.author,
            moderator=kenji_user,
            kind="ban",
            reason="I dislike Hana.",
        )
    with pytest.raises(PermissionDenied):
        decisions.remove_comment(hanas_comment, moderator=kenji_user)

    assert not Sanction.objects.exists()
    assert not LogEntry.objects.exists()
    hanas_comment.refresh_from_db()
    assert hanas_comment.status == Comment.Status.PUBLISHED


def test_log_entries_cannot_be_changed_or_deleted(kenji_user, moderator):
    sanction(kenji_user, moderator, kind="warn", reason=REASON)
    entry = LogEntry.objects.get()

    entry.reason = "Nothing happened."
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        LogEntry.objects.filter(pk=entry.pk).update(reason="Nothing happened.")
    with pytest.raises(PermissionDenied):
        LogEntry.objects.all().delete()

    assert LogEntry.objects.get().reason == REASON
