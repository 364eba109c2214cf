"""Display names that could pass for the newsroom's own voice are refused, at every
door a reader names themselves: sign-up, the change of name in settings, and the
social sign-up's "Almost done" form (in test_social, beside its stand-ins). Editors
add words per site in the admin."""

import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from wagtail.models import Site

from conftest import COURIER, LEDGER
from newsroom.accounts.models import CommunitySettings
from newsroom.accounts.names import STAFF_WORDS, impersonates
from newsroom.news.tests.helpers import visible_text

from .helpers import PASSWORD

User = get_user_model()
REFUSED = "can't include"


def register(client, name, email="newcomer@ekimail.jp"):
    return client.post(
        "/accounts/signup/",
        {
            "username": name,
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("Ledger Editor", "Ledger"),  # the site's hostname, then a role
        ("Night Editor", "Editor"),
        ("The_Moderator", "Moderator"),
        ("TheModerator", "Moderator"),  # words meet at a capital
        ("Adm1n", "Adm1n"),  # digit one for i
        ("ＡＤＭＩＮ", "ADMIN"),  # fullwidth
        ("Mοderator", "Mοderator"),  # Greek omicron
        ("Adrnin Desk", "Adrnin"),  # r and n read as m
        ("Editor2025", "Editor2025"),  # a number added to the role
        ("0fficial News", "0fficial"),
        ("Supp0rt", "Supp0rt"),
        ("Mod erator", "Mod"),
        ("Tokyo Ledger", "Tokyo Ledger"),  # the site's name without "The"
        ("TokyoLedger fan", "TokyoLedger"),
        ("ledgereditor", "ledgereditor"),  # two reserved words run together
        ("Kansai Evening Courier", "Kansai Evening Courier"),
        ("Newsroom Team", "Newsroom"),  # the network's name (settings)
    ],
)
def test_names_that_impersonate_staff_or_a_site_are_refused_at_sign_up(
    ledger, smtp, name, part
):
    response = register(ledger, name)

    assert response.status_code == 200
    assert (
        f"A display name can't include “{part}”: it could be taken for our staff or "
        "one of our sites. Please choose another name."
    ) in visible_text(response)
    assert b'value="newcomer@ekimail.jp"' in response.content  # nothing typed is lost
    assert not User.objects.filter(email="newcomer@ekimail.jp").exists()
    assert smtp.messages == []


@pytest.mark.parametrize(
    "name",
    ["Editha", "Staffordshire Sam", "Modest Reader", "Ledgerwood", "Officially Ken"],
)
def test_names_that_only_contain_the_letters_of_a_reserved_word_are_welcome(
    ledger, smtp, name
):
    response = register(ledger, name)

    assert response.status_code == 302, visible_text(response)
    assert User.objects.get(email="newcomer@ekimail.jp").username == name


def test_an_editor_reserves_a_name_for_every_site_of_the_network(ledger, smtp):
    admin = User.objects.create_superuser("chief", "chief@example.com")
    editor = Client(HTTP_HOST=LEDGER)
    editor.force_login(admin)
    site = Site.objects.get(hostname=LEDGER)
    url = f"/cms/settings/accounts/communitysettings/{site.pk}/"
    assert "Reserved names" in visible_text(editor.get(url))
    assert register(Client(HTTP_HOST=COURIER), "Hana Kato").status_code == 302
    User.objects.filter(username="Hana Kato").delete()

    saved = editor.post(
        url,
        {"deleted_account_comments": "keep", "reserved_names": "Hana Kato\n\nWeather"},
    )

    assert saved.status_code == 302
    stored = CommunitySettings.for_site(site).reserved_names
    assert stored.split() == ["Hana", "Kato", "Weather"]
    # A look-alike of the columnist's name, on the sister site too.
    response = register(Client(HTTP_HOST=COURIER), "Hana_Kat0")
    assert "can't include “Hana_Kat0”" in visible_text(response)
    response = register(ledger, "Weather Watcher")
    assert "can't include “Weather”" in visible_text(response)
    assert not User.objects.filter(email="newcomer@ekimail.jp").exists()


def test_a_reader_cannot_rename_themselves_as_staff(ledger, make_reader):
    reader = make_reader("Kenji")
    ledger.force_login(reader)

    response = ledger.post(
        "/accounts/settings/name/", {"display_name": "Kenji the Moderator"}
    )

    assert response.status_code == 400
    assert "can't include “Moderator”" in visible_text(response)
    reader.refresh_from_db()
    assert reader.username == "Kenji"
    assert not reader.display_name_changes.exists()


# The rule itself, on any name.

WORDS = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", max_size=8
)


@settings(max_examples=200, deadline=None)
@given(
    before=WORDS,
    role=st.sampled_from(STAFF_WORDS),
    after=WORDS,
    joint=st.sampled_from(" _-."),
)
def test_a_staff_word_between_any_other_words_is_found(before, role, after, joint):
    name = joint.join(part for part in (before, role.title(), after) if part)

    assert impersonates(name, STAFF_WORDS) is not None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_what_is_found_is_a_part_of_the_name_as_typed(name):
    found = impersonates(name, [*STAFF_WORDS, "Tokyo Ledger"])

    assert found is None or found in unicodedata.normalize("NFKC", name)
