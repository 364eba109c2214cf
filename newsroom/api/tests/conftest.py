"""Fixtures the API tests share: an article open for comments, readers, an app."""

import pytest
from django.test import Client

from conftest import LEDGER
from newsroom.comments.tests.factories import set_rules
from newsroom.comments.tests.helpers import an_article


@pytest.fixture
def article(network):
    """A Ledger article whose site's rate limits and posting interval are off."""
    article = an_article()
    set_rules(article)
    return article


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
def api_rates():
    """Set the API's request rates for one test: `api_rates("3/min", "5/min")`.

    The throttles read their settings once, when the API is built, so the test
    changes the throttle objects themselves and puts them back afterwards."""
    from ..http import api

    saved = [(throttle, throttle.rate) for throttle in api.throttle]

    def set_rates(anonymous: str, signed_in: str) -> None:
        for throttle, rate in zip(api.throttle, (anonymous, signed_in), strict=True):
            throttle.rate = rate
            throttle.num_requests, throttle.duration = throttle.parse_rate(rate)

    yield set_rates
    for throttle, rate in saved:
        throttle.rate = rate
        throttle.num_requests, throttle.duration = throttle.parse_rate(rate)
