"""A real Chromium reports comments as a reader and removes them as the desk.

Like newsroom/comments/tests/test_comments_browser.py, the demo network runs under
uvicorn in a child process on its own SQLite data directory, and the test's
readers, article and comments are made there by a script run in that server's
environment (`manage.py shell`). The moderator is the demo's own (`make demo`
prints the sign-in): a member of the Moderators group and nothing more.
"""

import json
import re
from urllib.parse import urlparse

import pytest

from conftest import (
    LEDGER,
    SCREENSHOTS,
    VIEWPORTS,
    expect,
    shoot,
    shoot_part,
)
from newsroom.accounts.tests.helpers import PASSWORD
from newsroom.demo import moderation as demo

pytestmark = pytest.mark.browser

REPORTER = "Ferry Commuter"
TITLE = "Late ferry sailings return between Yokohama and Kisarazu"
# (author, text), oldest first: two mildly rude comments and a civil one.
COMMENTS = [
    (
        "Pier Nine",
        "Only someone who has never stood on a ferry deck could write this. Did the "
        "reporter even leave the office?",
    ),
    (
        "Gull Watcher",
        "Let me guess, the same three commenters will now explain ferries to the "
        "rest of us. Spare me.",
    ),
    (
        "Night Shift Cook",
        "The late sailing is what shift workers asked for. The 23:40 boat gets me "
        "home before one.",
    ),
]
ATTACK = "This comment has been removed: personal attacks are not allowed."
OFF_TOPIC = "This comment has been removed for being off-topic."

SETUP_SCRIPT = """
import datetime, json
from django.contrib.auth import get_user_model
from django.utils import timezone
from newsroom.accounts.tests.factories import create_reader
from newsroom.comments import posting
from newsroom.news.models import SectionPage
from newsroom.news.tests.factories import publish_article

people = {{name: create_reader(name) for name in {readers!r}}}
section = SectionPage.objects.get(slug="national", url_path__startswith="/ledger/")
article = publish_article(section, {title!r}, slug="moderation-ferries")
start = timezone.now()
ids = [
    posting.post_comment(
        page=article,
        author=people[name],
        body=body,
        now=start - datetime.timedelta(minutes=30 - 10 * n),
    ).pk
    for n, (name, body) in enumerate({comments!r})
]
print(json.dumps({{"path": article.url_path.removeprefix("/ledger"), "ids": ids}}))
"""


@pytest.fixture(scope="module")
def site(serve_demo):
    """The demo network served by uvicorn; yields (server, article)."""
    from newsroom.demo.server import manage

    with serve_demo("moderation-demo") as server:
        script = SETUP_SCRIPT.format(
            readers=[REPORTER] + [name for name, _text in COMMENTS],
            title=TITLE,
            comments=COMMENTS,
        )
        printed = manage("shell", "-v", "0", "-c", script, env=server.env).stdout
        yield server, json.loads(printed.strip().splitlines()[-1])


class Person:
    """One browser (its own cookies), failing on JavaScript errors and dialogs."""

    def __init__(self, browser, base):
        self.context = browser.new_context(viewport=VIEWPORTS["desktop"])
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", lambda dialog: self.errors.append(dialog.message))
        self.base = base

    def open(self, path):
        self.page.goto(self.base + path)
        return self.page

    def close(self):
        self.context.close()
        assert self.errors == [], self.errors


@pytest.fixture
def people(site, browser):
    """Make people: `people()`; each closes (and checks for errors) after the test."""
    server, _article = site
    made = []

    def make():
        person = Person(browser, f"http://{LEDGER}:{server.port}")
        made.append(person)
        return person

    yield make
    for person in made:
        person.close()


