"""Notification emails: at once, in a daily summary, or never, as each reader chose;
and what a reader's data export says about their alerts and notifications."""

import datetime
import json
import re
import zoneinfo

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from newsroom.accounts.models import Profile
from newsroom.comments import posting
from newsroom.comments.models import Comment
from newsroom.moderation import decisions
from newsroom.moderation.tests.factories import a_moderator, sanction
from newsroom.moderation.tests.helpers import browser_for, signed_in
from newsroom.news.tests.helpers import visible_text

from .. import notices
from ..models import EmailPreference, Notification
from .conftest import client_for, html_of
from .factories import subscribed

KENJI_SAYS = "The seawall vote was long overdue."


@pytest.fixture
def kenji(article, django_capture_on_commit_callbacks):
    """Kenji (verified, signed in) and the comment he posted."""
    reader, client = signed_in("Kenji")
    with django_capture_on_commit_callbacks(execute=True):
        comment = posting.post_comment(page=article, author=reader, body=KENJI_SAYS)
    return reader, client, comment


@pytest.fixture
def aiko(article):
    return signed_in("Aiko")


def quote(source, own_words, passage=KENJI_SAYS):
    return f"[quote={source.pk}]{passage}[/quote]\n\n{own_words}"


def post(client, article, body, capture):
    with capture(execute=True):
        response = client.post(f"/comments/on/{article.pk}/post/", {"body": body})
    assert response.status_code in (200, 302), visible_text(response)
    return Comment.objects.order_by("-pk").first()


def test_a_quoted_reader_is_emailed_at_once_with_a_working_link(
    smtp, article, kenji, aiko, django_capture_on_commit_callbacks
):
    reader, _client, comment = kenji
    _aiko, client = aiko

    reply = post(
        client, article, quote(comment, "Agreed."), django_capture_on_commit_callbacks
    )

    [notice] = Notification.objects.filter(recipient=reader)
    assert (notice.kind, notice.actor, notice.email) == ("quoted", _aiko, "sent")
    [message] = smtp.messages
    assert message["To"] == "kenji@example.com"
    assert "Aiko quoted your comment" in message["Subject"]
    assert "The Tokyo Ledger" in message["Subject"]
    text = smtp.text(message)
    assert f"Aiko quoted you on “{article.title}”" in text
    assert "Hello Kenji," in text
    html_text = re.sub(r"<[^>]+>", "", html_of(message))
    assert f"Aiko quoted you on “{article.title}”" in html_text
    assert "Agreed." in html_text
    [url] = [u for u in smtp.links(message) if "/comments/" in u]
    assert url.endswith(f"/comments/{reply.pk}/")
    browser, path = client_for(url)
    landed = browser.get(path, follow=True)
    assert landed.status_code == 200
    assert landed.redirect_chain[-1][0].endswith(f"#comment-{reply.pk}")
    assert "Agreed." in visible_text(landed)


def test_quoting_yourself_tells_nobody(
    smtp, article, kenji, django_capture_on_commit_callbacks
):
    _reader, client, comment = kenji

    post(
        client,
        article,
        quote(comment, "And I stand by it."),
        django_capture_on_commit_callbacks,
    )

    assert not Notification.objects.exists()
    assert smtp.messages == []


def test_three_quotes_in_one_comment_are_one_notification_and_one_email(
    smtp, article, kenji, aiko, django_capture_on_commit_callbacks
):
    reader, _client, first = kenji
    with django_capture_on_commit_callbacks(execute=True):
        second = posting.post_comment(
            page=article, author=reader, body="Higher walls cost less than floods."
        )
        third = posting.post_comment(
            page=article, author=reader, body="The council should publish the study."
        )
    _aiko, client = aiko
    body = "\n\n".join(
        [
            quote(first, "Yes."),
            quote(second, "Maybe.", passage="Higher walls cost less than floods."),
            quote(third, "Indeed.", passage="The council should publish the study."),
        ]
    )

    post(client, article, body, django_capture_on_commit_callbacks)

    assert Notification.objects.filter(recipient=reader).count() == 1
    assert len(smtp.messages) == 1


def test_with_emails_off_the_notification_is_only_on_the_site(
    smtp, article, kenji, aiko, django_capture_on_commit_callbacks
):
    reader, kenji_client, comment = kenji
    response = kenji_client.post(
        "/alerts/", {"action": "notifications", "frequency": "off"}
    )
    assert response.status_code == 302
    assert EmailPreference.objects.get(user=reader).frequency == "off"
    assert "Saved how we email you about notifications." in visible_text(
        kenji_client.get("/alerts/")
    )

    post(
        aiko[1], article, quote(comment, "Agreed."), django_capture_on_commit_callbacks
    )

    [notice] = Notification.objects.filter(recipient=reader)
    assert notice.email == ""
    assert smtp.messages == []
    assert "Notifications 1 unread" in visible_text(kenji_client.get("/"))


def test_a_bad_preference_is_refused(article, kenji):
    reader, kenji_client, _comment = kenji

    response = kenji_client.post(
        "/alerts/", {"action": "notifications", "frequency": "hourly"}
    )

    assert response.status_code == 400
    assert notices.frequency_of(reader) == "immediately"


