"""Readers report comments; enough reports hide one until a moderator decides."""

import pytest
from django.test import Client

from conftest import LEDGER
from newsroom.comments.models import Comment
from newsroom.comments.tests.factories import set_rules
from newsroom.comments.tests.helpers import last_comment
from newsroom.news.tests.helpers import visible_text
from newsroom.ratelimit.tests.helpers import refusal

from .. import decisions
from ..models import CommentReview, Report
from .factories import a_moderator
from .helpers import article_html, article_text, post, report, signed_in

REPORTER = "Watchful Hana"


@pytest.fixture
def comment(article, kenji):
    post(kenji, article, "The reef belongs to whoever fishes it.")
    return last_comment()


@pytest.fixture
def hana(network):
    return signed_in(REPORTER)[1]


def reports_of(comment):
    return Report.objects.filter(comment=comment)


def test_readers_see_a_report_link_on_others_comments_only(
    article, comment, kenji, hana
):
    link = f'href="/comments/{comment.pk}/report/"'

    assert link in article_html(hana, article)
    assert link not in article_html(kenji, article)


def test_the_report_form_offers_the_reasons_and_keeps_the_reporter_anonymous(
    comment, hana
):
    response = hana.get(f"/comments/{comment.pk}/report/")

    text = visible_text(response)
    assert response.status_code == 200
    assert "Report a comment" in text
    assert "The reef belongs to whoever fishes it." in text
    for label in ["Spam or advertising", "Abuse or harassment", "Off-topic"]:
        assert label in text
    assert "The author is not told who reported their comment." in text


def test_a_verified_reader_reports_with_a_reason_and_is_thanked(article, comment, hana):
    response = report(hana, comment, "abuse", "Goading other readers.")

    text = visible_text(response)
    assert response.status_code == 200
    assert "Thank you for your report" in text
    assert "The author is not told who reported it." in text
    made = reports_of(comment).get()
    assert (made.reason, made.note, made.reporter.username) == (
        "abuse",
        "Goading other readers.",
        REPORTER,
    )
    review = CommentReview.objects.get(comment=comment)
    assert (review.report_count, review.open_reports) == (1, 1)
    assert review.waiting_since is not None
    assert "The reef belongs to whoever fishes it." in article_text(hana, article)


def test_a_reader_reports_a_comment_only_once(comment, hana):
    report(hana, comment, "spam")

    again = report(hana, comment, "abuse")
    form = hana.get(f"/comments/{comment.pk}/report/")

    assert again.status_code == 400
    assert "You have reported this comment." in visible_text(again)
    assert "Send report" not in visible_text(form)
    assert reports_of(comment).count() == 1
    assert CommentReview.objects.get(comment=comment).report_count == 1


def test_readers_cannot_report_their_own_comment(comment, kenji):
    response = report(kenji, comment, "spam")

    assert response.status_code == 400
    assert "You can't report your own comment." in visible_text(response)
    assert not reports_of(comment).exists()


def test_a_removed_comment_cannot_be_reported(comment, hana):
    decisions.remove_comment(comment, moderator=a_moderator())

    response = report(hana, comment, "spam")

    assert response.status_code == 400
    assert "This comment is no longer shown, so there is nothing to report." in (
        visible_text(response)
    )
    assert not reports_of(comment).exists()


def test_a_comment_awaiting_review_cannot_be_reported(article, kenji, hana):
    set_rules(article, premoderation="all")
    post(kenji, article, "Not yet public.")

    response = report(hana, last_comment(), "spam")

    assert response.status_code == 404
    assert not Report.objects.exists()


def test_something_else_needs_a_note(comment, hana):
    without = report(hana, comment, "other", "   ")
    with_note = report(hana, comment, "other", "Copied from another site.")

    assert without.status_code == 400
    assert "Please say what is wrong with this comment." in visible_text(without)
    assert with_note.status_code == 200
    assert reports_of(comment).get().note == "Copied from another site."