def sign_in_reader(person, name):
    page = person.open("/accounts/login/")
    page.get_by_label("Email or display name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator(".entrance-login").get_by_role("button", name="Sign in").click()
    assert page.locator(".account-nav .account-name").inner_text() == name


def sign_in_moderator(person):
    name, _email, password = demo.MODERATOR
    page = person.open("/cms/login/")
    page.locator("#id_username").fill(name)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert urlparse(page.url).path == "/cms/"


def report(page, comment_id, reason, note=""):
    """Report a comment from the thread: the reason, perhaps a note, then send."""
    with page.expect_navigation():
        page.locator(f"#comment-{comment_id} .comment-report").click()
    assert urlparse(page.url).path == f"/comments/{comment_id}/report/"
    assert page.locator("h1").inner_text() == "Report a comment"
    page.get_by_label(reason).check()
    if note:
        page.locator("#report-note").fill(note)
    with page.expect_navigation():
        page.get_by_role("button", name="Send report").click()
    assert page.locator("h1").inner_text() == "Thank you for your report"
    assert "Our moderators will look at the comment." in (
        page.get_by_role("status").inner_text()
    )


def success_message(page) -> str:
    return page.locator(".messages li.success").inner_text().strip()


def test_a_reported_comment_is_removed_from_the_queue_and_leaves_a_notice(site, people):
    _server, article = site
    rude, snide, civil = article["ids"]

    # A visitor reads the thread as it was.
    visitor = people()
    thread = visitor.open(article["path"])
    assert thread.locator("#comments h2").inner_text() == "3 Comments"
    assert COMMENTS[0][1] in thread.locator(f"#comment-{rude}").inner_text()

    # A reader reports two comments, each with its reason.
    reader = people()
    sign_in_reader(reader, REPORTER)
    reader.open(article["path"])
    report(reader.page, rude, "Abuse or harassment")
    reader.page.goto(reader.base + article["path"])
    report(
        reader.page,
        snide,
        "Something else (please say what)",
        note="Sneers at the other readers instead of the ferries.",
    )

    # The moderator opens the queue's Reported tab and finds both, with the reasons.
    desk = people()
    sign_in_moderator(desk)
    queue = desk.open("/cms/moderation/queue/pending/")
    with queue.expect_navigation():
        queue.locator(".queue-tabs").get_by_role(
            "link", name=re.compile("Reported")
        ).click()
    assert urlparse(queue.url).path == "/cms/moderation/queue/reported/"
    expect(queue.locator(".queue-tabs [aria-current=page]")).to_contain_text("Reported")
    first = queue.locator(f"#item-{rude}")
    second = queue.locator(f"#item-{snide}")
    assert COMMENTS[0][1] in first.locator(".queue-body").inner_text()
    assert (
        first.locator(".queue-reports")
        .inner_text()
        .startswith("Abuse or harassment — Ferry Commuter")
    )
    assert (
        second.locator(".queue-reports")
        .inner_text()
        .startswith("Something else (please say what): Sneers at the other readers")
    )
    assert queue.locator(f"#item-{civil}").count() == 0
    # Nothing on the page is wider than the window.
    assert queue.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )
    shoot_admin(queue, "moderation-queue")

    # A removal reason from the list, then the item's own Remove button.
    queue.locator("#bulk-reason").select_option(label="Personal attack")
    with queue.expect_navigation():
        first.get_by_role("button", name="Remove").click()
    assert success_message(queue) == "1 comment removed."
    assert queue.locator(f"#item-{rude}").count() == 0

    # With the keyboard: another reason, a click on the page to leave the list (keys
    # typed in it choose options), then j through the items to the other one, r.
    queue.locator("#bulk-reason").select_option(label="Off-topic")
    queue.locator(".queue-size").click()
    for _item in range(queue.locator("[data-item]").count()):
        queue.keyboard.press("j")
        if queue.evaluate("document.activeElement.id") == f"item-{snide}":
            break
    assert queue.evaluate("document.activeElement.id") == f"item-{snide}"
    assert "is-current" in queue.locator(f"#item-{snide}").get_attribute("class")
    with queue.expect_navigation():
        queue.keyboard.press("r")
    assert success_message(queue) == "1 comment removed."
    assert queue.locator(f"#item-{snide}").count() == 0

    # The visitor reloads: each notice stands in place of its comment, the text gone.
    thread.reload()
    assert thread.locator("#comments h2").inner_text() == "1 Comment"
    assert thread.locator(f"#comment-{rude} .comment-placeholder").inner_text() == (
        ATTACK
    )
    assert thread.locator(f"#comment-{snide} .comment-placeholder").inner_text() == (
        OFF_TOPIC
    )
    comments_text = thread.locator("#comments").inner_text()
    assert COMMENTS[0][1] not in comments_text
    assert COMMENTS[1][1] not in comments_text
    assert COMMENTS[2][1] in comments_text
    assert thread.locator(f"#comment-{rude} .comment-report").count() == 0
    shoot_part(thread.locator("#comments"), "comment-removed", margin=16)


def shoot_admin(page, name):
    """`shoot` a Wagtail admin page whole: the admin scrolls inside its <main>, so
    the window grows to its height for the picture."""
    if not SCREENSHOTS:
        return
    viewport = page.viewport_size
    height = page.evaluate("document.querySelector('main').scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": height})
    shoot(page, name)
    page.set_viewport_size(viewport)
