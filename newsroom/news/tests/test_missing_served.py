"""Addresses nothing answered, as `make demo` serves them (uvicorn, two workers, the
embedded mode): a change made by another process (`manage.py shell`, as an editor in
the admin or the scheduler) reaches both workers' index of addresses and their kept
404 pages at once, though neither reads the content version from the database while
nothing changes."""

import http.client
import uuid

import pytest

from conftest import LEDGER
from newsroom.demo.server import manage

PUBLISH_SCRIPT = """
from newsroom.news.tests.factories import article
article({title!r}, slug={slug!r})
"""
UNPUBLISH_SCRIPT = """
from newsroom.news.models import ArticlePage
ArticlePage.objects.get(url_path="/ledger/world/{slug}/").unpublish()
"""
REDIRECT_SCRIPT = """
from wagtail.contrib.redirects.models import Redirect
Redirect.add_redirect({old!r}, redirect_to="/world/")
"""


@pytest.fixture(scope="module")
def served(serve_demo):
    with serve_demo("missing", workers=2) as server:
        yield server


def fetch(server, path):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": LEDGER})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def shell(server, script: str) -> None:
    manage("shell", "-v", "0", "-c", script, env=server.env)


def missing_everywhere(server, path) -> None:
    """Each worker answers `path` 404 (and keeps that answer) more than once."""
    for _ in range(6):
        assert fetch(server, path)[0] == 404
        assert fetch(server, f"/nowhere-{uuid.uuid4().hex}/")[0] == 404


def test_a_story_published_elsewhere_is_found_by_every_worker_at_once(served):
    slug = f"lantern-festival-{uuid.uuid4().hex[:6]}"
    path = f"/world/{slug}/"
    missing_everywhere(served, path)
    shell(served, PUBLISH_SCRIPT.format(title="Lantern festival returns", slug=slug))
    for _ in range(6):  # no waiting
        status, _, body = fetch(served, path)
        assert status == 200 and b"Lantern festival returns" in body
    shell(served, UNPUBLISH_SCRIPT.format(slug=slug))
    for _ in range(6):
        assert fetch(served, path)[0] == 404


def test_a_redirect_made_elsewhere_redirects_on_every_worker_at_once(served):
    old = f"/old-desk-{uuid.uuid4().hex[:6]}"
    missing_everywhere(served, f"{old}/")
    shell(served, REDIRECT_SCRIPT.format(old=old))
    for _ in range(6):
        status, headers, _ = fetch(served, f"{old}/")
        assert status == 301 and headers["location"] == "/world/"


def test_a_new_address_is_answered_from_the_kept_404_page(served):
    missing_everywhere(served, f"/nowhere-{uuid.uuid4().hex}/")
    _, _, rendered = fetch(served, f"/nowhere-{uuid.uuid4().hex}/")
    answers = [fetch(served, f"/never-asked-{uuid.uuid4().hex}/") for _ in range(6)]
    for status, headers, body in answers:
        assert status == 404 and body == rendered
        assert "x-newsroom-same-as" not in {name.lower() for name in headers}
    assert "hit" in {headers["x-newsroom-cache"] for _, headers, _ in answers}


def test_addresses_other_routes_answer_are_not_taken_for_missing(served):
    missing_everywhere(served, f"/nowhere-{uuid.uuid4().hex}/")
    for _ in range(4):
        status, headers, _ = fetch(served, "/accounts/")
        assert status == 302 and headers["location"].startswith("/accounts/login/")
        assert fetch(served, "/world/")[0] == 200
        assert fetch(served, "/feeds/rss/")[0] == 200
        assert fetch(served, "/nowhere-without-slash")[0] == 301
