"""A real Chromium takes part in discussions on the Ledger as `make demo` serves it.

Like newsroom/news/tests/test_browser.py, the site runs under uvicorn in a child
process on its own SQLite data directory. Readers, articles and settings are made
in that server's database by scripts run in its environment (`manage.py shell`), as
test_accounts_browser.py does; each test uses an article of its own.
"""

import json
import re
import textwrap
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import (
    COURIER,
    LEDGER,
    SCREENSHOTS,
    VIEWPORTS,
    expect,
    shoot,
    shoot_part,
)
from newsroom.accounts.tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "newsroom-reader"  # the demo readers JJE and Harbourwatcher
READERS = ["Setagaya Dad", "Sakura Commuter", "Night Owl", "Kanda Reader"]
VOTERS = [f"Voter{n}" for n in range(1, 10)]
ARTICLES = {
    "live": "Night buses return to three Tokyo wards after driver shortage eases",
    "quote": "Chiba fishermen report record sardine catch as waters warm",
    "hostile": "Ministry publishes guidelines on foreign-language signs at stations",
    "nojs": "Sapporo snow festival organisers cut sculpture count to save costs",
    "thread": "Coastal town votes to raise its seawall by three metres",
    "zalgo": "Railway museum reopens its steam shed to visitors after repairs",
    "lost": "Harbour clinic weighs a move to the hill above the port",
}
LIMITED = "Kyoto trims bus routes to temples as visitor numbers fall"  # the Courier's
PARAGRAPHS = [
    "The town assembly voted 11 to 4 on Tuesday to raise the seawall along the "
    "harbour front, a project officials expect to take six years.",
    "Supporters said the current wall, built in the 1960s, no longer meets the "
    "prefecture's estimates for the largest expected tsunami.",
    "Opponents argued that the money would be better spent moving public "
    "buildings to higher ground and improving evacuation routes.",
]

SETUP_SCRIPT = """
import json
from wagtail.models import Site
from newsroom.accounts.tests.factories import create_reader
from newsroom.comments.models import CommentSettings
from newsroom.moderation.models import ModerationSettings
from newsroom.news.models import SectionPage
from newsroom.news.tests.factories import publish_article

for site in Site.objects.all():
    rules = CommentSettings.for_site(site)
    rules.min_interval_seconds = 0  # the hostile test posts a dozen comments in a row
    rules.close_after_days = 0  # open whatever the date of the demo's stories
    rules.save()
    # Nor may moderation's rate limits stop them (they have their own tests).
    ModerationSettings.objects.update_or_create(
        site=site,
        defaults={{"comments_per_minute": 0, "comments_per_hour": 0,
                   "votes_per_minute": 0, "votes_per_hour": 0,
                   "repeat_window_minutes": 0}},
    )
for name in {readers!r}:
    create_reader(name)
section = SectionPage.objects.get(slug="national", url_path__startswith="/ledger/")
body = [("paragraph", "<p>" + text + "</p>") for text in {paragraphs!r}]
urls = {{}}
for key, title in {articles!r}.items():
    article = publish_article(section, title, slug="comments-" + key, body=body)
    urls[key] = {{"path": article.url_path.removeprefix("/ledger"), "id": article.pk}}
# On the Courier, one vote a minute: the limit's refusal has a test of its own.
section = SectionPage.objects.get(slug="national", url_path__startswith="/courier/")
article = publish_article(section, {limited!r}, slug="comments-limited", body=body)
ModerationSettings.objects.filter(site=article.get_site()).update(votes_per_minute=1)
path = article.url_path.removeprefix("/courier")
urls["limited"] = {{"path": path, "id": article.pk}}
print(json.dumps(urls))
"""

COMMENTS_SCRIPT = """
import datetime, json
from django.contrib.auth import get_user_model
from django.utils import timezone
from newsroom.comments import posting, voting
from newsroom.comments.models import Comment, Thread
from newsroom.news.models import ArticlePage

page = ArticlePage.objects.get(pk={page_id})
people = {{u.username: u for u in get_user_model().objects.all()}}
start = timezone.now()
made = []

def post(name, body, minutes_ago=0):
    when = start - datetime.timedelta(minutes=minutes_ago)
    comment = posting.post_comment(
        page=page, author=people[name], body=body, now=when
    )
    made.append(comment.pk)
    return comment

def votes(comment, up=(), down=()):
    for name in up:
        voting.cast_vote(comment, people[name], 1)
    for name in down:
        voting.cast_vote(comment, people[name], -1)

def quote(comment, passage):
    return "[quote=%d]%s[/quote]" % (comment.pk, passage)

{body}
print(json.dumps(made))
"""


