"""A real Chromium watches the masthead's notifications count change without a reload,
on the Ledger as `make demo` serves it (uvicorn in a child process, as in
newsroom/comments/tests/test_comments_browser.py)."""

import json

import pytest

from conftest import LEDGER, expect, shoot_part
from newsroom.comments.tests.test_comments_browser import (
    DEMO_PASSWORD,
    Reader,
    own_comment_id,
    run_script,
)

pytestmark = pytest.mark.browser

TITLE = "Late trains on the Keiyo line as signal works run over"
SETUP_SCRIPT = f"""
import json
from wagtail.models import Site
from newsroom.comments.models import CommentSettings
from newsroom.moderation.models import ModerationSettings
from newsroom.news.models import SectionPage
from newsroom.news.tests.factories import publish_article

site = Site.objects.get(hostname="{LEDGER}")
ModerationSettings.objects.update_or_create(
    site=site,
    defaults={{"comments_per_minute": 0, "comments_per_hour": 0,
               "repeat_window_minutes": 0}},
)
rules = CommentSettings.for_site(site)
rules.min_interval_seconds = 0
rules.save()
section = SectionPage.objects.get(slug="national", url_path__startswith="/ledger/")
body = [("paragraph", "<p>Signal works overran by two hours on Monday.</p>")]
article = publish_article(section, {TITLE!r}, slug="bell-live", body=body)
print(json.dumps(article.url_path.removeprefix("/ledger")))
"""


@pytest.fixture(scope="module")
def site(serve_demo):
    """The demo network served by uvicorn, with an article of this test's own."""
    with serve_demo("bell-demo") as server:
        path = json.loads(run_script(server, SETUP_SCRIPT).strip().splitlines()[-1])
        yield server, path


@pytest.fixture
def readers(site, browser):
    server, _path = site
    made = []

    def make(name):
        reader = Reader(browser, f"http://{LEDGER}:{server.port}")
        made.append(reader)
        return reader.sign_in(name, DEMO_PASSWORD)

    yield make
    for reader in made:
        reader.close()


def test_the_bell_counts_a_quote_and_clears_without_a_reload(site, readers):
    _server, path = site
    jje = readers("JJE")
    words = "Forty minutes on the platform at Shin-Kiba, and not one announcement."
    jje.open(path)
    jje.post(words)
    source = own_comment_id(jje.page)
    # Start from nothing unread (the demo may have told JJE of something already).
    notices = jje.open("/notifications/")
    if notices.get_by_role("button", name="Mark all as read").count():
        with notices.expect_navigation():
            notices.get_by_role("button", name="Mark all as read").click()

    home = jje.open("/")
    link = home.locator(".account-nav").get_by_role("link", name="Notifications")
    count = link.locator("[data-unread-count]")
    expect(count).to_be_hidden()
    expect(link).to_have_accessible_name("Notifications")
    home.evaluate("window.notReloaded = true")

    harbourwatcher = readers("Harbourwatcher")
    harbourwatcher.open(path)
    harbourwatcher.post(f"[quote={source}]{words}[/quote]\n\nSame at Maihama.")

    expect(count).to_be_visible()
    expect(link.locator(".unread-count")).to_have_text("1")
    expect(link).to_have_accessible_name("Notifications 1 unread")
    assert home.evaluate("window.notReloaded") is True
    shoot_part(home.locator(".masthead-inner"), "notification-bell", margin=8)

    # Read in another tab: the home page's count goes without a reload.
    notices = jje.context.new_page()
    notices.goto(jje.base + "/notifications/")
    expect(notices.locator(".notification.unread")).to_contain_text(
        "Harbourwatcher quoted you"
    )
    with notices.expect_navigation():
        notices.get_by_role("button", name="Mark all as read").click()
    expect(notices.locator(".account-nav [data-unread-count]")).to_be_hidden()
    expect(count).to_be_hidden()
    expect(link).to_have_accessible_name("Notifications")
    assert home.evaluate("window.notReloaded") is True
