"""The page cache as `make demo` serves it: uvicorn, two workers, the embedded mode.

One served copy of the demo for the module; each test reads its own article's page
so they do not depend on each other's cache entries. Purges made by another process
(`manage.py shell`, as an editor's publish in the admin or the scheduler would) reach
both workers through the data directory's purge log.
"""

import gzip
import http.client
import json
import re
import threading
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import brotli
import pytest

from conftest import LEDGER, expect, port_open, service_missing
from newsroom.demo.server import manage

ARTICLES_SCRIPT = """
import json
from newsroom.news.models import ArticlePage
pages = ArticlePage.objects.live().filter(url_path__startswith="/ledger/")
print(json.dumps([p.url_path.removeprefix("/ledger") for p in pages.order_by("pk")]))
"""

# Live streams would hold the served workers' connections open; not under test here.
STREAMS = ["**/events/**", "**/notifications/stream/**"]

EDIT_SCRIPT = """
from newsroom.news.models import ArticlePage
page = ArticlePage.objects.get(url_path="/ledger{path}")
page.title = {title!r}
page.save_revision().publish()
"""


@pytest.fixture(scope="module", params=["memory", "redis"])
def served(request, serve_demo):
    """Two workers keeping pages in their own memory (the embedded default), then
    sharing them in Redis (as app servers with REDIS_URL do)."""
    from django.conf import settings

    env = {"NEWSROOM_SHARED_MAX_AGE": "30"}
    if request.param == "redis":
        if not settings.REDIS_URL:
            pytest.skip("the Redis variant runs where the suite runs on Redis (CI)")
        url = settings.REDIS_URL
        if not port_open(url, 6379):
            service_missing("Redis", f"nothing answers at {url}")
        prefix = f"{settings.NEWSROOM_CACHE_PREFIX}-edge-{uuid.uuid4().hex[:8]}"
        env |= {"REDIS_URL": url, "NEWSROOM_CACHE_PREFIX": prefix}
    with serve_demo(f"edge-{request.param}", workers=2, env=env) as server:
        yield server


@pytest.fixture(scope="module")
def paths(served):
    return json.loads(
        manage("shell", "-v", "0", "-c", ARTICLES_SCRIPT, env=served.env).stdout
    )