def run_script(site, script) -> str:
    """Run Python in the served site's environment; return what it printed."""
    from newsroom.demo.server import manage

    return manage("shell", "-v", "0", "-c", script, env=site.env).stdout


@pytest.fixture(scope="module")
def site(serve_demo):
    """The demo network served by uvicorn, with readers and an article per test."""
    with serve_demo("comments-demo") as server:
        script = SETUP_SCRIPT.format(
            readers=READERS + VOTERS,
            paragraphs=PARAGRAPHS,
            articles=ARTICLES,
            limited=LIMITED,
        )
        articles = json.loads(run_script(server, script).strip().splitlines()[-1])
        yield server, articles


def seed_comments(site, article, body) -> list[int]:
    """Post comments on `article` through the services; returns their ids."""
    server, _articles = site
    script = COMMENTS_SCRIPT.format(page_id=article["id"], body=textwrap.dedent(body))
    return json.loads(run_script(server, script).strip().splitlines()[-1])


class Reader:
    """One browser (its own cookies) signed in as one reader, failing on JS errors."""

    def __init__(self, browser, base, viewport="desktop", **options):
        self.context = browser.new_context(viewport=VIEWPORTS[viewport], **options)
        self.page = self.context.new_page()
        self.errors = []
        self.dialogs = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", self._dialog)
        self.base = base

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def sign_in(self, name, password=PASSWORD, then="/"):
        page = self.page
        page.goto(f"{self.base}/accounts/login/?next={then}")
        page.get_by_label("Email or display name").fill(name)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.locator(".entrance-login").get_by_role(
                "button", name="Sign in"
            ).click()
        assert page.locator(".account-nav .account-name").inner_text() == name
        return self

    def open(self, path):
        self.page.goto(self.base + path)
        return self.page

    def post(self, text):
        """Write `text` in the composer and post it (a full page load)."""
        page = self.page
        page.locator("#comment-body").fill(text)
        with page.expect_navigation():
            page.get_by_role("button", name="Post comment").click()
        return page

    def close(self):
        self.context.close()
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs


@pytest.fixture
def readers(site, browser):
    """Make readers: `readers("JJE", DEMO_PASSWORD)`; each closes after the test."""
    server, _articles = site
    made = []

    def make(
        name=None, password=PASSWORD, *, viewport="desktop", host=LEDGER, **options
    ):
        reader = Reader(browser, f"http://{host}:{server.port}", viewport, **options)
        made.append(reader)
        if name:
            reader.sign_in(name, password)
        return reader

    yield make
    for reader in made:
        reader.close()


def comment_by(page, author, text=None):
    """The comment item (li) by `author`, optionally containing `text`."""
    items = page.locator("#comment-list > li.comment").filter(
        has=page.locator(".comment-author", has_text=author)
    )
    if text is not None:
        items = items.filter(has_text=text)
    return items


def own_comment_id(page) -> int:
    """The comment a post or vote returned to, from the URL's #comment-N anchor."""
    fragment = urlparse(page.url).fragment
    assert re.fullmatch(r"comment-\d+", fragment), page.url
    return int(fragment.removeprefix("comment-"))


