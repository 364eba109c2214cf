"""The API's request rates and embedding comments on other websites, judged by
`manage.py check` (newsroom/api/checks.py)."""

import pytest
from django.core import checks
from wagtail.models import Site

from conftest import LEDGER
from newsroom.api.models import EmbedSettings

READ = (
    "NEWSROOM_API_RATE_ANONYMOUS",
    "NEWSROOM_API_RATE_SIGNED_IN",
    "NEWSROOM_EMBED_CROSS_SITE",
    "NEWSROOM_HTTPS",
)


def messages(**options) -> list:
    return checks.run_checks(tags=["newsroom"], **options)


def found(**options) -> list[str]:
    return [message.id for message in messages(**options)]


def test_the_defaults_pass(from_environment):
    from_environment(READ)

    assert found() == []


@pytest.mark.parametrize("rate", ["1/s", "120/min", "5000/h", "10000/d", "30/5m"])
def test_a_rate_ninja_reads_passes(from_environment, rate):
    from_environment(READ, NEWSROOM_API_RATE_ANONYMOUS=rate)

    assert found() == []


@pytest.mark.parametrize("rate", ["", "120", "120/minutes", "many/min", "0/min"])
def test_a_rate_ninja_cannot_read_is_an_error(from_environment, rate):
    from_environment(READ, NEWSROOM_API_RATE_SIGNED_IN=rate)

    [error] = messages()
    assert error.id == "newsroom.E031"
    assert error.msg.startswith("NEWSROOM_API_RATE_SIGNED_IN ")


def test_cross_site_embedding_without_https_keeps_lax_cookies_and_is_an_error(
    from_environment,
):
    made = from_environment(READ, NEWSROOM_EMBED_CROSS_SITE="1")

    assert made["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert found() == ["newsroom.E040"]

    made = from_environment(READ, NEWSROOM_EMBED_CROSS_SITE="1", NEWSROOM_HTTPS="1")

    assert made["SESSION_COOKIE_SAMESITE"] == "None"
    assert found() == []


def test_a_stored_list_of_embedding_websites_is_checked_with_the_database(network):
    site = Site.objects.get(hostname=LEDGER)
    # Stored past the admin's validation, as a data migration or the shell could.
    EmbedSettings.objects.update_or_create(
        site=site,
        defaults={"allowed_origins": "https://www.example.com\nwww.example.com/news"},
    )

    assert found() == []  # `manage.py check` without --database reads no rows
    [error] = messages(databases=["default"])
    assert error.id == "newsroom.E041"
    assert "www.example.com/news" in error.msg

    EmbedSettings.objects.filter(site=site).update(
        allowed_origins="https://www.example.com\nhttp://partner.example:8080"
    )
    assert found(databases=["default"]) == []
