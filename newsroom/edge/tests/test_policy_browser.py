"""A real Chromium walks every kind of page under the Content-Security-Policy
(newsroom/edge/policy.py) and reports no violation, while the pages' scripts still
work: a reader votes in place (htmx), the embed's thread reports its height.

The demo is served by uvicorn as `make demo` serves it, shared pages through its
page cache; one short setup script adds an article with one comment to vote on.
"""

import json

import pytest

from conftest import LEDGER, VIEWPORTS, expect, shoot

pytestmark = pytest.mark.browser

DEMO_READER = ("JJE", "newsroom-reader")
EDITOR = ("editor", "newsroom-editor")
MODERATOR = ("Desk Moderator", "newsroom-moderator")
LEDGER_RED = "rgb(179, 38, 30)"  # the demo Ledger's brand colour, #b3261e

SETUP_SCRIPT = """
import json
from django.contrib.auth import get_user_model
from wagtail.models import Site
from newsroom.accounts.tests.factories import create_reader
from newsroom.comments import posting
from newsroom.comments.models import CommentSettings
from newsroom.news.models import SectionPage
from newsroom.news.tests.factories import publish_article

for site in Site.objects.all():
    rules = CommentSettings.for_site(site)
    rules.close_after_days = 0  # open whatever the date of the demo's stories
    rules.save()
section = SectionPage.objects.get(slug="national", url_path__startswith="/ledger/")
article = publish_article(
    section, "Harbour ferries add a late sailing", slug="policy-ferries",
    tags=["ferries"],
)
writer = create_reader("Policy Pier")
posting.post_comment(page=article, author=writer, body="The late boat is welcome.")
print(json.dumps({
    "article": article.url_path.removeprefix("/ledger"),
    "id": article.pk,
    "author": article.article_authors.first().author.slug,
    "reader": get_user_model().objects.get(username="JJE").pk,
}))
"""

# Each frame reports its violations to the test as they happen, whatever the page.
LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  const { violatedDirective, blockedURI, sample } = event;
  window.newsroomViolation(
    `${location.pathname}: ${violatedDirective} ${blockedURI} ${sample}`
  );
});
"""


@pytest.fixture(scope="module")
def site(serve_demo):
    from newsroom.demo.server import manage

    with serve_demo("policy-demo") as server:
        printed = manage("shell", "-v", "0", "-c", SETUP_SCRIPT, env=server.env).stdout
        yield server, json.loads(printed.strip().splitlines()[-1])


class Visitor:
    """One browser context, collecting policy violations and script errors."""

    def __init__(self, browser, base):
        self.context = browser.new_context(viewport=VIEWPORTS["desktop"])
        self.violations, self.errors = [], []
        self.context.expose_function("newsroomViolation", self._violation)
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", self._console)
        self.base = base

    def _violation(self, text):
        self.violations.append(text)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def visit(self, path):
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def sign_in(self, name, password, path="/accounts/login/"):
        page = self.visit(path)
        if path.startswith("/cms/"):
            page.get_by_label("Username").fill(name)
            page.get_by_label("Password").fill(password)
            with page.expect_navigation():
                page.get_by_role("button", name="Sign in").click()
            return
        page.get_by_label("Email or display name").fill(name)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            entrance = page.locator(".entrance-login")
            entrance.get_by_role("button", name="Sign in").click()

    def close(self):
        self.context.close()
        found = (self.violations, self.errors)
        assert found == ([], []), found


def test_every_page_type_runs_under_the_policy_with_no_violation(site, browser):
    server, made = site
    base = f"http://{LEDGER}:{server.port}"

    reader = Visitor(browser, base)
    for path in (
        "/",
        "/national/",
        "/tags/ferries/",
        "/search/?q=ferry",
        f"/authors/{made['author']}/",
        "/no/such/story/",
        "/accounts/signup/",
        "/alerts/subscribe/",
        "/api/docs",
        made["article"],
    ):
        reader.visit(path)
    # The shared article again, from the page cache with its policy: the Ledger's
    # brand colour (the inline style its hash allows) paints the masthead.
    response = reader.page.goto(base + made["article"])
    assert response.headers["x-newsroom-cache"] == "hit"
    masthead = reader.page.locator(".masthead")
    expect(masthead).to_have_css("background-color", LEDGER_RED)
    shoot(reader.page, "policy-article-shared")
    # The embed's frame, as a partner's page frames it: its script reports the
    # thread's height to the page (nothing listens here; it must merely run).
    frame = reader.visit(f"/embed/thread/{made['id']}/")
    expect(frame.locator("#comments")).to_be_visible()

    reader.sign_in(*DEMO_READER)
    for path in (f"/readers/{made['reader']}/", "/accounts/settings/", "/alerts/"):
        reader.visit(path)
    page = reader.visit(made["article"])
    item = page.locator("#comment-list > li.comment").first
    expect(item.locator(".vote-summary")).to_have_text("0 ( +0 / -0 )")
    address = page.url
    item.get_by_role("button", name="Vote up").click()
    expect(item.locator(".vote-summary")).to_have_text("1 ( +1 / -0 )")
    assert page.url == address  # in place: htmx ran under the policy
    shoot(page, "policy-article-signed-in")
    reader.close()

    moderator = Visitor(browser, base)
    moderator.sign_in(*MODERATOR, path="/cms/login/")
    moderator.visit("/cms/moderation/")
    expect(moderator.page.locator("[data-queue], .queue-summary").first).to_be_visible()
    moderator.close()

    editor = Visitor(browser, base)
    editor.sign_in(*EDITOR, path="/cms/login/")
    editor.visit("/cms/")
    page = editor.visit(f"/cms/pages/{made['id']}/edit/")
    expect(page.locator("#id_title")).to_have_value(
        "Harbour ferries add a late sailing"
    )
    editor.close()