def test_two_readers_see_each_others_comments_and_votes_live(site, readers):
    _server, articles = site
    path = articles["live"]["path"]
    jje = readers("JJE", DEMO_PASSWORD)
    harbour = readers("Harbourwatcher", DEMO_PASSWORD)
    a = jje.open(path)
    b = harbour.open(path)
    # The pages listen from when they were made: nothing posted after is missed.
    assert b.locator("#comments h2").inner_text() == "No comments yet"

    # A posts through the form; B's page announces it without reloading.
    text = "Good news for shift workers in Nerima. Last buses at 1 am again."
    jje.post(text)
    comment_id = own_comment_id(a)
    assert comment_by(a, "JJE", text).count() == 1
    b_url = b.url
    b.evaluate("window.notReloaded = true")
    banner = b.locator(".live-banner")
    banner.get_by_role("button", name="1 new comment — show").wait_for()
    assert comment_by(b, "JJE").count() == 0
    # The counts follow live: under the headline, above and below the thread.
    assert b.locator("#comments-heading").inner_text() == "1 Comment"
    assert b.locator(".article-meta .comment-count").inner_text() == "1 Comment"
    shoot_part(b.locator("#comments"), "comments-live-banner-desktop")
    banner.get_by_role("button").click()
    item = b.locator(f"#comment-{comment_id}")
    item.wait_for()
    assert text in item.locator(".comment-body").inner_text()
    assert item.locator(".comment-author").inner_text() == "JJE"
    assert re.fullmatch(
        r"Today \d\d:\d\d [ap]m JST", item.locator(".comment-time").inner_text()
    )
    assert item.locator(".vote-summary").inner_text() == "0 ( +0 / -0 )"
    assert banner.is_hidden()
    # The fetched comment works like the others: B may quote it.
    assert item.get_by_role("button", name="Quote").is_visible()

    # B votes up with ▲ (htmx): the count changes in place, the page stays.
    up = item.get_by_role("button", name="Vote up")
    up.click()
    expect(item.locator(".vote-summary")).to_have_text("1 ( +1 / -0 )")
    # The live event can repaint the count before the vote's own response
    # marks the button pressed; both must arrive, in either order.
    expect(item.locator(".vote-up")).to_have_attribute("aria-pressed", "true")
    expect(item.locator(".vote-down")).to_have_attribute("aria-pressed", "false")
    assert b.url == b_url
    assert b.evaluate("window.notReloaded") is True

    # A's page updates the count live; A cannot vote on their own comment.
    mine = a.locator(f"#comment-{comment_id}")
    expect(mine.locator(".vote-summary")).to_have_text("1 ( +1 / -0 )")
    assert mine.get_by_role("button", name="Vote up").count() == 0

    # Reloaded, B's page marks ▲ pressed, and pressed it asks for no vote: the
    # request states the vote wanted, so a click sent twice cannot flip it back.
    b.reload()
    item = b.locator(f"#comment-{comment_id}")
    up = item.get_by_role("button", name="Vote up")
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(up).to_have_attribute("value", "none")
    expect(item.get_by_role("button", name="Vote down")).to_have_attribute(
        "value", "down"
    )

    # ▲ again takes the vote back.
    up.click()
    expect(item.locator(".vote-summary")).to_have_text("0 ( +0 / -0 )")
    expect(item.locator(".vote-up")).to_have_attribute("aria-pressed", "false")
    expect(mine.locator(".vote-summary")).to_have_text("0 ( +0 / -0 )")


def test_a_vote_past_the_limit_says_when_to_try_again_in_place(site, readers):
    """htmx swaps the 429 answer in (newsroom/htmx-config.js): without it the
    reader would see nothing happen."""
    _server, articles = site
    article = articles["limited"]
    first, second = seed_comments(
        site,
        article,
        """
        post("Sakura Commuter", "Fewer buses to Kinkaku-ji from April.")
        post("Kanda Reader", "The 205 was always full anyway.")
        """,
    )
    reader = readers("Night Owl", host=COURIER)
    page = reader.open(article["path"])
    page.evaluate("window.notReloaded = true")

    page.locator(f"#comment-{first} .vote-up").click()
    expect(page.locator(f"#comment-{first} .vote-summary")).to_have_text(
        "1 ( +1 / -0 )"
    )
    page.locator(f"#comment-{second} .vote-up").click()

    refusal = page.locator(f"#comment-{second} .vote-error")
    expect(refusal).to_have_text(
        re.compile(
            r"Too many votes in a short time\. "
            r"Please try again in (1 minute|\d\d? seconds)\."
        )
    )
    expect(page.locator(f"#comment-{second} .vote-summary")).to_have_text(
        "0 ( +0 / -0 )"
    )
    assert page.evaluate("window.notReloaded") is True


