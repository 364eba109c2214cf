"""The links in alert emails: one-click unsubscribe (RFC 8058) and its mailto, and
the manage page, reached signed in or from an emailed link."""

import datetime
import io
import re
import sys
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from conftest import LEDGER
from newsroom.accounts.tests.helpers import sign_in
from newsroom.moderation.tests.helpers import csrf_token
from newsroom.news.tests.helpers import visible_text

from .. import tokens
from ..models import Subscriber, Subscription
from .conftest import client_for, link, list_unsubscribe, section, token_of
from .factories import publish_breaking, subscribed

ONE_CLICK = "List-Unsubscribe=One-Click"


@pytest.fixture
def ines(sites):
    """Ines, who confirmed breaking news from the Ledger an hour ago."""
    subscription = subscribed("ines@example.org", sites["ledger"])
    Subscription.objects.filter(pk=subscription.pk).update(
        confirmed_at=timezone.now() - datetime.timedelta(hours=1)
    )
    subscription.refresh_from_db()
    return subscription


@pytest.fixture
def alert_email(smtp, sites, ines, django_capture_on_commit_callbacks):
    """The breaking alert Ines received."""
    with django_capture_on_commit_callbacks(execute=True):
        publish_breaking(section(sites["ledger"], "world"), "Reef deal", slug="reef")
    [message] = smtp.to("ines@example.org")
    return message


def breaking_again(sites, slug, capture):
    with capture(execute=True):
        publish_breaking(section(sites["ledger"], "world"), f"News {slug}", slug=slug)


def one_click(url):
    """What a mail provider does for List-Unsubscribe-Post: no cookies, no token."""
    browser, path = client_for(url, enforce_csrf_checks=True)
    return browser.post(
        path, ONE_CLICK, content_type="application/x-www-form-urlencoded"
    )


def test_one_click_unsubscribes_without_a_session_or_csrf_token(
    smtp, sites, ines, alert_email, django_capture_on_commit_callbacks
):
    web, _mailto = list_unsubscribe(alert_email)
    browser, path = client_for(web)

    asked = browser.get(path)  # a link scanner, or the reader opening the link
    assert asked.status_code == 200
    assert (
        "Stop sending breaking news emails from The Tokyo Ledger to ines@example.org?"
        in visible_text(asked)
    )
    ines.refresh_from_db()
    assert ines.breaking

    response = one_click(web)

    assert response.status_code == 200
    assert "Done: ines@example.org will get no more breaking news emails" in (
        visible_text(response)
    )
    ines.refresh_from_db()
    assert not ines.breaking
    breaking_again(sites, "later", django_capture_on_commit_callbacks)
    assert len(smtp.to("ines@example.org")) == 1

    again = one_click(web)
    assert again.status_code == 200
    assert "was already unsubscribed" in visible_text(again)


def test_the_unsubscribe_link_in_the_text_is_the_one_click_link(alert_email, smtp):
    web, _mailto = list_unsubscribe(alert_email)

    assert link(smtp, alert_email, "/alerts/unsubscribe/") == web


def tampered(token: str) -> str:
    middle = len(token) // 3
    swap = "B" if token[middle] != "B" else "C"
    return token[:middle] + swap + token[middle + 1 :]


