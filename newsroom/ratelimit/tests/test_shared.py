"""Two app servers, separate processes started by the test on one data directory,
count against one limit: on SQLite (the embedded mode, where each process used to
count on its own) and on Redis where the suite runs with it.

The door is the sign-in page: its attempts per address are limited
(`NEWSROOM_RL_LOGIN`), and a POST is never answered from a cache.
"""

import http.client
import re
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from conftest import LEDGER, port_open, service_missing
from newsroom.demo.server import serving

ATTEMPTS = 3  # sign-in attempts allowed per address and minute in this test


@pytest.fixture(scope="module", params=["sqlite", "redis"])
def two_servers(request, serve_demo):
    """The demo served twice over: its own server, and a second uvicorn on the
    same database (and Redis, in that variant), each with one worker."""
    from django.conf import settings

    env = {"NEWSROOM_RL_LOGIN": f"{ATTEMPTS}/m/ip"}
    prefix = f"newsroom-test-limits-{uuid.uuid4().hex[:8]}"
    if request.param == "redis":
        if not settings.REDIS_URL:
            pytest.skip("the Redis variant runs where the suite runs on Redis (CI)")
        if not port_open(settings.REDIS_URL, 6379):
            service_missing("Redis", f"nothing answers at {settings.REDIS_URL}")
        env |= {"REDIS_URL": settings.REDIS_URL, "NEWSROOM_CACHE_PREFIX": prefix}
    with serve_demo("limits", env=env) as first, serving(first.env) as second:
        yield first, second
    if request.param == "redis":
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        for key in client.scan_iter(match=f"{prefix}:*", count=500):
            client.delete(key)


def sign_in_page(server, host) -> tuple[str, str]:
    """The CSRF cookie and form token of the sign-in page served by `server`."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", "/accounts/login/", headers={"Host": host})
        response = connection.getresponse()
        html = response.read().decode()
    finally:
        connection.close()
    cookie = SimpleCookie(response.getheader("Set-Cookie"))["csrftoken"].value
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    return cookie, token


def attempt(server, host, cookie, token) -> http.client.HTTPResponse:
    """A sign-in with a wrong password, POSTed to `server`."""
    body = urlencode(
        {
            "login": "nobody@example.com",
            "password": "not-the-password",
            "csrfmiddlewaretoken": token,
        }
    )
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={
                "Host": host,
                "Cookie": f"csrftoken={cookie}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = connection.getresponse()
        response.body = response.read().decode()
    finally:
        connection.close()
    return response


def test_two_servers_count_one_readers_attempts_against_one_limit(two_servers):
    first, second = two_servers
    host = f"{LEDGER}:{first.port}"  # the site, whichever server answers
    cookie, token = sign_in_page(first, host)

    # Alternately to each server: each has seen only some of the attempts.
    servers = [(first, second)[number % 2] for number in range(ATTEMPTS + 1)]
    answers = [attempt(server, host, cookie, token) for server in servers]

    assert [a.status for a in answers] == [200] * ATTEMPTS + [429], [
        a.body[-500:] for a in answers if a.status not in (200, 429)
    ]
    refused = answers[-1]
    assert 1 <= int(refused.getheader("Retry-After")) <= 60
    assert "Too many sign-in attempts from your network." in refused.body
    # The first server, which has seen only two of them, refuses the next one too.
    assert attempt(first, host, cookie, token).status == 429
