"""Signing in and out, password resets, sessions and the admin boundary, over HTTP."""

from urllib.parse import urlparse

import pytest
from django.conf import settings as project_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
from django.test import Client, override_settings

from newsroom.news.tests.helpers import demo_article, visible_text
from newsroom.ratelimit.tests.helpers import refusal

from .helpers import PASSWORD, sign_in

User = get_user_model()
WRONG_DETAILS = "The email address and/or password you specified are not correct."


@pytest.mark.parametrize("login", ["kenji@example.com", "Kenji", "KENJI"])
def test_readers_sign_in_with_email_or_display_name(ledger, make_reader, login):
    make_reader("Kenji")

    response = sign_in(ledger, login)

    assert response.status_code == 302
    assert "Kenji" in visible_text(ledger.get("/"))


def test_a_reader_comes_back_to_the_story_they_were_reading(ledger, make_reader):
    make_reader("Kenji")
    _spec, article = demo_article(lambda spec: True)
    page = visible_text(ledger.get(article.url))
    assert "Sign in" in page

    response = sign_in(ledger, "Kenji", next=article.url)

    assert response.status_code == 302
    assert response["Location"] == article.url


def test_an_offsite_next_is_ignored(ledger, make_reader):
    make_reader("Kenji")

    response = sign_in(ledger, "Kenji", next="https://evil.example/steal")

    assert response.status_code == 302
    assert urlparse(response["Location"]).netloc == ""


def test_wrong_password_and_unknown_account_read_the_same(ledger, make_reader):
    make_reader("Kenji")

    wrong_password = sign_in(ledger, "kenji@example.com", password="not-it-at-all")
    unknown_account = sign_in(ledger, "nobody@example.com", password="not-it-at-all")

    assert wrong_password.status_code == unknown_account.status_code == 200
    assert WRONG_DETAILS in visible_text(wrong_password)
    assert WRONG_DETAILS in visible_text(unknown_account)


def test_the_session_is_rotated_at_sign_in(ledger, make_reader):
    make_reader("Kenji")
    anonymous = ledger.session  # the client starts an anonymous session
    anonymous["seen"] = True
    anonymous.save()
    anonymous_key = ledger.cookies["sessionid"].value
    assert anonymous_key == anonymous.session_key

    sign_in(ledger, "Kenji")

    assert ledger.cookies["sessionid"].value != anonymous_key
    assert "_auth_user_id" in ledger.session


def test_repeated_wrong_passwords_hit_a_rate_limit_with_a_clear_page(
    ledger, make_reader
):
    make_reader("Kenji")
    responses = [
        sign_in(ledger, "kenji@example.com", password=f"guess-{n}") for n in range(6)
    ]

    assert WRONG_DETAILS in visible_text(responses[4])
    assert responses[4].status_code == 200
    assert responses[5].status_code == 429
    lead = "Too many failed login attempts."
    assert refusal(lead, responses[5], 300) in visible_text(responses[5])
    # Even the right password waits until the limit passes.
    blocked = sign_in(ledger, "kenji@example.com")
    assert blocked.status_code == 429
    assert "Too many failed login attempts" in visible_text(blocked)
    assert "_auth_user_id" not in ledger.session
    # Another reader at the same address is not held back by Kenji's account.
    make_reader("Hana")
    assert sign_in(ledger, "hana@example.com").status_code == 302


def test_sign_in_attempts_from_one_address_are_limited(ledger, make_reader, settings):
    settings.NEWSROOM_ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    make_reader("Kenji")
    sign_in(ledger, "kenji@example.com", password="guess-1")
    sign_in(ledger, "kenji@example.com", password="guess-2")

    refused = sign_in(ledger, "kenji@example.com")

    assert refused.status_code == 429
    lead = "Too many sign-in attempts from your network."
    assert refusal(lead, refused, 60) in visible_text(refused)
    # What was typed stays in the form; the password was not even checked.
    assert 'value="kenji@example.com"' in refused.content.decode()
    assert "_auth_user_id" not in ledger.session
    assert (
        sign_in(
            Client(HTTP_HOST="ledger.localhost", REMOTE_ADDR="192.0.2.8"), "Kenji"
        ).status_code
        == 302
    )


