"""Personal API tokens as readers make and revoke them in their settings, and what
a token can do on the API before and after it is revoked."""

import re

from django.utils.html import escape
from wagtail.models import APIToken

from newsroom.comments.models import Comment
from newsroom.comments.tests.test_hostile import HOSTILE
from newsroom.moderation.tests.helpers import browser_for, csrf_token

from .helpers import API, assert_problem, bearer, comment_on

PAGE = "/accounts/settings/api-tokens/"
NEW_TOKEN = re.compile(r'<code class="token-value" id="new-token">([^<]+)</code>')


def make_token(browser, name):
    """Fill in and send the page's form, its CSRF token included."""
    token = csrf_token(browser.get(PAGE).content.decode())
    return browser.post(PAGE, {"name": name, "csrfmiddlewaretoken": token})


def shown_token(response) -> str | None:
    found = NEW_TOKEN.search(response.content.decode())
    return found.group(1) if found else None


def revoke(browser, row):
    token = csrf_token(browser.get(PAGE).content.decode())
    return browser.post(
        f"{PAGE}{row.pk}/revoke/", {"csrfmiddlewaretoken": token}, follow=True
    )


def test_the_page_is_for_signed_in_readers_only(client, network):
    response = client.get(PAGE, HTTP_HOST="ledger.localhost")

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={PAGE}"


def test_a_new_token_is_shown_once_and_only_its_digest_is_kept(network, kenji):
    browser = browser_for("Kenji", enforce_csrf_checks=True)

    made = make_token(browser, "Kenji's reader app")
    later = browser.get(PAGE)

    assert made.status_code == 200
    token = shown_token(made)
    assert APIToken.validate_token_format(token)
    assert "Copy it now: we keep only a fingerprint" in made.content.decode()
    row = APIToken.objects.get(user=kenji)
    assert row.name == "Kenji's reader app"
    assert row.key_hash == APIToken.hash_token(token)
    assert row.prefix == token[:12]
    stored = [row.name, row.key_hash, row.prefix]
    assert not any(token in value for value in stored)
    html = later.content.decode()
    assert shown_token(later) is None
    assert token not in html
    assert f"<code>{token[:12]}…</code>" in html
    assert escape("Kenji's reader app") in html


def test_names_that_say_nothing_or_too_much_are_refused_and_nothing_is_kept(
    network, kenji
):
    browser = browser_for("Kenji", enforce_csrf_checks=True)

    for name, message in [
        ("", "Give the token a name, such as the app it is for."),
        ("   \t ", "Give the token a name, such as the app it is for."),
        (
            "\x00\x07\x1b\u200b\u202e",
            "Give the token a name, such as the app it is for.",
        ),
        ("x" * 61, "Keep the name under 60 characters."),
    ]:
        response = make_token(browser, name)

        assert response.status_code == 400, name
        assert shown_token(response) is None
        html = response.content.decode()
        assert (
            f'<p class="form-errors" role="alert" id="token-error">{message}</p>'
            in (html)
        )
        assert 'aria-invalid="true"' in html
    assert not APIToken.objects.exists()

    kept = make_token(browser, "Phone\x07 app\u200b")
    assert kept.status_code == 200
    assert APIToken.objects.get().name == "Phone app"  # control characters dropped


def test_hostile_names_are_stored_as_text_and_shown_escaped(network, kenji):
    browser = browser_for("Kenji", enforce_csrf_checks=True)

    for name in HOSTILE:
        response = make_token(browser, name)
        html = response.content.decode()
        if response.status_code == 400:
            assert "Keep the name under 60 characters." in html, name
            assert len(name) > 60
            continue
        assert response.status_code == 200, name
        row = APIToken.objects.get(user=kenji, revoked_at__isnull=True)
        assert escape(row.name) in html
        if "<" in name:
            assert name not in html
        revoke(browser, row)  # room for the next one

    assert not APIToken.objects.filter(revoked_at__isnull=True).exists()


def test_an_eleventh_token_waits_until_one_is_revoked(network, kenji):
    browser = browser_for("Kenji", enforce_csrf_checks=True)
    for number in range(10):
        assert make_token(browser, f"App {number}").status_code == 200

    eleventh = make_token(browser, "App 10")
    revoke(browser, APIToken.objects.get(name="App 3"))
    after_revoking = make_token(browser, "App 10")

    assert eleventh.status_code == 400
    assert "You have 10 tokens; revoke one you no longer use first." in (
        eleventh.content.decode()
    )
    assert shown_token(eleventh) is None
    assert after_revoking.status_code == 200
    assert APIToken.objects.filter(user=kenji, revoked_at__isnull=True).count() == 10
    assert APIToken.objects.filter(user=kenji).count() == 11


def test_revoking_takes_a_post_with_the_csrf_token_and_only_for_ones_own(
    network, kenji, make_reader
):
    make_reader("Hana")
    kenjis_browser = browser_for("Kenji", enforce_csrf_checks=True)
    hanas_browser = browser_for("Hana", enforce_csrf_checks=True)
    make_token(kenjis_browser, "Kenji's app")
    make_token(hanas_browser, "Hana's app")
    kenjis = APIToken.objects.get(name="Kenji's app")
    hanas = APIToken.objects.get(name="Hana's app")
    address = f"{PAGE}{kenjis.pk}/revoke/"

    by_get = kenjis_browser.get(address)
    without_csrf = kenjis_browser.post(address)
    by_someone_else = revoke(hanas_browser, kenjis)
    kenjis.refresh_from_db()
    assert kenjis.revoked_at is None  # none of these revoked it

    revoked = revoke(kenjis_browser, kenjis)
    again = revoke(kenjis_browser, kenjis)

    assert by_get.status_code == 405
    assert without_csrf.status_code == 403
    assert "That token was already revoked or is not yours." in (
        by_someone_else.content.decode()
    )
    assert revoked.redirect_chain == [(PAGE, 302)]
    html = revoked.content.decode()
    assert "The token was revoked; apps using it are out." in html
    assert '<tr class="revoked">' in html
    assert "That token was already revoked or is not yours." in again.content.decode()
    kenjis.refresh_from_db()
    hanas.refresh_from_db()
    assert kenjis.revoked_at is not None
    assert hanas.revoked_at is None


def test_a_token_works_on_the_api_until_it_is_revoked(app, article, kenji):
    browser = browser_for("Kenji", enforce_csrf_checks=True)
    token = shown_token(make_token(browser, "Comment bot"))
    row = APIToken.objects.get()
    assert row.last_used_at is None

    me = app.get(f"{API}/me", **bearer(token))
    posted = comment_on(article, app, "Posted by my bot.", **bearer(token))
    row.refresh_from_db()
    used_at = row.last_used_at
    revoke(browser, row)
    me_after = app.get(f"{API}/me", **bearer(token))
    refused = comment_on(article, app, "Posted after revoking.", **bearer(token))

    assert me.json()["name"] == "Kenji"
    assert posted.status_code == 201
    assert used_at is not None
    assert me_after.json()["signed_in"] is False
    assert_problem(refused, 401)
    assert list(Comment.objects.values_list("body", flat=True)) == ["Posted by my bot."]