def fetch(server, path, headers=None, method="GET", body=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(
            method, path, body=body, headers={"Host": LEDGER, **(headers or {})}
        )
        response = connection.getresponse()
        answer = Headers(response.getheaders())
        return response.status, answer, response.read()
    finally:
        connection.close()


def test_a_shared_page_is_rendered_once_then_served_from_the_cache(served, paths):
    status, first, body = fetch(served, paths[0])
    assert status == 200
    assert first["x-newsroom-cache"] == "miss"
    # Either worker may answer; each fills its own memory once.
    answers = [fetch(served, paths[0]) for _ in range(6)]
    assert {headers["x-newsroom-cache"] for _, headers, _ in answers} <= {"hit", "miss"}
    assert [h["x-newsroom-cache"] for _, h, _ in answers].count("miss") <= 1
    assert all(content == body for _, _, content in answers)
    assert "set-cookie" not in {name.lower() for name in first}
    assert b"csrfmiddlewaretoken" not in body
    assert "s-maxage=30" in first["cache-control"]
    assert first["vary"] == "Accept-Encoding"


def test_bodies_are_kept_compressed_and_served_as_the_client_accepts(served, paths):
    _, plain_headers, plain = fetch(served, paths[1])
    _, gz_headers, gz = fetch(served, paths[1], {"Accept-Encoding": "gzip"})
    _, br_headers, br = fetch(served, paths[1], {"Accept-Encoding": "gzip, br"})
    assert gz_headers["content-encoding"] == "gzip"
    assert br_headers["content-encoding"] == "br"
    assert "content-encoding" not in plain_headers
    assert gzip.decompress(gz) == brotli.decompress(br) == plain
    assert len(br) < len(gz) < len(plain) / 3
    # Each representation has its own strong ETag.
    etags = {plain_headers["etag"], gz_headers["etag"], br_headers["etag"]}
    assert len(etags) == 3 and not any(tag.startswith("W/") for tag in etags)


def test_a_conditional_request_gets_304_without_a_body(served, paths):
    _, headers, _ = fetch(served, paths[2], {"Accept-Encoding": "gzip"})
    status, again, body = fetch(
        served,
        paths[2],
        {"Accept-Encoding": "gzip", "If-None-Match": headers["etag"]},
    )
    assert (status, body) == (304, b"")
    assert again["etag"] == headers["etag"]
    status, _, _ = fetch(
        served, paths[2], {"If-Modified-Since": headers["last-modified"]}
    )
    assert status == 304
    status, _, body = fetch(served, paths[2], {"If-None-Match": '"something-else"'})
    assert status == 200 and body


def test_a_publish_elsewhere_purges_every_worker_at_once(served, paths):
    path = paths[3]
    for _ in range(4):  # warm both workers
        fetch(served, path)
    _, _, front_before = fetch(served, "/")
    headline = "Harbour ferry timetable rewritten overnight"
    manage(
        "shell",
        "-v",
        "0",
        "-c",
        EDIT_SCRIPT.format(path=path, title=headline),
        env=served.env,
    )
    # No waiting: the next request of either worker sees the purge.
    for _ in range(4):
        status, headers, body = fetch(served, path)
        assert headline.encode() in body
    _, _, front = fetch(served, "/")
    assert headline.encode() in front and front != front_before


def test_a_signed_in_reader_is_never_served_nor_stores_a_shared_copy(served, paths):
    path = paths[4]
    _, anonymous, shared = fetch(served, path)
    cookie = {"Cookie": "sessionid=not-a-real-session"}
    status, headers, body = fetch(served, path, cookie)
    # A session the app does not know is anonymous all the same, but this request
    # went through the app: no cache answers a request carrying a session.
    assert "x-newsroom-cache" not in headers
    with_overlay = {"Cookie": "sessionid=not-a-real-session; nr_overlay=1"}
    # Each worker keeps its own copy in memory mode: fill whichever answers until
    # the request with the overlay cookie reaches one that holds the page.
    for _attempt in range(12):
        fetch(served, path)
        _, headers, body = fetch(served, path, with_overlay)
        if headers.get("x-newsroom-cache") == "hit":
            break
    assert headers["x-newsroom-cache"] == "hit" and body == shared


def test_a_flash_message_cookie_bypasses_the_cache(served, paths):
    fetch(served, paths[5])
    _, headers, _ = fetch(served, paths[5], {"Cookie": "messages=anything"})
    assert "x-newsroom-cache" not in headers


def test_concurrent_misses_render_once(served, paths):
    path = paths[6]
    results = []

    def read():
        results.append(fetch(served, path)[1]["x-newsroom-cache"])

    threads = [threading.Thread(target=read) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # At most one render per worker; everyone else waited for it.
    assert results.count("miss") <= 2 and len(results) == 12


def test_personal_pages_are_not_kept(served):
    for _ in range(2):
        status, headers, _ = fetch(served, "/accounts/login/")
        assert status == 200
        assert "x-newsroom-cache" not in headers
        assert "private" in headers["cache-control"]


DEMO_PASSWORD = "newsroom-reader"  # the demo readers', printed by `make demo`


def sign_in(server, login, password=DEMO_PASSWORD) -> dict:
    """Sign in through the sign-in form as a browser does; returns its cookies."""
    _, headers, body = fetch(server, "/accounts/login/")
    cookies = cookies_from(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = urlencode(
        {"login": login, "password": password, "csrfmiddlewaretoken": token.decode()}
    )
    status, headers, _ = fetch(
        server,
        "/accounts/login/",
        {
            "Cookie": cookie_header(cookies),
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{LEDGER}/accounts/login/",
        },
        method="POST",
        body=form,
    )
    assert status == 302, "the demo reader could not sign in"
    return cookies | cookies_from(headers)


class Headers(dict):
    """Response headers by lower-case name; every Set-Cookie kept."""

    def __init__(self, pairs):
        super().__init__((name.lower(), value) for name, value in pairs)
        self.cookies = [value for name, value in pairs if name.lower() == "set-cookie"]


def cookies_from(headers) -> dict:
    jar = SimpleCookie()
    for value in headers.cookies:
        jar.load(value)
    return {name: morsel.value for name, morsel in jar.items() if morsel.value}


def cookie_header(cookies: dict) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def test_a_readers_overlay_is_kept_for_their_browser_until_they_act(served, paths):
    cookies = sign_in(served, "JJE")
    mine = {"Cookie": cookie_header(cookies)}
    overlay_path = "/me/overlay/"
    _, first, body = fetch(served, overlay_path, mine)
    assert json.loads(body)["signed_in"] is True and b"JJE" in body
    cookies |= cookies_from(first)  # as the browser keeps them
    mine = {"Cookie": cookie_header(cookies)}
    answers = [
        fetch(served, overlay_path, mine)[1]["x-newsroom-cache"] for _ in range(4)
    ]
    assert "hit" in answers  # each worker keeps it after its first answer
    assert "private" in first["cache-control"] and "no-store" in first["cache-control"]
    # Another browser (no cookies, or another session) never gets it.
    _, _, anonymous = fetch(served, overlay_path)
    assert json.loads(anonymous) == {"signed_in": False}
    stranger = {"Cookie": "sessionid=guessed; csrftoken=" + cookies["csrftoken"]}
    _, _, guessed = fetch(served, overlay_path, stranger)
    assert json.loads(guessed) == {"signed_in": False}
    # Signing out ends it at once.
    fetch(
        served,
        "/accounts/logout/",
        {
            **mine,
            "X-CSRFToken": json.loads(body)["csrf"],
            "Referer": f"http://{LEDGER}/",
        },
        method="POST",
    )
    for _ in range(4):
        _, _, after = fetch(served, overlay_path, mine)
        assert json.loads(after) == {"signed_in": False}


@pytest.mark.browser
def test_a_signed_in_reader_gets_the_shared_page_with_their_own_parts(
    served, paths, open_page
):
    """Chromium: the page comes from the cache, the reader's parts from the overlay
    (their name, their votes, Edit and Delete on their own comments, the comment
    box), and a vote works; another browser still sees the page signed out."""
    path = next(p for p in paths if "pacific-trade-ministers" in p)  # 47 comments
    base = f"http://{LEDGER}:{served.port}"
    page = open_page(blocked=STREAMS)
    page.goto(base + path)  # anonymous: fills the cache, and page.js marks the browser
    page.goto(f"{base}/accounts/login/?next={path}")
    page.get_by_label("Email or display name").fill("JJE")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator(".entrance-login").get_by_role("button", name="Sign in").click()
    # Each worker keeps its own copy (memory mode): fill whichever answers until the
    # signed-in reader is served a kept one (a worker without one renders theirs).
    for _attempt in range(12):
        fetch(served, path)
        shown = page.reload()
        if shown.headers.get("x-newsroom-cache") in ("hit", "stale"):
            break
    else:
        pytest.fail("the signed-in reader was never served the shared page")

    expect(page.locator(".account-nav .account-name")).to_have_text("JJE")
    expect(page.locator("#comment-body")).to_be_visible()
    own = page.locator("#comment-list > .comment").filter(
        has=page.locator(".comment-author", has_text="JJE")
    )
    expect(own.first.get_by_role("button", name="Delete")).to_be_visible()
    expect(own.first.locator(".comment-report")).to_have_count(0)
    other = (
        page.locator("#comment-list > .comment:not(.comment-gone)")
        .filter(has_not=page.locator(".comment-author", has_text="JJE"))
        .first
    )
    summary = other.locator(".vote-summary")
    button = other.locator("button.vote-up")
    before, pressed = summary.inner_text(), button.get_attribute("aria-pressed")
    button.click()  # a form the overlay built, posted by htmx with the reader's token
    expect(summary).not_to_have_text(before)
    expect(other.locator("button.vote-up")).not_to_have_attribute(
        "aria-pressed", pressed
    )

    stranger = open_page(blocked=STREAMS)
    stranger.goto(base + path)
    expect(stranger.locator(".account-nav")).to_contain_text("Sign in")
    expect(stranger.locator(".account-nav")).not_to_contain_text("JJE")
    assert stranger.locator("#comment-body").count() == 0
