"""The client's address behind the trusted proxies (newsroom/ratelimit/clients.py),
and what it means for a limit per address."""

import pytest
from django.core import checks
from django.test import Client, RequestFactory

from conftest import LEDGER
from newsroom.ratelimit.clients import client_address, limit_subject

API = "/api/v1"
PROXY = "10.0.0.2"


def address(settings, trusted, peer, forwarded=None) -> str:
    settings.NEWSROOM_TRUSTED_PROXIES = trusted
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=peer, **headers))


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "client"),
    [
        # No proxy trusted: the header is the client's own say, and ignored.
        ([], "203.0.113.5", "198.51.100.1", "203.0.113.5"),
        ([], "127.0.0.1", "198.51.100.1", "127.0.0.1"),
        # A peer that is not a trusted proxy: ignored too.
        ([PROXY], "203.0.113.5", "198.51.100.1", "203.0.113.5"),
        # From the proxy: what it added, at the right, whatever the client sent.
        ([PROXY], PROXY, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        # Through two trusted proxies (nginx, then Varnish): skip both.
        (["10.0.0.0/24"], PROXY, "198.51.100.1, 10.0.0.3", "198.51.100.1"),
        # Ports and brackets, as proxies may write them.
        ([PROXY], PROXY, "198.51.100.1:4711", "198.51.100.1"),
        ([PROXY], PROXY, "[2001:db8::7]:4711", "2001:db8::7"),
        ([PROXY], PROXY, "2001:db8::7", "2001:db8::7"),
        # Nothing forwarded, or only trusted hops: the first hop.
        ([PROXY], PROXY, None, PROXY),
        (["10.0.0.0/24"], PROXY, "10.0.0.9, 10.0.0.3", "10.0.0.9"),
        # A trusted entry that is no address is left out; the others still count.
        (["localhost", PROXY], PROXY, "198.51.100.1", "198.51.100.1"),
    ],
)
def test_the_client_is_the_rightmost_address_no_trusted_proxy_added(
    settings, trusted, peer, forwarded, client
):
    assert address(settings, trusted, peer, forwarded) == client


def test_an_ipv6_client_is_limited_by_its_network():
    assert limit_subject("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert limit_subject("198.51.100.1") == "198.51.100.1"
    assert limit_subject("") == ""


def test_an_entry_that_is_no_address_is_reported(settings):
    settings.NEWSROOM_TRUSTED_PROXIES = ["127.0.0.1", "*", "proxy.internal"]

    found = [m for m in checks.run_checks(tags=["newsroom"]) if m.id == "newsroom.E033"]

    assert [("'*'" in m.msg, "proxy.internal" in m.msg) for m in found] == [
        (True, False),
        (False, True),
    ]


def reads(*forwarded) -> list[int]:
    """Anonymous API reads from one peer, each claiming another address."""
    client = Client(HTTP_HOST=LEDGER, REMOTE_ADDR=PROXY)
    return [
        client.get(f"{API}/sites", HTTP_X_FORWARDED_FOR=claim).status_code
        for claim in forwarded
    ]


def test_untrusted_forwarded_addresses_share_their_peers_limit(settings, network):
    settings.NEWSROOM_API_RATE_ANONYMOUS = "2/min"
    settings.NEWSROOM_TRUSTED_PROXIES = []

    assert reads("198.51.100.1", "198.51.100.2", "198.51.100.3") == [200, 200, 429]


def test_a_trusted_proxys_clients_are_limited_one_by_one(settings, network):
    settings.NEWSROOM_API_RATE_ANONYMOUS = "2/min"
    settings.NEWSROOM_TRUSTED_PROXIES = [PROXY]

    assert reads("198.51.100.1", "198.51.100.2", "198.51.100.3") == [200, 200, 200]
    assert reads("198.51.100.1", "198.51.100.1") == [200, 429]
