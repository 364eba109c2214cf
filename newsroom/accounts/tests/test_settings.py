"""Profiles, settings, display-name changes, time zones, data export and deletion."""

import datetime
import json

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.test import Client
from django.utils import timezone

from newsroom.accounts import signals
from newsroom.accounts.models import CommunitySettings, DisplayNameChange
from newsroom.alerts.models import Subscriber, Subscription
from newsroom.news.tests.helpers import demo_article, visible_text
from newsroom.news.tests.test_queries import queries_for

from .helpers import PASSWORD, sign_in

User = get_user_model()


def test_settings_ask_anonymous_readers_to_sign_in_first(ledger):
    response = ledger.get("/accounts/settings/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/settings/"


def test_a_public_profile_shows_name_and_membership_but_never_the_email(
    ledger, make_reader
):
    reader = make_reader("Kenji")

    page = visible_text(ledger.get(f"/readers/{reader.pk}/"))

    assert "Kenji" in page
    assert "Member since" in page
    assert f"{timezone.localtime(reader.date_joined):%B %Y}" in page
    assert "No comments yet." in page
    assert "kenji@example.com" not in page


def test_profiles_of_deactivated_or_unknown_readers_are_not_found(ledger, make_reader):
    reader = make_reader("Kenji")
    User.objects.filter(pk=reader.pk).update(is_active=False)

    assert ledger.get(f"/readers/{reader.pk}/").status_code == 404
    assert ledger.get("/readers/999999/").status_code == 404


def test_a_reader_changes_display_name_once_in_thirty_days(ledger, make_reader):
    reader = make_reader("Kenji")
    ledger.force_login(reader)

    response = ledger.post("/accounts/settings/name/", {"display_name": "Kenji T"})
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.username == "Kenji T"
    [change] = DisplayNameChange.objects.filter(user=reader)
    assert (change.old_name, change.new_name) == ("Kenji", "Kenji T")
    assert "Your display name is now Kenji T." in visible_text(
        ledger.get("/accounts/settings/")
    )

    again = ledger.post("/accounts/settings/name/", {"display_name": "Kenji Tanaka"})
    assert again.status_code == 400
    allowed = timezone.localtime(change.changed_at + datetime.timedelta(days=30))
    assert f"You can change your display name again on {allowed:%b}" in (
        visible_text(again)
    )
    reader.refresh_from_db()
    assert reader.username == "Kenji T"


def test_a_name_change_cannot_take_someone_elses_name(ledger, make_reader):
    make_reader("Blacklabel")
    reader = make_reader("Kenji")
    ledger.force_login(reader)

    response = ledger.post("/accounts/settings/name/", {"display_name": "B1ackLabel"})

    assert response.status_code == 400
    assert "already taken" in visible_text(response)
    reader.refresh_from_db()
    assert reader.username == "Kenji"
    assert not DisplayNameChange.objects.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required"),
        ("x" * 10_000, "Ensure this value has at most 200 characters"),
        ("Bell\x07", "can't contain invisible or control characters"),
        ("{% debug %}", "letters, digits, spaces"),
    ],
)
def test_bad_new_names_change_nothing(ledger, make_reader, name, message):
    reader = make_reader("Kenji")
    ledger.force_login(reader)

    response = ledger.post("/accounts/settings/name/", {"display_name": name})

    assert response.status_code == 400
    assert message in visible_text(response)
    reader.refresh_from_db()
    assert reader.username == "Kenji"


def test_staff_can_read_the_display_name_history_but_not_edit_it(
    ledger, make_reader, network
):
    reader = make_reader("Kenji")
    ledger.force_login(reader)
    ledger.post("/accounts/settings/name/", {"display_name": "Kenji T"})
    admin = User.objects.create_superuser("Chief", "chief@example.com", PASSWORD)
    ledger.force_login(admin)

    listing = ledger.get("/cms/display_name_history/")

    assert listing.status_code == 200
    assert "Kenji T" in visible_text(listing)
    assert ledger.get("/cms/display_name_history/new/").status_code in {302, 403}


def test_times_follow_the_readers_time_zone(ledger, make_reader):
    _spec, article = demo_article(lambda spec: True)
    reader = make_reader("Kenji")
    assert "JST" in visible_text(ledger.get(article.url))
    sign_in(ledger, "Kenji")

    response = ledger.post(
        "/accounts/settings/time-zone/", {"time_zone": "Europe/London"}
    )

    assert response.status_code == 302
    page = visible_text(ledger.get(article.url))
    assert "GMT" in page
    assert "JST" not in page
    home = visible_text(ledger.get("/"))
    assert "JST" not in home  # the cached front page is kept per time zone

    # Signing in elsewhere brings the choice along.
    ledger.post("/accounts/logout/")
    assert "JST" in visible_text(ledger.get(article.url))
    sign_in(ledger, "Kenji")
    assert "GMT" in visible_text(ledger.get(article.url))
    reader.refresh_from_db()
    assert reader.profile.time_zone == "Europe/London"