def test_a_reader_quotes_a_comment_and_a_selection(site, readers):
    _server, articles = site
    path = articles["quote"]["path"]
    jje = readers("JJE", DEMO_PASSWORD)
    harbour = readers("Harbourwatcher", DEMO_PASSWORD)
    first = "Sardines this far north in March? The water must be two degrees warmer."
    second = "Prices at Choshi market have halved. Good for diners, bad for boats."
    jje.open(path)
    jje.post(first + "\n\n" + second)
    source_id = own_comment_id(jje.page)
    source_time = jje.page.locator(f"#comment-{source_id} .comment-time").inner_text()

    # Quote: the whole of A's own words go into B's box as a quote block.
    b = harbour.open(path)
    source = b.locator(f"#comment-{source_id}")
    source.get_by_role("button", name="Quote").click()
    box = b.locator("#comment-body")
    assert (
        box.input_value() == f"[quote={source_id}]\n{first}\n\n{second}\n[/quote]\n\n"
    )
    assert b.evaluate("document.activeElement.id") == "comment-body"
    box.press("End")
    box.press_sequentially("They were saying the same about saury ten years ago.")
    with b.expect_navigation():
        b.get_by_role("button", name="Post comment").click()
    reply_id = own_comment_id(b)
    reply = b.locator(f"#comment-{reply_id}")
    quote = reply.locator("blockquote.comment-quote")
    assert quote.count() == 1
    head = quote.locator(".quote-head")
    assert head.inner_text() == f"JJE {source_time}"
    assert head.get_by_role("link", name=source_time).get_attribute("href") == (
        f"/comments/{source_id}/"
    )
    assert quote.locator(".quote-text").inner_text() == f"{first}\n\n{second}"
    assert reply.locator(".comment-text").inner_text() == (
        "They were saying the same about saury ten years ago."
    )
    replies = b.locator(f"#comment-{source_id} .comment-replies")
    assert replies.inner_text() == "1 reply"

    # The quote's time links to A's comment, in its place on the article.
    with b.expect_navigation():
        head.get_by_role("link", name=source_time).click()
    assert urlparse(b.url).path == path
    assert urlparse(b.url).fragment == f"comment-{source_id}"

    # Quote selection: a passage selected inside A's words, and only that passage.
    b.goto(jje.base + path)
    floating = b.locator(".quote-selection")
    assert floating.is_hidden()
    passage = "Prices at Choshi market have halved"
    b.locator(f"#comment-{source_id}").scroll_into_view_if_needed()
    b.evaluate(
        """([id, passage]) => {
          const text = document.querySelector(`#comment-${id} .comment-text`);
          const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
          let node;
          while ((node = walker.nextNode()) && !node.data.includes(passage)) {}
          const range = document.createRange();
          range.setStart(node, node.data.indexOf(passage));
          range.setEnd(node, node.data.indexOf(passage) + passage.length);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }""",
        [source_id, passage],
    )
    floating.wait_for()
    assert floating.inner_text() == "Quote selection"
    if SCREENSHOTS:
        around = b.locator(f"#comment-{source_id}").bounding_box()
        b.screenshot(
            path=str(Path(SCREENSHOTS) / "comments-quote-selection-desktop.png"),
            clip={**around, "height": around["height"] + 40},
        )
    # The button sits just below the selection.
    selected = b.evaluate(
        "() => getSelection().getRangeAt(0).getBoundingClientRect().toJSON()"
    )
    where = floating.bounding_box()
    assert 0 <= where["y"] - selected["bottom"] <= 20
    floating.click()
    assert floating.is_hidden()
    box = b.locator("#comment-body")
    assert box.input_value() == f"[quote={source_id}]\n{passage}\n[/quote]\n\n"
    box.press_sequentially("Halved is generous; a third off at most.")
    with b.expect_navigation():
        b.get_by_role("button", name="Post comment").click()
    second_reply = b.locator(f"#comment-{own_comment_id(b)}")
    assert second_reply.locator(".quote-text").inner_text() == passage
    assert (
        b.locator(f"#comment-{source_id} .comment-replies").inner_text() == "2 replies"
    )

    # Selecting text in a quote block, or outside comments, offers nothing.
    b.evaluate(
        """id => {
          const text = document.querySelector(`#comment-${id} .quote-text p`);
          getSelection().selectAllChildren(text);
        }""",
        reply_id,
    )
    b.wait_for_timeout(200)
    assert floating.is_hidden()

    # The replies page lists both answers.
    with b.expect_navigation():
        b.locator(f"#comment-{source_id} .comment-replies").click()
    assert b.locator("h1").inner_text() == "2 replies"


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "{{ 7*7 }} and {% debug %}",
    "zero\u200bwidth",
    "<!--\n" + "\n".join(f"line {n} of a comment" for n in range(1, 9)) + "\n-->",
    '<svg onload=alert(1)><circle r="40"/></svg>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '"><script>alert(document.cookie)</script>',
    "<a href=\"javascript:alert(1)\" onclick='alert(1)'>click me</a>",
    "https://example.com/" + "very-long-path-" * 60 + "?q=<script>alert(1)</script>",
]


