"""Registration, email verification and the news-alert invitation, through HTTP."""

import time
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Site

from newsroom.accounts import services
from newsroom.accounts.models import Profile
from newsroom.alerts import tokens
from newsroom.alerts.models import Subscription
from newsroom.news.tests.helpers import visible_text
from newsroom.ratelimit.tests.helpers import refusal

from .helpers import PASSWORD

User = get_user_model()


def register(client, name="Blacklabel", email="blacklabel@ekimail.jp", **extra):
    data = {
        "username": name,
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    return client.post("/accounts/signup/", data)


def link_in(smtp, message, fragment) -> str:
    [link] = [link for link in smtp.links(message) if fragment in link]
    return urlparse(link).path


def test_a_reader_registers_verifies_by_email_and_may_then_take_part(ledger, smtp):
    response = register(ledger, next="/world/")

    assert response.status_code == 302
    reader = User.objects.get(username="Blacklabel")
    assert reader.profile.joined_site == Site.objects.get(hostname="ledger.localhost")
    assert not services.can_participate(reader)
    settings_page = visible_text(ledger.get("/accounts/settings/"))
    assert "Confirm your email address to comment, vote and report" in settings_page

    [verification] = [m for m in smtp.to(reader.email) if "Confirm" in m["Subject"]]
    assert verification["Subject"].startswith("[The Tokyo Ledger] ")
    confirm_path = link_in(smtp, verification, "/accounts/confirm-email/")
    assert ledger.get(confirm_path).status_code == 200
    assert not services.can_participate(
        reader
    )  # a GET (a mail scanner) changes nothing
    assert ledger.post(confirm_path).status_code == 302

    assert services.can_participate(reader)
    settings_page = visible_text(ledger.get("/accounts/settings/"))
    assert "you can comment, vote and report comments" in settings_page


def test_an_unverified_reader_can_ask_for_the_link_again(ledger, smtp, make_reader):
    reader = make_reader("Tanuki", verified=False)
    ledger.force_login(reader)

    page = ledger.get("/accounts/settings/")
    assert b"Send the confirmation link to tanuki@example.com again" in page.content
    response = ledger.post(
        "/accounts/email/", {"email": reader.email, "action_send": ""}
    )

    assert response.status_code == 302
    [message] = smtp.to(reader.email)
    assert "/accounts/confirm-email/" in smtp.text(message)


def test_new_readers_are_invited_to_news_alerts_and_only_a_confirmation_subscribes(
    ledger, smtp
):
    register(ledger)
    [invitation] = [m for m in smtp.messages if "news alerts" in m["Subject"]]
    assert invitation["Subject"] == "Would you like news alerts from The Tokyo Ledger?"
    assert invitation.get_body(preferencelist=("html",)) is not None
    opt_in = Subscription.objects.get(subscriber__email="blacklabel@ekimail.jp")
    assert opt_in.site.hostname == "ledger.localhost"
    assert opt_in.confirmed_at is None

    path = link_in(smtp, invitation, "/alerts/confirm/")
    ledger.post("/accounts/logout/")
    page = ledger.get(path)
    assert "Send news alerts from The Tokyo Ledger to blacklabel@ekimail.jp?" in (
        visible_text(page)
    )
    opt_in.refresh_from_db()
    assert opt_in.confirmed_at is None

    confirmed = ledger.post(path)
    assert "will receive news alerts from The Tokyo Ledger" in visible_text(confirmed)
    opt_in.refresh_from_db()
    first_confirmation = opt_in.confirmed_at
    assert first_confirmation is not None

    replayed = ledger.post(path)
    assert "Nothing has changed" in visible_text(replayed)
    opt_in.refresh_from_db()
    assert opt_in.confirmed_at == first_confirmation


def test_tampered_and_expired_alert_links_change_nothing(ledger, smtp, make_reader):
    register(ledger)
    opt_in = Subscription.objects.get()
    [invitation] = [m for m in smtp.messages if "news alerts" in m["Subject"]]
    path = link_in(smtp, invitation, "/alerts/confirm/")
    tampered = path[:-6] + ("AAAAA/" if not path.endswith("AAAAA/") else "BBBBB/")

    response = ledger.post(tampered)
    assert response.status_code == 400
    assert "This link is not valid" in visible_text(response)

    # A link signed eight days ago (they last seven), as the invitation signs.
    real_time = time.time
    try:
        time.time = lambda: real_time() - 8 * 24 * 3600
        old = tokens.make(
            tokens.CONFIRM, s=opt_in.pk, at=tokens.stamp(opt_in.invited_at)
        )
    finally:
        time.time = real_time
    response = ledger.post(f"/alerts/confirm/{old}/")
    assert response.status_code == 400
    assert "This link has expired" in visible_text(response)

    opt_in.refresh_from_db()
    assert opt_in.confirmed_at is None


@pytest.mark.parametrize(
    "taken_as",
    [
        "Blacklabel",
        "BLACKLABEL",
        "Blаcklabel",  # Cyrillic а
        "B1acklabel",  # digit one for l
        "Black label",
        "Black_Label",
        "Ｂｌａｃｋｌａｂｅｌ",  # fullwidth
    ],
)
def test_display_names_are_unique_across_case_and_look_alikes(ledger, smtp, taken_as):
    register(ledger)
    ledger.post("/accounts/logout/")

    response = register(ledger, name=taken_as, email="second@ekimail.jp")

    assert response.status_code == 200
    assert "That display name is already taken (or looks the same" in (
        visible_text(response)
    )
    assert b'value="second@ekimail.jp"' in response.content  # nothing typed is lost
    assert not User.objects.filter(email="second@ekimail.jp").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Black\u200blabel", "can't contain invisible or control characters"),
        ("\u202eBlacklabel", "can't contain invisible or control characters"),
        ("Bad\r\nName", "can't contain invisible or control characters"),
        ("Nul\x00Name", "Null characters are not allowed"),
        ("x" * 10_000, "at most 30 characters (this one has 10000)"),
        ("ab", "at least 3 characters"),
        ("...", "needs at least one letter or digit"),
        ("Two  spaces", "single spaces"),
        ("", "This field is required"),
        ("<script>alert(1)</script>", "letters, digits, spaces and the characters"),
        ("{{ request.user }}", "letters, digits, spaces and the characters"),
        ("Robert'); DROP TABLE", "letters, digits, spaces and the characters"),
    ],
)
def test_unsuitable_display_names_get_a_clear_message(ledger, smtp, name, message):
    response = register(ledger, name=name, email="someone@ekimail.jp")

    assert response.status_code == 200
    assert message in visible_text(response)
    assert not User.objects.filter(email="someone@ekimail.jp").exists()
    assert b"<script>alert(1)</script>" not in response.content
    assert smtp.messages == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "Enter a valid email address"),
        ("email", "evil@ekimail.jp\r\nBcc: all@ekimail.jp", "valid email address"),
        ("email", ("a" * 300) + "@ekimail.jp", "too long to receive mail"),
        ("email", "", "This field is required"),
        ("password2", "something-else-entirely", "same password each time"),
        ("password1", "password", "too common"),
    ],
)
def test_bad_registration_input_is_refused_clearly(ledger, smtp, field, value, message):
    data = {
        "username": "Careful Reader",
        "email": "careful@ekimail.jp",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data[field] = value
    if field == "password1":
        data["password2"] = value

    response = ledger.post("/accounts/signup/", data)

    assert response.status_code == 200
    assert message in visible_text(response)
    assert not User.objects.filter(username="Careful Reader").exists()
    assert smtp.messages == []


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("kenji@mailhost", "Enter a valid email address"),  # Django's own check
        ("kenji@localhost", "is not a full domain name (it needs a dot"),
        ("kenji@[192.0.2.1]", "is at a network address ([192.0.2.1])"),
        ("kenji@mail.invalid", "Addresses ending in .invalid are reserved"),
        ("kenji@ekimail.test", "Addresses ending in .test are reserved"),
        ("kenji@news.example", "Addresses ending in .example are reserved"),
        ("kenji@home.local", "Addresses ending in .local are reserved"),
        ("kenji@app.localhost", "Addresses ending in .localhost are reserved"),
        ("kenji@example.com", "example.com is reserved for examples"),
        ("kenji@mail.example.org", "example.org is reserved for examples"),
        ("kenji@EXAMPLE.NET", "example.net is reserved for examples"),
    ],
)
def test_addresses_that_cannot_receive_mail_are_refused_at_sign_up(
    ledger, smtp, email, message
):
    response = register(ledger, name="Kenji", email=email)

    assert response.status_code == 200
    assert message in visible_text(response)
    assert not User.objects.filter(username="Kenji").exists()
    assert smtp.messages == []


