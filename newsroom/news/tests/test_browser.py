"""A real Chromium reads both sites as served by `make demo`'s server (uvicorn).

The server runs in a subprocess on a copy of the run's demo build (SQLite, the demo
network loaded exactly as `make demo` prepares it).
"""

import re

import pytest

from conftest import VIEWPORTS, shoot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_server(serve_demo):
    with serve_demo("news-demo") as server:
        yield server


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(
    "host, name",
    [
        ("ledger.localhost", "The Tokyo Ledger"),
        ("courier.localhost", "Kansai Evening Courier"),
    ],
)
def test_reader_reads_home_section_and_article(
    demo_server, browser, host, name, viewport
):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    base = f"http://{host}:{demo_server.port}"

    page.goto(base + "/")
    assert page.locator(".brand-name").inner_text() == name
    lead_headline = page.locator(".lead-story .card-headline").inner_text()
    assert lead_headline
    # The lead story's photo spans its column, whichever width the browser fetched.
    assert page.locator(".lead-story img").evaluate(
        "img => Math.abs(img.getBoundingClientRect().width"
        " - img.closest('.card').getBoundingClientRect().width) <= 1"
    )
    shoot(page, f"{host.split('.')[0]}-home-{viewport}")

    with page.expect_navigation():
        page.locator(".section-nav a", has_text="World").click()
    assert page.locator("h1").inner_text() == "World"
    assert page.locator(".listing .card").count() >= 1
    shoot(page, f"{host.split('.')[0]}-section-{viewport}")

    first = page.locator(".listing .card-headline a").first
    headline = first.inner_text()
    with page.expect_navigation():
        first.click()
    assert page.locator("h1.headline").inner_text() == headline
    assert page.locator(".photo--lead img").evaluate(
        "img => img.complete && img.naturalWidth > 0"
    )
    assert (
        page.locator(".photo--lead img")
        .evaluate("img => img.currentSrc")
        .endswith(".webp")
    )
    assert page.locator(".photo--lead .photo-credit").inner_text().startswith("Image: ")
    assert page.locator(".section-label").first.inner_text() == "world"
    assert re.fullmatch(
        r"No comments yet|1 Comment|[\d,]+ Comments",
        page.locator(".article-meta .comment-count").inner_text(),
    )
    assert page.locator(".byline").inner_text().startswith("By ")
    assert page.locator(".publisher-copyright").inner_text().startswith("©")
    # No horizontal scrolling on a phone.
    assert page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )
    shoot(page, f"{host.split('.')[0]}-article-{viewport}")
    assert errors == []
    context.close()


def test_keyboard_user_can_skip_to_content(demo_server, browser):
    page = browser.new_page()
    page.goto(f"http://ledger.localhost:{demo_server.port}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.close()


def test_search_from_the_masthead(demo_server, browser):
    page = browser.new_page()
    page.goto(f"http://courier.localhost:{demo_server.port}/")
    page.fill("#site-search", "<script>alert(1)</script>")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Search"
    assert page.input_value("#search-page-q") == "<script>alert(1)</script>"
    page.close()


PUBLISH_SCRIPT = """
from newsroom.news.models import SectionPage
from newsroom.news.tests.factories import publish_article
section = SectionPage.objects.get(slug="national", url_path__startswith="/ledger/")
publish_article(section, "Night ferry service returns to Tokyo Bay", slug="night-ferry")
"""


def test_a_story_published_elsewhere_appears_on_the_served_front_page(
    demo_server, browser
):
    """The server's cached front page notices a publish made by another process."""
    import subprocess
    import sys

    from newsroom.demo.server import ROOT

    page = browser.new_page()
    home = f"http://ledger.localhost:{demo_server.port}/"
    page.goto(home)
    assert "Night ferry service returns" not in page.content()
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", PUBLISH_SCRIPT],
        cwd=ROOT,
        env=demo_server.env,
        check=True,
    )
    page.reload()
    assert page.locator(".lead-story .card-headline").inner_text() == (
        "Night ferry service returns to Tokyo Bay"
    )
    page.close()