def test_hostile_comments_are_shown_as_inert_text(site, readers):
    _server, articles = site
    path = articles["hostile"]["path"]
    reader = readers("Night Owl")
    page = reader.open(path)

    for body in HOSTILE:
        reader.post(body)
        assert urlparse(page.url).path == path, body
        if "\u200b" in body:  # told what was removed, beside the thread
            assert urlparse(page.url).fragment == "comment-notices"
            assert "We removed 1 invisible character (zero width space U+200B)" in (
                page.locator("#comment-notices").inner_text()
            )
            continue
        own_comment_id(page)
    assert page.locator("#comments h2").inner_text() == f"{len(HOSTILE)} Comments"

    bodies = page.locator("#comment-list .comment-body")
    assert bodies.count() == len(HOSTILE)
    assert page.locator(".comment-body script, .comment-body img").count() == 0
    assert page.locator(".comment-body iframe, .comment-body svg").count() == 0
    handlers = page.evaluate(
        """() => [...document.querySelectorAll('.comment-body *')].flatMap(
             el => [...el.attributes].map(a => a.name)
                .filter(name => name.startsWith('on')))"""
    )
    assert handlers == []
    hrefs = page.locator(".comment-body a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert hrefs == [HOSTILE[-1].split("?")[0] + "?q="], hrefs
    texts = bodies.all_inner_texts()
    assert texts[0] == "<script>alert(1)</script>"
    assert texts[1] == "<img src=x onerror=alert(1)>"
    assert texts[2] == "javascript:alert(1)"
    assert texts[3] == "{{ 7*7 }} and {% debug %}"
    assert "49" not in texts[3]
    assert texts[4] == "zerowidth"
    assert texts[5].startswith("<!--\nline 1 of a comment") and texts[5].endswith("-->")
    assert texts[8] == '"><script>alert(document.cookie)</script>'
    assert "\u200b" not in "".join(texts)
    # A very long address wraps inside the comment instead of widening the page.
    assert page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )
    last = bodies.nth(len(HOSTILE) - 1).bounding_box()
    column = page.locator("#comments").bounding_box()
    assert last["x"] + last["width"] <= column["x"] + column["width"] + 1
    shoot_part(page.locator("#comments"), "comments-hostile-desktop")

    # A forged quote is refused with a clear message, the text kept in the box.
    forged = "[quote=999999]x[/quote]\n\nAs you said."
    reader.post(forged)
    assert "A comment you quoted is no longer in this discussion" in (
        page.locator(".form-errors").inner_text()
    )
    assert page.locator("#comment-body").input_value() == forged
    shoot(page, "comments-refused-desktop")
    # So is a direction override, which would show "left exe.txt right" reversed.
    override = "left \u202etxt.exe right"
    reader.post(override)
    assert "changes the direction text is shown in (right-to-left override " in (
        page.locator(".form-errors").inner_text()
    )
    assert page.locator("#comment-body").input_value() == override
    # Quoting words the source never wrote is refused the same way.
    page.goto(reader.base + path)
    source_id = int(
        page.locator("#comment-list > li").first.get_attribute("data-comment-id")
    )
    invented = f"[quote={source_id}]words never written[/quote]\n\nReally?"
    reader.post(invented)
    assert "does not match what Night Owl wrote" in (
        page.locator(".form-errors").inner_text()
    )
    assert page.locator("#comment-body").input_value() == invented
    assert reader.dialogs == []


# Stacks of accent marks: how many a posted comment may keep (three on one letter),
# and far more on a comment stored before that rule, as old or imported text may be.
# U+0489 (combining Cyrillic millions sign) draws a wreath wider than its letter, so
# even a font that piles marks on one spot (DejaVu, here) draws past the letter.
ZALGO = "".join(letter + "\u0300\u0301\u0302\u0303\u0304\u0305" for letter in "ZALGO")
LEGACY = "".join(
    letter + "\u0489" * 3 + "\u030d\u030e\u0304\u0305\u033f\u0311" * 6
    for letter in "STACKED"
)
UNBROKEN = "https://example.com/" + "x" * 400
LEGACY_SCRIPT = """
comment = post("Kanda Reader", "placeholder")
Comment.objects.filter(pk=comment.pk).update(
    body={text!r},
    segments=[{{"text": {{"raw": {text!r}, "html": "<p>" + {text!r} + "</p>"}}}}],
)
"""
STRIP = 5  # pixels around the comment's text box that must stay blank


