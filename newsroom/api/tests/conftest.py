"""Fixtures the API tests share: readers, an app, the API's request rates (the
article open for comments is the root conftest's `article`)."""

import pytest
from django.test import Client

from conftest import LEDGER


@pytest.fixture
def kenji(make_reader):
    return make_reader("Kenji")


@pytest.fixture
def hana(make_reader):
    return make_reader("Hana")


@pytest.fixture
def app(network):
    """An app outside the site: no session, and CSRF checks as a browser meets them."""
    return Client(HTTP_HOST=LEDGER, enforce_csrf_checks=True)


@pytest.fixture
def api_rates(settings):
    """Set the API's request rates for one test: `api_rates("3/min", "5/min")`.

    The throttles read their settings at each request; the `settings` fixture puts
    them back afterwards."""

    def set_rates(anonymous: str, signed_in: str) -> None:
        settings.NEWSROOM_API_RATE_ANONYMOUS = anonymous
        settings.NEWSROOM_API_RATE_SIGNED_IN = signed_in

    return set_rates
