"""The production topology on one machine (deploy/cluster.py, `make cluster`):
PostgreSQL, Redis, two app servers, the task worker, the scheduler and Varnish in
front with deploy/varnish/newsroom.vcl.

One topology for the module, over a copy of the run's demo build in a scratch
PostgreSQL database. Readers talk to it over HTTP as browsers would: through
Varnish (the public port) or straight to app server A or B.
"""

import concurrent.futures
import json
import os
import re
import secrets
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests

from conftest import LEDGER, service_missing
from newsroom.comments.tests.sse import Stream
from newsroom.demo.server import manage

# django_db: the suite's test database is set up (and migrated) for this module
# too, whose schema the cluster's database copies; the tests do not use it.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PASSWORD = "newsroom-reader"  # the demo readers' password
# Demo readers who can sign in; Brine and Thunder, the fifth, is suspended.
READERS = ("JJE", "Harbourwatcher", "Mika S", "Old Kobe Hand")
A, B = 0, 1  # the app servers, by index in cluster.app_ports
# Seconds before a request is given up: a safety net, not a measure. The cluster's
# processes share the machine with the rest of the suite, and a page's first view
# makes its photos' renditions (each in a few sizes and formats).
TIMEOUT = 120


@pytest.fixture(scope="module")
def cluster(demo_build, django_db_setup):
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the cluster runs on PostgreSQL: set DATABASE_URL (.ci/run does)")
    if not settings.REDIS_URL:
        pytest.skip("the cluster shares Redis: set REDIS_URL (.ci/run does)")
    if not (shutil.which("varnishd") or Path("/usr/sbin/varnishd").exists()):
        service_missing(
            "Varnish", "no varnishd: apt-get install varnish varnish-modules"
        )
    from django.db import connection

    from deploy.cluster import scratch_cluster

    # The suite's test database is migrated by now: copying its schema saves
    # migrating the cluster's.
    database_url = os.environ["DATABASE_URL"]
    schema = urlparse(database_url)._replace(
        path="/" + connection.settings_dict["NAME"]
    )
    with scratch_cluster(
        source=demo_build,
        database_url=database_url,
        redis_url=settings.REDIS_URL,
        schema_from=schema.geturl(),
    ) as running:
        # The front page shows most photos: make their renditions once, here.
        browser().get(running.url("/", app=A), timeout=TIMEOUT).raise_for_status()
        yield running


# What a browser does, over HTTP


def browser() -> requests.Session:
    session = requests.Session()
    session.headers["Host"] = LEDGER
    return session


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(base: str, name: str) -> requests.Session:
    """A reader signed in on the Ledger through the sign-in page at `base`."""
    session = browser()
    page = session.get(f"{base}/accounts/login/", timeout=TIMEOUT)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "login": name,
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf_token(page.text),
        },
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def lead_story(cluster) -> tuple[str, int]:
    """The path and page id of the Ledger front page's lead story."""
    front = browser().get(cluster.url("/", app=A), timeout=TIMEOUT).text
    url = re.search(r'class="card-headline"><a href="([^"]+)"', front).group(1)
    path = urlparse(url).path
    article = browser().get(cluster.url(path, app=A), timeout=TIMEOUT).text
    return path, int(re.search(r'data-page="(\d+)"', article).group(1))