def ink_outside(page, comment_id) -> list[str]:
    """Which sides of the comment's text box have anything drawn just outside it,
    in the gaps to its header and footer and the margins beside it: each strip
    should be one flat colour."""
    import io

    from PIL import Image

    page.evaluate("window.scrollTo(0, 0)")  # boxes in page coordinates, as clip
    body = page.locator(f"#comment-{comment_id} .comment-body").bounding_box()
    head = page.locator(f"#comment-{comment_id} .comment-head").bounding_box()
    foot = page.locator(f"#comment-{comment_id} .comment-foot").bounding_box()
    left, top = body["x"], body["y"]
    right, bottom = left + body["width"], top + body["height"]
    strips = {
        "above": (left, head["y"] + head["height"] + 1, right, top - 1),
        "below": (left, bottom + 1, right, foot["y"] - 1),
        "left": (left - 1 - STRIP, top, left - 1, bottom),
        "right": (right + 1, top, right + 1 + STRIP, bottom),
    }
    drawn = []
    for name, (x0, y0, x1, y1) in strips.items():
        assert x1 - x0 >= 2 and y1 - y0 >= 2, (name, x0, y0, x1, y1)
        png = page.screenshot(
            full_page=True, clip={"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0}
        )
        colours = Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=4096)
        if len(colours) > 1:
            drawn.append(name)
    return drawn


def test_stacked_marks_and_long_words_stay_inside_the_comment(site, readers):
    _server, articles = site
    path = articles["zalgo"]["path"]
    [legacy_id] = seed_comments(
        site, articles["zalgo"], LEGACY_SCRIPT.format(text=LEGACY)
    )
    reader = readers("Sakura Commuter")
    page = reader.open(path)

    reader.post(f"{ZALGO} {UNBROKEN}")

    assert urlparse(page.url).fragment == "comment-notices"
    assert (
        "We removed 15 accent marks from your comment: at most 3 may sit on one "
        "character, so that text stays readable."
    ) in page.locator("#comment-notices").inner_text()
    shoot_part(page.locator("#comments"), "comments-notice-desktop")
    page.locator("#comment-notices").get_by_role(
        "link", name="Go to your comment"
    ).click()
    posted_id = own_comment_id(page)
    posted = page.locator(f"#comment-{posted_id} .comment-body")
    assert posted.inner_text().startswith("Z\u0300\u0301\u0302A\u0300\u0301\u0302")
    # Nothing widens the page or the comment; the stacks draw only in their box.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for comment_id in (legacy_id, posted_id):
        body = page.locator(f"#comment-{comment_id} .comment-body")
        assert body.evaluate("el => el.scrollWidth <= el.clientWidth")
        assert ink_outside(page, comment_id) == []
    shoot_part(page.locator("#comment-list"), "comments-zalgo-desktop", margin=8)


@pytest.fixture(scope="module")
def snowy(site):
    """An article with 55 comments: more than a page (50); yields (article, ids)."""
    _server, articles = site
    names = ["Setagaya Dad", "Sakura Commuter", "Kanda Reader"]
    ids = seed_comments(
        site,
        articles["nojs"],
        f"""
        for n in range(55):
            post({names!r}[n % 3], "Snow report number %d from Odori Park." % (n + 1),
                 minutes_ago=60 - n)
        """,
    )
    return articles["nojs"], ids


def test_without_javascript_votes_and_more_comments_are_plain_forms_and_links(
    snowy, readers
):
    article, ids = snowy
    reader = readers(viewport="desktop", java_script_enabled=False)
    reader.sign_in("Night Owl")
    page = reader.open(article["path"])
    assert page.locator("#comments h2").inner_text() == "55 Comments"
    assert page.locator("#comment-list > li").count() == 50
    assert page.get_by_role("button", name="Quote").count() == 0  # needs the script
    shoot_part(page.locator(".comment-pager"), "comments-pager-nojs-desktop")

    # ▼ on the 40th comment: a plain POST that comes back to that comment.
    target = page.locator(f"#comment-{ids[39]}")
    with page.expect_navigation():
        target.get_by_role("button", name="Vote down").click()
    assert urlparse(page.url).path == article["path"]
    assert urlparse(page.url).fragment == f"comment-{ids[39]}"
    target = page.locator(f"#comment-{ids[39]}")
    assert target.locator(".vote-summary").inner_text() == "-1 ( +0 / -1 )"
    assert target.locator(".vote-down").get_attribute("aria-pressed") == "true"
    assert "voted-down" in target.locator(".votes").get_attribute("class")
    # ▲ switches the vote.
    with page.expect_navigation():
        target.get_by_role("button", name="Vote up").click()
    target = page.locator(f"#comment-{ids[39]}")
    assert target.locator(".vote-summary").inner_text() == "1 ( +1 / -0 )"

    # "Load more comments" is a plain link to the next page.
    pager = page.locator(".comment-pager")
    assert "Page 1 of 2" in pager.inner_text()
    with page.expect_navigation():
        pager.get_by_role("link", name="Load more comments").click()
    assert "cpage=2" in page.url
    assert page.locator("#comment-list > li").count() == 5
    assert page.locator("#comment-list > li").first.get_attribute("id") == (
        f"comment-{ids[50]}"
    )
    assert "Page 2 of 2" in page.locator(".comment-pager").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Previous comments").click()
    assert page.locator("#comment-list > li").count() == 50


