"""Subscribing to news alerts through the subscribe page and the footer form on every
page, confirming from the emailed link, and what is refused."""

import re
import socket

import pytest
from django.test import Client

from conftest import COURIER, LEDGER
from newsroom.accounts.tests.helpers import PASSWORD, sign_in
from newsroom.moderation.tests.helpers import csrf_token
from newsroom.news.tests.helpers import visible_text
from newsroom.ratelimit.tests.helpers import refusal

from .. import subscriptions
from ..models import Alert, Subscriber, Subscription
from .conftest import client_for, html_of, link, section
from .factories import publish_breaking, subscribed

pytestmark = pytest.mark.usefixtures("smtp")


def subscribe(client, email, **data):
    return client.post(
        "/alerts/subscribe/",
        {"email": email, "breaking": "on", "digest_hour": "7", **data},
    )


def test_an_anonymous_visitor_confirms_from_the_emailed_link(ledger, smtp, sites):
    response = subscribe(ledger, "ines@example.org")

    assert response.status_code == 200
    assert "Check your inbox: we sent an email to ines@example.org." in (
        visible_text(response)
    )
    [message] = smtp.messages
    assert message["To"] == "ines@example.org"
    assert "The Tokyo Ledger" in message["Subject"]
    assert "The Tokyo Ledger" in str(message["From"])
    assert smtp.text(message).strip() and "<table" in html_of(message)
    url = link(smtp, message, "/alerts/confirm/")
    assert url in html_of(message)
    subscription = Subscription.objects.get(subscriber__email="ines@example.org")
    assert subscription.site == sites["ledger"] and subscription.confirmed_at is None

    browser, path = client_for(url)
    asked = browser.get(path)  # what a mail scanner does: changes nothing
    assert asked.status_code == 200
    assert "Send news alerts from The Tokyo Ledger to ines@example.org? " in (
        visible_text(asked)
    )
    assert "Yes, send me news alerts" in visible_text(asked)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None

    confirmed = browser.post(path)
    assert "Thank you: ines@example.org will receive news alerts from " in (
        visible_text(confirmed)
    )
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None and subscription.breaking
    first = subscription.confirmed_at

    again = browser.post(path)
    assert "ines@example.org already confirmed news alerts from The Tokyo Ledger" in (
        visible_text(again)
    )
    subscription.refresh_from_db()
    assert subscription.confirmed_at == first
    assert len(smtp.messages) == 1


def test_nothing_is_sent_before_the_address_confirms(
    ledger, smtp, sites, django_capture_on_commit_callbacks
):
    subscribe(ledger, "ines@example.org")
    [confirmation] = smtp.messages
    world = section(sites["ledger"], "world")

    with django_capture_on_commit_callbacks(execute=True):
        publish_breaking(world, "Reef talks collapse", slug="reef-talks-collapse")

    assert Alert.objects.get().recipients == 0
    assert smtp.messages == [confirmation]

    browser, path = client_for(link(smtp, confirmation, "/alerts/confirm/"))
    browser.post(path)
    with django_capture_on_commit_callbacks(execute=True):
        publish_breaking(world, "Reef talks resume", slug="reef-talks-resume")

    [alert] = smtp.messages[1:]
    assert alert["To"] == "ines@example.org"
    assert "Reef talks resume" in alert["Subject"]


def test_a_signed_in_reader_subscribes_their_verified_address_at_once(
    ledger, smtp, make_reader
):
    reader = make_reader("Kenji")
    sign_in(ledger, "Kenji")

    response = subscribe(ledger, reader.email.upper(), digest="on")

    assert "Done: kenji@example.com will get news alerts from The Tokyo Ledger." in (
        visible_text(response)
    )
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None
    assert (subscription.breaking, subscription.digest) == (True, True)
    assert subscription.subscriber.user == reader
    assert smtp.messages == []
    assert "The Tokyo Ledger" in visible_text(ledger.get("/alerts/"))


def test_an_unverified_readers_address_is_confirmed_by_email(ledger, smtp, make_reader):
    reader = make_reader("Kenji", verified=False)
    sign_in(ledger, "Kenji")

    response = subscribe(ledger, reader.email)

    assert "Check your inbox" in visible_text(response)
    assert Subscription.objects.get().confirmed_at is None
    [message] = smtp.messages
    assert "/alerts/confirm/" in smtp.text(message)