def test_an_unknown_time_zone_is_refused(ledger, make_reader):
    ledger.force_login(make_reader("Kenji"))

    response = ledger.post(
        "/accounts/settings/time-zone/", {"time_zone": "Mars/Olympus_Mons"}
    )

    assert response.status_code == 400
    assert "Select a valid choice" in visible_text(response)


def test_a_reader_downloads_all_their_data_as_json(ledger, make_reader, network):
    reader = make_reader("Kenji")
    SocialAccount.objects.create(user=reader, provider="facebook", uid="10001")
    Subscription.objects.create(
        subscriber=Subscriber.objects.create(email=reader.email, user=reader),
        site=network.sites["ledger"],
    )

    @receiver(signals.personal_data)
    def add_reading_list(sender, user, **kwargs):
        return "reading_list", [f"saved by {user.get_username()}"]

    try:
        ledger.force_login(reader)
        response = ledger.get("/accounts/settings/export/")
    finally:
        signals.personal_data.disconnect(add_reading_list)

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["display_name"] == "Kenji"
    assert data["email_addresses"] == [
        {"email": "kenji@example.com", "verified": True, "primary": True}
    ]
    assert data["sign_in_methods"]["password"] is True
    assert data["sign_in_methods"]["social_accounts"][0]["provider"] == "facebook"
    [address] = data["news_alerts"]["addresses"]
    [consent] = address["subscriptions"]
    assert consent["site"] == "The Tokyo Ledger"
    assert consent["confirmed_at"] is None
    assert data["reading_list"] == ["saved by Kenji"]


def test_deleting_an_account_needs_the_password(ledger, make_reader):
    reader = make_reader("Kenji")
    ledger.force_login(reader)

    response = ledger.post("/accounts/delete/", {"confirmation": "not my password"})

    assert response.status_code == 400
    assert "That is not your password." in visible_text(response)
    assert User.objects.filter(pk=reader.pk).exists()


def test_a_reader_deletes_their_account(ledger, make_reader, network):
    reader = make_reader("Kenji")
    CommunitySettings.objects.create(
        site=network.sites["courier"],
        deleted_account_comments=CommunitySettings.CommentPolicy.REMOVE,
    )
    ledger.force_login(reader)
    page = visible_text(ledger.get("/accounts/delete/"))
    assert "shown under “deleted user” instead of your name" in page
    seen = []

    @receiver(signals.account_deleting)
    def note(sender, user, policies, **kwargs):
        seen.append((user.get_username(), policies))

    try:
        response = ledger.post("/accounts/delete/", {"confirmation": PASSWORD})
    finally:
        signals.account_deleting.disconnect(note)

    assert response.status_code == 200
    assert "Your account has been deleted" in visible_text(response)
    assert not User.objects.filter(pk=reader.pk).exists()
    assert seen == [
        (
            "Kenji",
            {
                network.sites["ledger"].pk: "keep",
                network.sites["courier"].pk: "remove",
            },
        )
    ]
    assert ledger.get("/accounts/settings/").status_code == 302  # signed out


def test_a_social_only_reader_confirms_deletion_with_the_display_name(
    ledger, make_reader
):
    reader = make_reader("Kenji")
    reader.set_unusable_password()
    reader.save()
    ledger.force_login(reader)

    assert (
        ledger.post("/accounts/delete/", {"confirmation": "kenji"}).status_code == 400
    )
    ledger.post("/accounts/delete/", {"confirmation": "Kenji"})

    assert not User.objects.filter(pk=reader.pk).exists()


def test_staff_accounts_are_not_deleted_from_the_reader_page(ledger, network):
    editor = User.objects.get(username="editor")
    ledger.force_login(editor)

    response = ledger.post("/accounts/delete/", {"confirmation": "newsroom-editor"})

    assert "Staff accounts are closed by an administrator" in visible_text(response)
    assert User.objects.filter(pk=editor.pk).exists()


def test_a_signed_in_reader_costs_the_article_page_three_queries_more(
    ledger, make_reader
):
    _spec, article = demo_article(lambda spec: True)
    anonymous = queries_for(Client(HTTP_HOST="ledger.localhost"), article.url)
    make_reader("Kenji")
    sign_in(ledger, "Kenji")
    ledger.post("/accounts/settings/time-zone/", {"time_zone": "Europe/London"})

    signed_in = queries_for(ledger, article.url)

    # The session, the user and whether the address is verified (the comment box
    # or the reason there is none); the time zone comes from the session and the
    # unread-notification count from the cache.
    assert signed_in == anonymous + 3