def test_staff_and_readers_share_one_namespace_of_names(ledger, smtp, network):
    writer = User.objects.get(username="writer")
    assert Profile.objects.get(user=writer).name_key == "writer"

    response = register(ledger, name="Wr\u0456ter", email="imposter@ekimail.jp")

    assert "already taken" in visible_text(response)
    assert not User.objects.filter(email="imposter@ekimail.jp").exists()


def test_registration_is_rate_limited_per_address(ledger, smtp, settings):
    settings.NEWSROOM_ACCOUNT_RATE_LIMITS = {
        **settings.NEWSROOM_ACCOUNT_RATE_LIMITS,
        "signup": "2/m/ip",
    }
    for number in range(2):
        register(ledger, name=f"Reader {number}", email=f"r{number}@ekimail.jp")
        ledger.post("/accounts/logout/")

    response = register(ledger, name="Reader 3", email="r3@ekimail.jp")

    assert response.status_code == 429
    lead = "Too many registrations from your network."
    assert refusal(lead, response, 60) in visible_text(response)
    # The form comes back with what was typed (but the password).
    html = response.content.decode()
    assert 'value="Reader 3"' in html and 'value="r3@ekimail.jp"' in html
    assert PASSWORD not in html
    assert not User.objects.filter(username="Reader 3").exists()
    # Another network may still register.
    other = Client(HTTP_HOST="ledger.localhost", REMOTE_ADDR="192.0.2.8")
    assert register(other, name="Reader 4", email="r4@ekimail.jp").status_code == 302