def test_daily_readers_get_one_summary_at_eight_in_their_time_zone(
    smtp, article, kenji, aiko, make_reader, django_capture_on_commit_callbacks
):
    reader, kenji_client, comment = kenji
    kenji_client.post("/alerts/", {"action": "notifications", "frequency": "daily"})
    Profile.objects.filter(user=reader).update(time_zone="Europe/Berlin")
    post(
        aiko[1], article, quote(comment, "Agreed."), django_capture_on_commit_callbacks
    )
    make_reader("Mina")
    mina = browser_for("Mina")
    post(
        mina,
        article,
        quote(comment, "Not so sure."),
        django_capture_on_commit_callbacks,
    )
    assert smtp.messages == []
    assert Notification.objects.filter(recipient=reader, email="due").count() == 2

    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    eight = (
        timezone.now()
        .astimezone(berlin)
        .replace(hour=8, minute=0, second=0, microsecond=0)
    )
    for hour in (-1, 1, 9):
        assert notices.send_daily_summaries(eight + datetime.timedelta(hours=hour)) == 0
    assert smtp.messages == []

    assert notices.send_daily_summaries(eight + datetime.timedelta(minutes=10)) == 1
    assert notices.send_daily_summaries(eight + datetime.timedelta(minutes=20)) == 0

    [summary] = smtp.messages
    assert summary["To"] == "kenji@example.com"
    text = smtp.text(summary)
    assert f"Aiko quoted you on “{article.title}”" in text
    assert f"Mina quoted you on “{article.title}”" in text
    assert len(re.findall(r"/comments/\d+/", text)) == 2
    assert set(Notification.objects.values_list("email", flat=True)) == {"sent"}


def test_an_unverified_reader_is_not_emailed(
    smtp, article, aiko, django_capture_on_commit_callbacks
):
    reader, client = signed_in("Kenji")
    with django_capture_on_commit_callbacks(execute=True):
        comment = posting.post_comment(page=article, author=reader, body=KENJI_SAYS)
    # Kenji changed his address since, and has not confirmed the new one.
    EmailAddress.objects.filter(user=reader).update(verified=False)

    post(
        aiko[1], article, quote(comment, "Agreed."), django_capture_on_commit_callbacks
    )

    [notice] = Notification.objects.filter(recipient=reader)
    assert notice.email == ""
    assert smtp.messages == []
    assert "Confirm your email address first" in visible_text(client.get("/alerts/"))


def test_a_suspended_reader_is_neither_notified_nor_emailed(
    smtp, article, kenji, aiko, django_capture_on_commit_callbacks
):
    reader, _client, comment = kenji
    sanction(reader, a_moderator(), kind="suspend", reason="Insults.", days=3)

    post(
        aiko[1], article, quote(comment, "Agreed."), django_capture_on_commit_callbacks
    )

    assert not Notification.objects.filter(recipient=reader).exists()
    assert smtp.messages == []


def test_a_removal_by_a_moderator_emails_the_reason(
    smtp, article, kenji, django_capture_on_commit_callbacks
):
    reader, _client, comment = kenji

    with django_capture_on_commit_callbacks(execute=True):
        decisions.remove_comment(
            comment,
            moderator=a_moderator(),
            custom="Please keep to the topic of the article.",
        )

    [message] = smtp.messages
    assert message["To"] == "kenji@example.com"
    assert "A moderator removed your comment" in message["Subject"]
    text = smtp.text(message)
    assert f"A moderator removed your comment on “{article.title}”." in text
    assert "Reason: Please keep to the topic of the article." in text
    assert KENJI_SAYS not in text
    [url] = {u for u in smtp.links(message) if "/notifications/" in u}
    browser, path = client_for(url)
    assert browser.get(path).status_code == 302  # signed out: to the sign-in page


def test_removal_reasons_are_escaped_in_the_html_part(
    smtp, article, kenji, django_capture_on_commit_callbacks
):
    _reader, _client, comment = kenji

    with django_capture_on_commit_callbacks(execute=True):
        decisions.remove_comment(
            comment, moderator=a_moderator(), custom="<b>No</b> {{ site }}"
        )

    html = html_of(smtp.messages[0])
    assert "&lt;b&gt;No&lt;/b&gt; {{ site }}" in html
    assert "<b>No</b>" not in html


def test_the_data_export_includes_alerts_and_notifications(
    article, kenji, aiko, sites, django_capture_on_commit_callbacks
):
    reader, kenji_client, comment = kenji
    subscribed("kenji@example.com", sites["courier"], digest=True, digest_hour=6)
    post(
        aiko[1], article, quote(comment, "Agreed."), django_capture_on_commit_callbacks
    )

    response = kenji_client.get("/accounts/settings/export/")

    data = json.loads(response.content)
    [notice] = data["notifications"]
    assert (notice["kind"], notice["comment"]) == (
        "quoted",
        Comment.objects.order_by("-pk").first().pk,
    )
    [address] = data["news_alerts"]["addresses"]
    assert address["email"] == "kenji@example.com"
    [subscription] = address["subscriptions"]
    assert subscription["site"] == "Kansai Evening Courier"
    assert (subscription["digest"], subscription["digest_hour"]) == (True, 6)
    assert data["news_alerts"]["notification_emails"] == "immediately"
    assert "aiko" not in json.dumps(data).lower()