def post_comment(session, base: str, path: str, page_id: int, body: str) -> int:
    """Post as a signed-in reader would: the form's token from the article page."""
    page = session.get(f"{base}{path}", timeout=TIMEOUT)
    response = session.post(
        f"{base}/comments/on/{page_id}/post/",
        data={"body": body, "csrfmiddlewaretoken": csrf_token(page.text)},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.status_code == 302, response.text[:800]
    return int(response.headers["Location"].rsplit("#comment-", 1)[1])


def in_cluster(cluster, code: str) -> str:
    """Run Python in `manage.py shell` against the cluster's database and
    services, as an operator would; returns what it printed."""
    return manage("shell", "-v", "0", "-c", code, env=cluster.env).stdout


# The tests


def test_a_comment_posted_on_server_a_reaches_readers_on_server_b_and_varnish(
    cluster,
):
    path, page_id = lead_story(cluster)
    events = f"/comments/on/{page_id}/events/"
    on_b = Stream(cluster.url(events, app=B), {})
    through_varnish = Stream(cluster.url(events), {})
    try:
        writer = sign_in(cluster.url("", app=A), "JJE")
        comment = post_comment(
            writer, cluster.url("", app=A), path, page_id, "Posted on server A."
        )

        assert on_b.next("comment")["id"] == comment
        assert through_varnish.next("comment")["id"] == comment
    finally:
        on_b.close()
        through_varnish.close()


# Who votes how on whose comment: each reader votes on the others' comments.
VOTES = {
    "Harbourwatcher": {"JJE": "up", "Mika S": "down", "Old Kobe Hand": "up"},
    "Mika S": {"JJE": "up", "Harbourwatcher": "up", "Old Kobe Hand": "up"},
    "Old Kobe Hand": {"JJE": "up", "Harbourwatcher": "down", "Mika S": "down"},
}
COUNTS = """
import json
from newsroom.comments.models import Comment, Vote
ids = {ids}
print(json.dumps({{
    pk: [up, down, Vote.objects.filter(comment=pk, value=1).count(),
         Vote.objects.filter(comment=pk, value=-1).count()]
    for pk, up, down in Comment.objects.filter(pk__in=ids).values_list(
        "pk", "up_count", "down_count")
}}))
"""


def test_votes_cast_at_once_through_varnish_are_counted_exactly(cluster):
    path, page_id = lead_story(cluster)
    base = cluster.url("")
    readers = {name: sign_in(base, name) for name in READERS}
    comments = {
        author: post_comment(
            readers[author], base, path, page_id, f"{author} on the harbour talks."
        )
        for author in VOTES
    }
    tokens = {
        name: csrf_token(session.get(f"{base}{path}", timeout=TIMEOUT).text)
        for name, session in readers.items()
    }
    watching = Stream(cluster.url(f"/comments/on/{page_id}/events/"), {})

    def cast(vote):
        voter, author, value = vote
        return (
            readers[voter]
            .post(
                f"{base}/comments/{comments[author]}/vote/",
                data={"value": value, "csrfmiddlewaretoken": tokens[voter]},
                allow_redirects=False,
                timeout=TIMEOUT,
            )
            .status_code
        )

    ballots = [
        (voter, author, value)
        for author, votes in VOTES.items()
        for voter, value in votes.items()
    ]
    try:
        with concurrent.futures.ThreadPoolExecutor(len(ballots)) as pool:
            assert list(pool.map(cast, ballots)) == [302] * len(ballots)
        live = {}
        for _ballot in ballots:
            event = watching.next("vote")
            live[event["id"]] = (event["up"], event["down"])
    finally:
        watching.close()

    expected = {
        comments[author]: (
            list(votes.values()).count("up"),
            list(votes.values()).count("down"),
        )
        for author, votes in VOTES.items()
    }
    stored = json.loads(in_cluster(cluster, COUNTS.format(ids=list(expected))))
    assert {int(pk): tuple(counts) for pk, counts in stored.items()} == {
        pk: (up, down, up, down) for pk, (up, down) in expected.items()
    }
    # The last event of each comment carries its final counts.
    assert live == expected


PUBLISH = """
from newsroom.news.models import ArticlePage
page = ArticlePage.objects.get(pk={page_id}).get_latest_revision_as_object()
page.title = {title!r}
page.save_revision().publish()
"""


def test_a_publish_changes_every_page_varnish_serves_that_shows_the_article(cluster):
    path, page_id = lead_story(cluster)
    section = "/" + path.strip("/").split("/")[0] + "/"
    pages = ["/", section, path]
    for page in pages:
        browser().get(cluster.url(page), timeout=TIMEOUT)
        stored = browser().get(cluster.url(page), timeout=TIMEOUT)
        assert stored.headers["X-Cache"] == "HIT", page

    headline = "Harbour talks resume after an overnight breakthrough"
    in_cluster(cluster, PUBLISH.format(page_id=page_id, title=headline))

    # Stored pages stay fresh for seconds and are then served stale for a minute
    # while one request refreshes them: only the purge shows the change at once.
    for page in pages:
        served = browser().get(cluster.url(page), timeout=TIMEOUT)
        assert headline in served.text, page
        assert served.headers["X-Cache"] == "MISS", page


def a_page_nobody_has_asked_for(cluster) -> str:
    """A Ledger article the other tests leave alone, at an address of its own."""
    from newsroom.demo.server import undiscussed_articles

    lead, _page_id = lead_story(cluster)
    path = next(
        path
        for host, path, _url_path in undiscussed_articles(8)
        if host == LEDGER and path != lead
    )
    return f"{path}?from={secrets.token_hex(4)}"


def test_a_signed_in_page_is_never_stored_or_served_to_anyone_else(cluster):
    page = a_page_nobody_has_asked_for(cluster)
    reader = sign_in(cluster.url(""), "Old Kobe Hand")
    # The masthead names the reader signed in.
    masthead = 'class="account-name">Old Kobe Hand<'

    personal = reader.get(cluster.url(page), timeout=TIMEOUT)
    assert personal.headers["X-Cache"] == "PASS"
    assert masthead in personal.text
    reader.cookies.set("nr_overlay", "1")
    with_overlay = reader.get(cluster.url(page), timeout=TIMEOUT)
    # Nothing stored yet: the overlay reader's miss goes to the app and fills
    # nothing.
    assert with_overlay.headers["X-Cache"] == "PASS"

    first = browser().get(cluster.url(page), timeout=TIMEOUT)
    second = browser().get(cluster.url(page), timeout=TIMEOUT)
    assert first.headers["X-Cache"] == "MISS"
    assert second.headers["X-Cache"] == "HIT"
    for served in (first, second):
        assert 'class="account-name"' not in served.text
        assert "Set-Cookie" not in served.headers

    # Once stored, the overlay reader may have the shared page; without the
    # overlay, the reader's own page still comes from the app.
    shared = reader.get(cluster.url(page), timeout=TIMEOUT)
    assert shared.headers["X-Cache"] == "HIT"
    assert 'class="account-name"' not in shared.text
    reader.cookies.set("nr_overlay", None)
    again = reader.get(cluster.url(page), timeout=TIMEOUT)
    assert again.headers["X-Cache"] == "PASS"
    assert masthead in again.text
