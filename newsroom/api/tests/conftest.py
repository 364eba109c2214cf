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