def test_a_new_password_lifts_the_lock_of_failed_sign_ins(ledger, smtp, make_reader):
    make_reader("Kenji")
    for number in range(5):
        sign_in(ledger, "Kenji", password=f"guess-{number}")
    assert sign_in(ledger, "Kenji").status_code == 429

    ledger.post("/accounts/password/reset/", {"email": "kenji@example.com"})
    [message] = smtp.to("kenji@example.com")
    [link] = [link for link in smtp.links(message) if "/password/reset/key/" in link]
    form_page = ledger.get(urlparse(link).path, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    new_password = "lantern-orchard-sparrow-93"
    ledger.post(
        urlparse(action).path, {"password1": new_password, "password2": new_password}
    )

    assert sign_in(ledger, "Kenji", password=new_password).status_code == 302


def test_password_reset_requests_for_one_address_are_limited(ledger, smtp, make_reader):
    make_reader("Kenji")
    for _ in range(3):
        ledger.post("/accounts/password/reset/", {"email": "kenji@example.com"})

    refused = ledger.post("/accounts/password/reset/", {"email": "Kenji@Example.com"})

    assert refused.status_code == 429
    lead = "Too many password reset requests."
    assert refusal(lead, refused, 3600) in visible_text(refused)
    assert 'value="Kenji@Example.com"' in refused.content.decode()
    assert len(smtp.to("kenji@example.com")) == 3


def test_sign_out(ledger, make_reader):
    ledger.force_login(make_reader("Kenji"))

    response = ledger.post("/accounts/logout/")

    assert response.status_code == 302
    assert ledger.get("/accounts/settings/").status_code == 302


def test_password_reset_does_not_reveal_who_is_registered(ledger, smtp, make_reader):
    make_reader("Kenji")

    known = ledger.post("/accounts/password/reset/", {"email": "kenji@example.com"})
    unknown = ledger.post("/accounts/password/reset/", {"email": "ghost@example.com"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # Both addresses get mail: the owner a reset link, the stranger a note that
    # no account uses the address.
    [reset_mail] = smtp.to("kenji@example.com")
    [unknown_mail] = smtp.to("ghost@example.com")
    assert "/accounts/password/reset/key/" in smtp.text(reset_mail)
    assert "/accounts/password/reset/key/" not in smtp.text(unknown_mail)


def test_a_reader_resets_a_forgotten_password_by_email(ledger, smtp, make_reader):
    make_reader("Kenji")
    ledger.post("/accounts/password/reset/", {"email": "kenji@example.com"})
    [message] = smtp.to("kenji@example.com")
    [link] = [link for link in smtp.links(message) if "/password/reset/key/" in link]

    form_page = ledger.get(urlparse(link).path, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    new_password = "lantern-orchard-sparrow-93"
    done = ledger.post(
        urlparse(action).path,
        {"password1": new_password, "password2": new_password},
    )

    assert done.status_code == 302
    assert sign_in(Client(HTTP_HOST="ledger.localhost"), "Kenji").status_code == 200
    fresh = Client(HTTP_HOST="ledger.localhost")
    assert sign_in(fresh, "Kenji", password=new_password).status_code == 302

    # The link is single-use: replayed, it says so and changes nothing.
    replay = ledger.get(urlparse(link).path, follow=True)
    assert "The password reset link was invalid" in visible_text(replay)


def test_a_tampered_reset_link_is_refused(ledger, make_reader):
    reader = make_reader("Kenji")

    response = ledger.get(f"/accounts/password/reset/key/{reader.pk:x}-forged/")

    assert "The password reset link was invalid" in visible_text(response)
    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)


def test_signing_out_of_all_other_sessions(ledger, make_reader):
    make_reader("Kenji")
    phone = Client(HTTP_HOST="ledger.localhost")
    sign_in(phone, "Kenji")
    sign_in(ledger, "Kenji")
    assert phone.get("/accounts/settings/").status_code == 200

    sessions_page = ledger.get("/accounts/sessions/")
    assert sessions_page.status_code == 200
    ledger.post("/accounts/sessions/")

    assert phone.get("/accounts/settings/").status_code == 302  # signed out
    assert ledger.get("/accounts/settings/").status_code == 200  # still in


def test_readers_never_reach_the_cms(ledger, make_reader):
    ledger.force_login(make_reader("Kenji"))

    response = ledger.get("/cms/")

    assert response.status_code == 302
    assert urlparse(response["Location"]).path.startswith("/cms/login/")
    followed = ledger.get("/cms/pages/", follow=True)
    assert "Pages" not in [c for _, c in followed.redirect_chain]
    assert b"wagtail-sidebar" not in followed.content


def test_staff_are_the_same_accounts_with_wagtail_groups(ledger, network):
    ledger.post("/accounts/login/", {"login": "editor", "password": "newsroom-editor"})

    assert ledger.get("/cms/").status_code == 200
    assert ledger.get("/accounts/settings/").status_code == 200


def test_passwords_are_hashed_with_argon2_in_production(db):
    # The suite hashes with MD5 for speed (conftest.py); this uses the project's list.
    from newsroom import settings as production

    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        reader = User.objects.create_user("Hashed", "h@example.com", PASSWORD)
        assert identify_hasher(reader.password).algorithm == "argon2"
    assert project_settings.AUTH_PASSWORD_VALIDATORS


def test_the_deploy_check_refuses_a_plain_http_openid_provider(settings):
    from django.core import checks

    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "publisher",
                    "client_id": "c",
                    "secret": "s",
                    "settings": {"server_url": "http://id.example.com"},
                }
            ]
        }
    }

    found = checks.run_checks(include_deployment_checks=True, tags=["security"])

    assert "accounts.E001" in [message.id for message in found]
    settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["settings"][
        "server_url"
    ] = "https://id.example.com"
    found = checks.run_checks(include_deployment_checks=True, tags=["security"])
    assert "accounts.E001" not in [message.id for message in found]