def test_a_tampered_link_changes_nothing(ines, alert_email):
    web, _mailto = list_unsubscribe(alert_email)
    token = token_of(web)
    browser, _path = client_for(web, enforce_csrf_checks=True)

    for bad in (tampered(token), token[:-1], token + "x", "nonsense"):
        response = browser.post(
            f"/alerts/unsubscribe/{bad}/",
            ONE_CLICK,
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 400, bad
        assert "This link is not valid" in visible_text(response)
        assert "Nothing was changed" in visible_text(response)
    ines.refresh_from_db()
    assert ines.breaking


def test_an_expired_link_changes_nothing(ines, alert_email, monkeypatch):
    web, _mailto = list_unsubscribe(alert_email)
    monkeypatch.setitem(
        tokens.MAX_AGE, tokens.UNSUBSCRIBE, datetime.timedelta(seconds=-1)
    )

    response = one_click(web)

    assert response.status_code == 400
    assert "This link has expired. Nothing was changed." in visible_text(response)
    ines.refresh_from_db()
    assert ines.breaking


def test_an_old_link_replayed_after_subscribing_again_changes_nothing(
    ledger, smtp, sites, ines, alert_email, django_capture_on_commit_callbacks
):
    web, _mailto = list_unsubscribe(alert_email)
    one_click(web)
    ines.refresh_from_db()
    assert not ines.breaking

    # Ines changes her mind, subscribes again and confirms from the new email.
    with django_capture_on_commit_callbacks(execute=True):
        response = ledger.post(
            "/alerts/subscribe/",
            {"email": "ines@example.org", "breaking": "on", "digest_hour": "7"},
        )
    assert "Check your inbox" in visible_text(response)
    [confirmation] = [
        m for m in smtp.to("ines@example.org") if "Confirm" in m["Subject"]
    ]
    browser, path = client_for(link(smtp, confirmation, "/alerts/confirm/"))
    assert "Thank you" in visible_text(browser.post(path))
    ines.refresh_from_db()
    assert ines.breaking

    replayed = one_click(web)

    assert replayed.status_code == 400
    assert "This link is from an older email" in visible_text(replayed)
    ines.refresh_from_db()
    assert ines.breaking
    # The next alert carries a link that works.
    breaking_again(sites, "next", django_capture_on_commit_callbacks)
    latest = smtp.to("ines@example.org")[-1]
    assert one_click(list_unsubscribe(latest)[0]).status_code == 200
    ines.refresh_from_db()
    assert not ines.breaking


def test_an_old_link_replayed_after_turning_alerts_on_again_changes_nothing(
    smtp, ines, alert_email
):
    web, _mailto = list_unsubscribe(alert_email)
    one_click(web)
    browser, path = client_for(link(smtp, alert_email, "/alerts/manage/"))

    browser.post(path, fields(ines, breaking="on", digest_hour=7))
    ines.refresh_from_db()
    assert ines.breaking

    assert one_click(web).status_code == 400
    ines.refresh_from_db()
    assert ines.breaking


def test_the_mailto_route_unsubscribes(ines, alert_email, monkeypatch):
    web, mailto = list_unsubscribe(alert_email)
    parsed = urlparse(mailto)
    [subject] = parse_qs(parsed.query)["subject"]
    assert unquote(subject) == f"unsubscribe {token_of(web)}"
    request = EmailMessage()
    request["From"] = "ines@example.org"
    request["To"] = parsed.path
    request["Subject"] = subject
    request.set_content("Sent from my phone")
    stdin = io.TextIOWrapper(io.BytesIO(request.as_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)
    out = io.StringIO()

    call_command("unsubscribe_from_mail", stdout=out)

    assert "unsubscribed" in out.getvalue()
    ines.refresh_from_db()
    assert not ines.breaking


def test_a_mail_without_a_token_changes_nothing(ines, monkeypatch):
    request = EmailMessage()
    request["Subject"] = "unsubscribe me please"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(request.as_bytes())))
    err = io.StringIO()

    call_command("unsubscribe_from_mail", stderr=err)

    assert "not valid" in err.getvalue()
    ines.refresh_from_db()
    assert ines.breaking


# The manage page -------------------------------------------------------------------


@pytest.fixture
def kenji(ledger, sites, make_reader):
    """Kenji, signed in, with alerts from both sites at his verified address."""
    make_reader("Kenji")
    sign_in(ledger, "Kenji")
    return {
        "ledger": subscribed("kenji@example.com", sites["ledger"]),
        "courier": subscribed("kenji@example.com", sites["courier"], digest=True),
    }


def fields(subscription, **values):
    prefix = f"s{subscription.pk}-"
    return {
        "action": "save",
        "subscription": subscription.pk,
        **{prefix + name: value for name, value in values.items()},
    }


def test_a_signed_in_reader_changes_their_alerts_on_both_sites(ledger, sites, kenji):
    page = visible_text(ledger.get("/alerts/"))
    assert "The Tokyo Ledger" in page and "Kansai Evening Courier" in page
    world = section(sites["ledger"], "world")
    mine = kenji["ledger"]

    response = ledger.post(
        "/alerts/",
        fields(mine, breaking="on", digest="on", digest_hour=18, sections=[world.pk]),
    )

    assert response.status_code == 302
    assert "Saved your alerts from The Tokyo Ledger." in visible_text(
        ledger.get("/alerts/")
    )
    mine.refresh_from_db()
    assert (mine.breaking, mine.digest, mine.digest_hour) == (True, True, 18)
    assert list(mine.sections.all()) == [world]

    ledger.post("/alerts/", fields(mine, digest="on", digest_hour=18))  # breaking off
    mine.refresh_from_db()
    assert (mine.breaking, mine.digest) == (False, True)
    assert list(mine.sections.all()) == []  # none ticked: every section

    ledger.post("/alerts/", {"action": "time_zone", "time_zone": "Europe/Paris"})
    assert Subscriber.objects.get().time_zone == "Europe/Paris"

    ledger.post("/alerts/", {"action": "unsubscribe", "subscription": mine.pk})
    mine.refresh_from_db()
    assert (mine.breaking, mine.digest) == (False, False)
    courier = Subscription.objects.get(pk=kenji["courier"].pk)
    assert (courier.breaking, courier.digest) == (True, True)

    ledger.post("/alerts/", {"action": "unsubscribe_all"})
    assert not Subscription.objects.filter(breaking=True).exists()
    assert not Subscription.objects.filter(digest=True).exists()
    assert "You will get no more news alerts from any of our sites." in (
        visible_text(ledger.get("/alerts/"))
    )