def test_load_more_comments_appends_in_place_with_javascript(snowy, readers):
    article, ids = snowy
    reader = readers("Kanda Reader")
    page = reader.open(article["path"])
    total = int(page.locator("#comments h2").inner_text().split()[0])
    url = page.url
    page.get_by_role("link", name="Load more comments").click()
    expect(page.locator("#comment-list > li")).to_have_count(total)
    assert page.url == url
    # The appended comments can be voted on and quoted like the first fifty.
    last = page.locator(f"#comment-{ids[54]}")
    expect(last.get_by_role("button", name="Quote")).to_be_visible()
    last.get_by_role("button", name="Vote up").click()
    expect(last.locator(".vote-summary")).to_have_text("1 ( +1 / -0 )")
    assert page.get_by_role("link", name="Load more comments").count() == 0


THREAD = """
jje = post("JJE", "Raising the wall by three metres buys time, not safety. The "
    "2011 tsunami overtopped walls that were thought to be more than enough.\\n\\n"
    "The money would do more good moving the clinic and the primary school to "
    "higher ground.", minutes_ago=95)
votes(jje, up=["Voter1", "Voter2", "Voter3", "Voter4", "Harbourwatcher"],
      down=["Voter5", "Voter6"])
harbour = post("Harbourwatcher", quote(jje, "The 2011 tsunami overtopped walls "
    "that were thought to be more than enough.") + "\\n\\nOvertopped, yes, but "
    "the walls still slowed the water and bought minutes for evacuation. In a "
    "town this size, minutes matter.", minutes_ago=80)
votes(harbour, up=["Voter1", "Voter2", "JJE"],
      down=["Voter3", "Voter4", "Voter5", "Voter6", "Voter7", "Voter8"])
dad = post("Setagaya Dad", "Who pays for the upkeep? A wall is cheap to build "
    "compared with fifty years of maintenance.", minutes_ago=62)
votes(dad, up=["Voter7"], down=["Harbourwatcher"])
gone = post("Night Owl", "Typical. Nobody asked the people who live there.",
    minutes_ago=50)
posting.delete_comment(gone, people["Night Owl"])
removed = post("Kanda Reader", "Something a moderator took down.", minutes_ago=40)
Comment.objects.filter(pk=removed.pk).update(status="removed")
Thread.objects.filter(page=page).update(comment_count=3)
reply = post("JJE", quote(harbour, "In a town this size, minutes matter.")
    + "\\n\\nAgreed, but only if people actually leave. Drills cost nothing."
    + "\\n\\n" + quote(dad, "Who pays for the upkeep?")
    + "\\n\\nThe prefecture, mostly, according to the article.", minutes_ago=25)
votes(reply, up=["Voter2", "Voter9"])
link = post("Sakura Commuter", "The town's hazard map is here: "
    "https://www.example.jp/hamasaki/bousai/hazard-map-2025-final-revised.pdf "
    "and worth a look before arguing about metres.", minutes_ago=8)
"""


