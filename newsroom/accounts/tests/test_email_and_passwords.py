"""Changing email and password, verification links, and hostile sign-in input."""

from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client

from newsroom.news.tests.helpers import visible_text

from .helpers import PASSWORD, sign_in

User = get_user_model()


def test_a_resend_inside_the_cooldown_says_why_nothing_came(ledger, smtp, make_reader):
    reader = make_reader("Tanuki", verified=False)
    ledger.force_login(reader)
    resend = {"email": reader.email, "action_send": ""}

    first = ledger.post("/accounts/email/", resend, follow=True)
    second = ledger.post("/accounts/email/", resend, follow=True)

    assert "Confirmation email sent to tanuki@example.com" in visible_text(first)
    assert "did not send another yet" in visible_text(second)
    assert len(smtp.to(reader.email)) == 1


def test_a_changed_email_address_counts_only_once_confirmed(ledger, smtp, make_reader):
    reader = make_reader("Kenji")
    ledger.force_login(reader)

    ledger.post("/accounts/email/", {"email": "kenji.new@ekimail.jp", "action_add": ""})

    reader.refresh_from_db()
    assert reader.email == "kenji@example.com"  # the old address stays until then
    [message] = smtp.to("kenji.new@ekimail.jp")
    [link] = [link for link in smtp.links(message) if "/confirm-email/" in link]
    ledger.post(urlparse(link).path)
    reader.refresh_from_db()
    assert reader.email == "kenji.new@ekimail.jp"
    assert list(
        EmailAddress.objects.filter(user=reader).values_list("email", "verified")
    ) == [("kenji.new@ekimail.jp", True)]


def test_an_address_that_cannot_receive_mail_is_not_added(ledger, smtp, make_reader):
    reader = make_reader("Kenji")
    ledger.force_login(reader)

    response = ledger.post(
        "/accounts/email/", {"email": "kenji@backup.invalid", "action_add": ""}
    )

    assert response.status_code == 200
    assert "Addresses ending in .invalid are reserved for tests and local networks" in (
        visible_text(response)
    )
    assert list(EmailAddress.objects.filter(user=reader).values_list("email")) == [
        ("kenji@example.com",)
    ]
    assert smtp.messages == []


def test_an_account_made_at_a_reserved_domain_still_resets_its_password(
    ledger, smtp, make_reader
):
    """Only the forms that take a new address judge it: the demo's and the tests'
    readers, made directly at reserved domains, keep working."""
    make_reader("Demo Reader", email="demo.reader@readers.invalid")

    ledger.post("/accounts/password/reset/", {"email": "demo.reader@readers.invalid"})

    [message] = smtp.to("demo.reader@readers.invalid")
    assert "/accounts/password/reset/key/" in smtp.text(message)


def test_an_address_cannot_be_taken_from_another_reader(ledger, smtp, make_reader):
    owner = make_reader("Blacklabel", email="blacklabel@ekimail.jp")
    reader = make_reader("Kenji")
    ledger.force_login(reader)

    ledger.post(
        "/accounts/email/", {"email": "blacklabel@ekimail.jp", "action_add": ""}
    )

    # Only the owner's inbox hears of it, and nothing moves without their click.
    assert not smtp.to("kenji@example.com")
    reader.refresh_from_db()
    assert reader.email == "kenji@example.com"
    assert not EmailAddress.objects.filter(
        user=reader, email="blacklabel@ekimail.jp", verified=True
    ).exists()
    assert EmailAddress.objects.get(email="blacklabel@ekimail.jp", user=owner).verified


def test_a_forged_verification_link_is_refused(ledger, make_reader):
    reader = make_reader("Tanuki", verified=False)

    page = ledger.get("/accounts/confirm-email/forged-key/")
    ledger.post("/accounts/confirm-email/forged-key/")

    assert "This email confirmation link expired or is invalid" in visible_text(page)
    assert not EmailAddress.objects.get(user=reader).verified


def test_a_reader_changes_their_password(ledger, smtp, make_reader):
    reader = make_reader("Kenji")
    sign_in(ledger, "Kenji")
    new_password = "quiet-river-lantern-58"

    wrong = ledger.post(
        "/accounts/password/change/",
        {"oldpassword": "nope", "password1": new_password, "password2": new_password},
    )
    assert "Please type your current password" in visible_text(wrong)
    ledger.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )

    reader.refresh_from_db()
    assert reader.check_password(new_password)
    assert ledger.get("/accounts/settings/").status_code == 200  # still signed in
    [notice] = smtp.to(reader.email)
    assert "password" in notice["Subject"].lower()


@pytest.mark.parametrize(
    ("login", "password", "message"),
    [
        ("Kenji\x00", PASSWORD, "Null characters are not allowed"),
        ("kenji@example.com\r\nBcc: x@example.com", PASSWORD, "not correct"),
        ("x" * 10_000, PASSWORD, "not correct"),
        ("' OR 1=1 --", PASSWORD, "not correct"),
        ("{{ settings.SECRET_KEY }}", PASSWORD, "not correct"),
        ("", "", "This field is required"),
    ],
)
def test_hostile_sign_in_input_gets_a_clear_answer(
    make_reader, network, login, password, message
):
    make_reader("Kenji")
    client = Client(HTTP_HOST="ledger.localhost")

    response = sign_in(client, login, password=password)

    assert response.status_code == 200
    assert message in visible_text(response)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "email",
    ["kenji@example.com\r\nBcc: all@example.com", "nul\x00@example.com", "x" * 5000],
)
def test_hostile_reset_requests_send_nothing(ledger, smtp, make_reader, email):
    make_reader("Kenji")

    response = ledger.post("/accounts/password/reset/", {"email": email})

    assert response.status_code == 200
    assert visible_text(response).count("Password Reset") >= 1
    assert smtp.messages == []