def test_nothing_to_receive_is_refused_on_the_manage_page(ledger, kenji):
    mine = kenji["ledger"]

    response = ledger.post("/alerts/", fields(mine, digest_hour=7))

    assert response.status_code == 400
    assert "Choose breaking news, the daily digest or both" in visible_text(response)
    mine.refresh_from_db()
    assert mine.breaking


def test_bad_posts_to_the_manage_page_change_nothing(ledger, sites, kenji):
    stranger = subscribed("stranger@example.org", sites["ledger"])
    before = list(Subscription.objects.order_by("pk").values())

    for data in (
        fields(stranger, digest="on", digest_hour=3),
        {"action": "unsubscribe", "subscription": stranger.pk},
        {"action": "unsubscribe", "subscription": 99999},
        {"action": "save", "subscription": "x"},
        {"action": "explode"},
        {},
    ):
        response = ledger.post("/alerts/", data)
        assert response.status_code == 400, data
        assert "That change could not be made; nothing was changed." in (
            visible_text(response)
        )
    assert list(Subscription.objects.order_by("pk").values()) == before
    assert "stranger@example.org" not in visible_text(ledger.get("/alerts/"))


def test_an_address_without_an_account_manages_its_alerts_from_an_email_link(
    smtp, sites, ines, alert_email
):
    url = link(smtp, alert_email, "/alerts/manage/")
    browser, path = client_for(url, enforce_csrf_checks=True)
    stranger = subscribed("stranger@example.org", sites["ledger"])

    page = browser.get(path)
    assert page.status_code == 200
    assert "ines@example.org" in visible_text(page)
    assert "Notification emails" not in visible_text(page)  # that is for accounts
    token = csrf_token(page.content.decode())

    response = browser.post(
        path,
        {
            **fields(ines, breaking="on", digest="on", digest_hour=6),
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    ines.refresh_from_db()
    assert (ines.breaking, ines.digest, ines.digest_hour) == (True, True, 6)

    refused = browser.post(
        path,
        {
            "action": "unsubscribe",
            "subscription": stranger.pk,
            "csrfmiddlewaretoken": token,
        },
    )
    assert refused.status_code == 400
    stranger.refresh_from_db()
    assert stranger.breaking

    browser.post(path, {"action": "unsubscribe_all", "csrfmiddlewaretoken": token})
    ines.refresh_from_db()
    stranger.refresh_from_db()
    assert (ines.breaking, ines.digest, stranger.breaking) == (False, False, True)

    forged = Client(HTTP_HOST=LEDGER).get(f"/alerts/manage/{tampered(token_of(url))}/")
    assert forged.status_code == 400
    assert "This link is not valid" in visible_text(forged)


def test_a_paused_address_is_told_and_can_ask_to_be_sent_to_again(ledger, kenji):
    Subscriber.objects.update(paused_at=timezone.now(), failures=3)

    page = visible_text(ledger.get("/alerts/"))
    assert "We stopped sending to kenji@example.com because several emails" in page

    response = ledger.post("/alerts/", {"action": "resume"})

    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert (subscriber.paused_at, subscriber.failures) == (None, 0)
    assert "We stopped sending" not in visible_text(ledger.get("/alerts/"))


def test_a_signed_out_visitor_asks_for_a_manage_link(smtp, sites, ines):
    browser = Client(HTTP_HOST=LEDGER)
    page = visible_text(browser.get("/alerts/"))
    assert "Sign in to see your alerts" in page

    known = browser.post("/alerts/link/", {"email": "ines@example.org"})
    unknown = browser.post("/alerts/link/", {"email": "nobody@example.org"})

    said = [
        visible_text(r).replace(a, "ADDRESS")
        for r, a in ((known, "ines@example.org"), (unknown, "nobody@example.org"))
    ]
    assert said[0] == said[1]
    assert [m["To"] for m in smtp.messages] == ["ines@example.org"]
    url = link(smtp, smtp.messages[0], "/alerts/manage/")
    other, path = client_for(url)
    assert "ines@example.org" in visible_text(other.get(path))


def test_unsubscribe_links_are_kept_from_search_engines(ines, alert_email):
    web, _mailto = list_unsubscribe(alert_email)
    browser, path = client_for(web)
    html = browser.get(path).content.decode()
    assert re.search(r'<meta name="robots" content="noindex">', html)