@pytest.fixture(scope="module")
def thread_article(site):
    _server, articles = site
    seed_comments(site, articles["thread"], THREAD)
    return articles["thread"]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_thread_with_quotes_and_votes_reads_well(thread_article, readers, viewport):
    article = thread_article
    reader = readers("Harbourwatcher", DEMO_PASSWORD, viewport=viewport)
    page = reader.open(article["path"])
    assert page.locator("#comments h2").inner_text() == "5 Comments"
    items = page.locator("#comment-list > li")
    assert items.count() == 7
    votes = page.locator(".vote-summary").all_inner_texts()
    assert votes[:3] == ["3 ( +5 / -2 )", "-3 ( +3 / -6 )", "0 ( +1 / -1 )"]
    assert page.locator(".votes.voted-up").count() == 1
    assert page.locator(".votes.voted-down").count() == 1
    assert page.locator(".comment-placeholder").all_inner_texts() == [
        "This comment was deleted by its author.",
        "This comment has been removed for violating our community guidelines.",
    ]
    # Quote heads name the quoted author and time, above the passage.
    head = items.nth(1).locator(".quote-head")
    assert re.fullmatch(r"JJE (Today|Yesterday) \d\d:\d\d [ap]m JST", head.inner_text())
    # Placeholders are muted italics; bodies isolate their direction.
    style = page.locator(".comment-placeholder").first.evaluate(
        "el => getComputedStyle(el).fontStyle"
    )
    assert style == "italic"
    assert (
        page.locator(".comment-body")
        .first.evaluate("el => getComputedStyle(el).unicodeBidi")
        .endswith("isolate")
    )
    # Quote blocks are set off with a rule and a tint.
    quote_style = page.locator(".comment-quote").first.evaluate(
        "el => [getComputedStyle(el).borderLeftWidth,"
        " getComputedStyle(el).backgroundColor]"
    )
    assert quote_style[0] != "0px" and quote_style[1] != "rgba(0, 0, 0, 0)"
    # Nothing is wider than the screen.
    assert page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )
    shoot(page, f"comments-thread-{viewport}")
    shoot_part(page.locator("#comments"), f"comments-{viewport}", margin=16)


def test_anonymous_readers_are_asked_to_sign_in(thread_article, readers):
    reader = readers(viewport="phone")
    page = reader.open(thread_article["path"])
    top = page.get_by_role("link", name="Login to comment")
    bottom = page.get_by_role("link", name="Login to leave a comment")
    assert top.is_visible() and bottom.is_visible()
    assert page.locator("#comment-body").count() == 0
    assert page.get_by_role("button", name="Quote").count() == 0  # nowhere to quote to
    assert page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )
    shoot_part(page.locator("#comments"), "comments-anonymous-phone")
    # Voting asks for a sign-in, then comes back to the comment.
    first = page.locator("#comment-list > li").first
    with page.expect_navigation():
        first.get_by_role("link", name="Vote up").click()
    assert urlparse(page.url).path == "/accounts/login/"
    page.get_by_label("Email or display name").fill("Kanda Reader")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator(".entrance-login").get_by_role("button", name="Sign in").click()
    assert urlparse(page.url).path == thread_article["path"]
    assert urlparse(page.url).fragment == first.get_attribute("id")


def test_a_comment_lost_on_the_way_is_put_back_and_a_failed_vote_says_so(site, readers):
    """The server or the network drops a request (here Chromium's network aborts
    it, as a dead server's reset does): the reader is told, and their text is
    not lost."""
    _server, articles = site
    (first,) = seed_comments(
        site, articles["lost"], 'post("Kanda Reader", "The old wall held in 2011.")'
    )
    reader = readers("Setagaya Dad")
    page = reader.open(articles["lost"]["path"])
    text = "Raise it, but move the clinic uphill first."

    page.route("**/comments/on/*/post/", lambda route: route.abort("connectionreset"))
    page.locator("#comment-body").fill(text)
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state()
    # The browser's own error page said it did not go through; back on the article
    # the text is in the box again, with a note saying why.
    page.unroute("**/comments/on/*/post/")
    page = reader.open(articles["lost"]["path"])
    expect(page.locator("#comment-body")).to_have_value(text)
    expect(page.locator(".composer .request-failed")).to_contain_text(
        "did not go through"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comment-body", has_text=text)).to_have_count(1)
    # Once posted, it is forgotten: the next view has an empty box.
    page = reader.open(articles["lost"]["path"])
    expect(page.locator("#comment-body")).to_have_value("")

    # A vote whose request gets no answer leaves the count and says so.
    page.route("**/comments/*/vote/", lambda route: route.abort("connectionreset"))
    page.locator(f"#comment-{first} .vote-up").click()
    expect(page.locator(f"#comment-{first} .request-failed")).to_contain_text(
        "did not go through"
    )
    expect(page.locator(f"#comment-{first} .vote-summary")).to_have_text(
        "0 ( +0 / -0 )"
    )