def test_a_confirmed_address_typed_by_someone_else_changes_nothing(
    ledger, smtp, sites, django_capture_on_commit_callbacks
):
    subscription = subscribed("ines@example.org", sites["ledger"], time_zone="")
    before = Subscription.objects.values().get()

    with django_capture_on_commit_callbacks(execute=True):
        someone = subscribe(ledger, "ines@example.org", breaking="", digest="on")
    newcomer = subscribe(Client(HTTP_HOST=LEDGER), "noor@example.org")

    def said(response, address):
        return visible_text(response).replace(address, "ADDRESS")

    assert someone.status_code == newcomer.status_code == 200
    assert said(someone, "ines@example.org") == said(newcomer, "noor@example.org")
    assert Subscription.objects.values().get(pk=subscription.pk) == before
    [manage] = smtp.to("ines@example.org")
    assert "/alerts/confirm/" not in smtp.text(manage)
    url = link(smtp, manage, "/alerts/manage/")
    browser, path = client_for(url)
    page = visible_text(browser.get(path))
    assert "The Tokyo Ledger" in page and "ines@example.org" in page
    [confirm] = smtp.to("noor@example.org")
    assert "/alerts/confirm/" in smtp.text(confirm)


def footer_form(html: str) -> tuple[str, dict]:
    """The footer form's action and the fields it posts (besides the address)."""
    form = re.search(r'<form class="footer-subscribe"(.*?)</form>', html, re.S).group(0)
    action = re.search(r'action="([^"]+)"', form).group(1)
    fields = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    )
    assert 'name="email"' in form
    return action, fields


@pytest.mark.parametrize("host", [LEDGER, COURIER])
def test_the_footer_form_on_every_page_subscribes_to_that_sites_breaking_news(
    host, smtp, network
):
    site = Subscription._meta.get_field("site").related_model.objects.get(hostname=host)
    browser = Client(HTTP_HOST=host, enforce_csrf_checks=True)
    front = browser.get("/")
    article_url = re.search(
        r'<a href="(/[a-z-]+/[a-z0-9-]+/)"', front.content.decode()
    ).group(1)
    for number, path in enumerate(["/", article_url]):
        page = browser.get(path)
        assert page.status_code == 200
        html = page.content.decode()
        # A shared page: no token in it. Without JavaScript the form leads to the
        # subscribe page with the address filled in; page.js posts it at once with
        # a token it fetches when the form is used.
        assert 'class="footer-subscribe" method="get"' in html
        assert "csrfmiddlewaretoken" not in html
        action, fields = footer_form(html)
        assert fields["breaking"] == "on" and fields["digest_hour"] == "7"
        address = f"reader{number}@{host}"
        landing = browser.get(action, {**fields, "email": address})
        assert f'value="{address}"' in landing.content.decode()
        assert csrf_token(landing.content.decode())
        token = browser.get("/me/csrf/").json()["token"]

        response = browser.post(
            action, {**fields, "email": address, "csrfmiddlewaretoken": token}
        )

        assert response.status_code == 200, path
        assert "Check your inbox" in visible_text(response)
        subscription = Subscription.objects.get(subscriber__email=address)
        assert subscription.site == site
        assert (subscription.breaking, subscription.digest) == (True, False)
        [message] = smtp.to(address)
        assert site.site_name in message["Subject"]
        assert link(smtp, message, "/alerts/confirm/").startswith(f"http://{host}/")


LONG = "a" * 290 + "@example.org"
BAD_INPUT = [
    ("", "Enter your email address."),
    ("   ", "Enter your email address."),
    ("a@b.c\r\nBcc: x@evil.test", "cannot contain line breaks or control characters"),
    ("a@example.org\nBcc: x@evil.test", "cannot contain line breaks"),
    (LONG, "That address is too long: at most 254 characters."),
    ("x" * 100_000, "That address is too long: at most 254 characters."),
    ("\u0430lice@example.org", "Use an address made of plain Latin letters"),
    (
        "alice\u202egro.elpmaxe@x.org",
        "cannot contain line breaks or control characters",
    ),
    ("<script>alert(1)</script>@x.org", "Enter a valid email address."),
    ("{{ 7*7 }}@x.org", "Enter a valid email address."),
    ("'; DROP TABLE--@x.org", "Enter a valid email address."),
    ("alice@", "Enter a valid email address."),
]


