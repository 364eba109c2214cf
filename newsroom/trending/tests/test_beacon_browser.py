"""The read beacon in a real Chromium, on the demo as `make demo` serves it: one
request per page view, none when the reader asks not to be tracked or while the
page is only prerendered, and the image for readers without JavaScript.

Headless Chromium names itself in its User-Agent, so the server counts none of
these (reads.BOTS): what is proved here is what the page sends; what the server
counts of it is proved over HTTP (test_views.py, test_reads.py).
"""

import itertools
import re

import pytest

from conftest import LEDGER, VIEWPORTS
from newsroom.demo.server import undiscussed_articles

pytestmark = pytest.mark.browser

BEACON = re.compile(r"/trending/read/(\d+)/$")
DO_NOT_TRACK = (
    "Object.defineProperty(Navigator.prototype, 'doNotTrack', {get: () => '1'})"
)
PRIVACY_CONTROL = (
    "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', "
    "{get: () => true})"
)
# The page believes it is prerendered until the test shows it (window.showPage()).
PRERENDERED = """
let prerendering = true;
Object.defineProperty(Document.prototype, "prerendering", {
  configurable: true, get: () => prerendering,
});
window.showPage = () => {
  prerendering = false;
  document.dispatchEvent(new Event("prerenderingchange"));
};
"""
_markers = itertools.count()


@pytest.fixture(scope="module")
def site(serve_demo):
    with serve_demo("trending-beacon") as server:
        yield server


@pytest.fixture(scope="module")
def article(site):
    """The address of a demo article on the Ledger nobody comments on."""
    host, path, _url_path = next(
        each for each in undiscussed_articles(4) if each[0] == LEDGER
    )
    return f"http://{host}:{site.port}{path}"


def watch(page) -> list[dict]:
    """The beacon requests `page` sends from now on, as they leave the browser."""
    sent = []

    def seen(request):
        if BEACON.search(request.url):
            sent.append(
                {
                    "method": request.method,
                    "page_id": int(BEACON.search(request.url)[1]),
                    "cookie": request.header_value("cookie"),
                }
            )

    page.on("request", seen)
    return sent


def settle(page) -> None:
    """Return once the requests the page sent before now have been seen: a marker
    sent now, the way the beacon is sent (keepalive), is reported after them."""
    marker = f"/robots.txt?marker={next(_markers)}"
    with page.expect_request(f"**{marker}"):
        page.evaluate(f"fetch({marker!r}, {{keepalive: true}})")


def page_id_of(page) -> int:
    beacon = page.locator("script[data-read-beacon]").get_attribute("data-read-beacon")
    return int(BEACON.search(beacon)[1])


def test_a_page_view_sends_one_beacon_for_its_article_without_cookies(
    article, open_page
):
    page = open_page()
    page.context.add_cookies([{"name": "probe", "value": "1", "url": article}])
    sent = watch(page)

    page.goto(article)
    settle(page)

    assert sent == [{"method": "POST", "page_id": page_id_of(page), "cookie": None}]
    page.reload()  # another view of the page
    settle(page)
    assert len(sent) == 2


@pytest.mark.parametrize(
    "script", [DO_NOT_TRACK, PRIVACY_CONTROL], ids=["do-not-track", "gpc"]
)
def test_a_reader_who_asks_not_to_be_tracked_sends_none(article, open_page, script):
    page = open_page()
    page.add_init_script(script)
    sent = watch(page)

    page.goto(article)
    settle(page)

    assert page.locator("script[data-read-beacon]").count() == 1
    assert sent == []


def test_a_prerendered_page_sends_its_beacon_only_when_shown(article, open_page):
    page = open_page()
    page.add_init_script(PRERENDERED)
    sent = watch(page)

    page.goto(article)
    settle(page)
    assert sent == []

    with page.expect_request(BEACON):
        page.evaluate("window.showPage()")
    settle(page)
    assert [each["method"] for each in sent] == ["POST"]


def test_a_reader_without_javascript_loads_the_image_once(article, browser):
    context = browser.new_context(
        viewport=VIEWPORTS["desktop"], java_script_enabled=False
    )
    try:
        page = context.new_page()
        sent = watch(page)
        with page.expect_response(BEACON) as answered:
            page.goto(article)
        response = answered.value

        assert response.status == 200
        assert response.header_value("content-type") == "image/gif"
        assert response.header_value("cache-control") == "no-store"
        assert response.header_value("set-cookie") is None
        assert [each["method"] for each in sent] == ["GET"]
        assert page.locator("img.read-beacon").count() == 1
    finally:
        context.close()