def test_a_note_of_a_hundred_thousand_characters_is_refused(comment, hana):
    response = report(hana, comment, "spam", "x" * 100_000)

    assert response.status_code == 400
    assert (
        "Please keep the note under 1000 characters; yours has 100000."
        in visible_text(response)
    )
    assert "x" * 2000 not in response.content.decode()  # not sent back either
    assert not reports_of(comment).exists()
    assert not CommentReview.objects.filter(report_count__gt=0).exists()


def test_an_unknown_reason_is_refused(comment, hana):
    response = report(hana, comment, "boring")

    assert response.status_code == 400
    assert "Choose a reason for your report." in visible_text(response)
    assert not reports_of(comment).exists()


def test_anonymous_visitors_are_sent_to_sign_in(comment):
    visitor = Client(HTTP_HOST=LEDGER)

    for response in (
        visitor.get(f"/comments/{comment.pk}/report/"),
        report(visitor, comment, "spam"),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert not Report.objects.exists()


def test_an_unverified_reader_cannot_report(comment):
    _reader, unverified = signed_in("Tanuki", verified=False)

    response = report(unverified, comment, "spam")

    assert response.status_code == 400
    assert "Please confirm your email address before reporting comments." in (
        visible_text(response)
    )
    assert not Report.objects.exists()


def test_enough_reports_hide_the_comment_until_a_moderator_decides(
    article, comment, kenji, hana
):
    set_rules(article, report_threshold=3)
    others = [signed_in(name)[1] for name in ("Reporter Two", "Reporter Three")]
    body = "The reef belongs to whoever fishes it."

    report(hana, comment, "abuse")
    report(others[0], comment, "abuse")
    still_up = article_text(hana, article)
    report(others[1], comment, "hate")

    comment.refresh_from_db()
    assert body in still_up
    assert comment.status == Comment.Status.PENDING
    for reader in [hana, *others, Client(HTTP_HOST=LEDGER)]:
        html = article_html(reader, article)
        assert body not in html
        assert "No comments yet" in visible_text(reader.get(article.url))
    assert f"Awaiting review {body}" in article_text(kenji, article)
    assert CommentReview.objects.get(comment=comment).open_reports == 3


def test_approving_a_hidden_comment_brings_it_back_and_closes_the_reports(
    article, comment, hana
):
    set_rules(article, report_threshold=1)
    report(hana, comment, "spam")

    assert decisions.approve_comment(comment, moderator=a_moderator())

    assert "The reef belongs to whoever fishes it." in article_text(hana, article)
    assert "1 Comment" in article_text(hana, article)
    assert not reports_of(comment).filter(resolved_at__isnull=True).exists()
    assert CommentReview.objects.get(comment=comment).open_reports == 0


def test_the_author_is_never_told_who_reported(article, comment, kenji, hana):
    set_rules(article, report_threshold=1)

    report(hana, comment, "abuse", "Please look at this.")

    assert REPORTER not in article_html(kenji, article)
    notifications = kenji.get("/notifications/")
    assert notifications.status_code == 200
    assert REPORTER not in notifications.content.decode()
    decisions.remove_comment(comment, moderator=a_moderator())
    assert REPORTER not in article_html(kenji, article)
    assert REPORTER not in kenji.get("/notifications/").content.decode()


def test_a_burst_of_reports_is_stopped_with_a_clear_message(article, kenji, hana):
    set_rules(article, reports_per_minute=1)
    post(kenji, article, "First comment.")
    first = last_comment()
    post(kenji, article, "Second comment.")
    second = last_comment()

    allowed = report(hana, first, "spam")
    refused = report(hana, second, "other", "Same as the first, I think.")

    assert allowed.status_code == 200
    assert refused.status_code == 429
    lead = "Too many reports in a short time."
    assert refusal(lead, refused, 60) in visible_text(refused)
    assert "Same as the first, I think.</textarea>" in refused.content.decode()
    assert list(Report.objects.values_list("comment", flat=True)) == [first.pk]