def test_bad_addresses_are_refused_with_a_clear_message(ledger, smtp):
    # One network for every case: building it is what takes the time.
    for raw, message in BAD_INPUT:
        response = subscribe(ledger, raw)

        assert response.status_code == 400, raw[:40]
        assert message in visible_text(response), raw[:40]
        html = response.content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "49@x.org" not in html
    assert not Subscriber.objects.exists()
    assert smtp.messages == []


def test_choosing_nothing_to_receive_is_refused(ledger, smtp):
    response = ledger.post(
        "/alerts/subscribe/", {"email": "ines@example.org", "digest_hour": "7"}
    )

    assert response.status_code == 400
    assert "Choose breaking news, the daily digest or both" in visible_text(response)
    assert not Subscriber.objects.exists() and smtp.messages == []


def test_a_flood_of_requests_for_one_address_is_refused(ledger, smtp):
    for _ in range(subscriptions.PER_EMAIL_PER_HOUR):
        assert subscribe(ledger, "ines@example.org").status_code == 200
    before = Subscription.objects.values().get()
    sent = len(smtp.messages)

    response = subscribe(ledger, "Ines@Example.org", digest="on")

    assert response.status_code == 429
    lead = "Too many subscription requests. Nothing was changed."
    assert refusal(lead, response, 3600) in visible_text(response)
    assert Subscription.objects.values().get() == before
    assert len(smtp.messages) == sent == subscriptions.PER_EMAIL_PER_HOUR


def test_a_flood_of_requests_from_one_network_address_is_refused(ledger, smtp):
    for number in range(subscriptions.PER_IP_PER_HOUR):
        assert subscribe(ledger, f"reader{number}@example.org").status_code == 200

    response = subscribe(ledger, "one.more@example.org")

    assert response.status_code == 429
    lead = "Too many subscription requests. Nothing was changed."
    assert refusal(lead, response, 3600) in visible_text(response)
    assert not Subscriber.objects.filter(email="one.more@example.org").exists()
    assert len(smtp.messages) == subscriptions.PER_IP_PER_HOUR
    # Another network is not held back.
    other = Client(HTTP_HOST=LEDGER, REMOTE_ADDR="192.0.2.7")
    assert subscribe(other, "one.more@example.org").status_code == 200


def test_registering_invites_to_the_alerts_of_the_site_joined_on(courier, smtp):
    response = courier.post(
        "/accounts/signup/",
        {
            "username": "Noor",
            "email": "noor@ekimail.jp",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302

    [invitation] = [m for m in smtp.to("noor@ekimail.jp") if "alerts" in m["Subject"]]
    assert "The Harbour Courier" in invitation["Subject"] or (
        "Courier" in invitation["Subject"]
    )
    assert "Hello Noor," in smtp.text(invitation)
    subscription = Subscription.objects.get(subscriber__email="noor@ekimail.jp")
    assert subscription.site.hostname == COURIER
    assert subscription.confirmed_at is None

    url = link(smtp, invitation, "/alerts/confirm/")
    assert url.startswith(f"http://{COURIER}/")
    browser, path = client_for(url)
    assert "Thank you: noor@ekimail.jp will receive news alerts" in (
        visible_text(browser.post(path))
    )
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None and subscription.breaking
    assert not subscription.digest


def test_when_the_mail_server_is_down_the_reader_is_told_and_keeps_their_input(
    ledger, smtp, sites, settings
):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]

    response = subscribe(ledger, "ines@example.org", digest="on")

    assert response.status_code == 503
    text = visible_text(response)
    assert "We could not send the confirmation email just now" in text
    assert "Check your inbox" not in text
    assert 'value="ines@example.org"' in response.content.decode()
    assert smtp.messages == []
    # Nothing is sent to the address unless it is confirmed later.
    assert Subscription.objects.get().confirmed_at is None
