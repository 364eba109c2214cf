"""A real Chromium reads and writes comments embedded on another website's page.

The partner's page is plain HTML served from a second origin (a small HTTP server
on another port); it carries the thread's `<div>`, a count link and `/embed.js`,
and nothing else of Newsroom. Newsroom runs on Django's live server in this process.

Both are served on 127.0.0.1, on two ports: two origins but one site, so the
sign-in cookie that the popup sets reaches the frame (session cookies are
SameSite=Lax; a host page on another site would frame the thread signed out).
127.0.0.1 is no site's hostname, so Wagtail serves the default site, the Ledger.

The session's `browser` runs Playwright in a thread of its own
(conftest.PlaywrightThread), so Playwright's event loop never changes the test
thread's database connection.
"""

import html
import http.server
import threading
from urllib.parse import urlparse

import pytest
from wagtail.models import Site

from conftest import expect, shoot, shoot_part
from newsroom.accounts.tests.helpers import PASSWORD
from newsroom.comments.models import Comment
from newsroom.comments.tests.factories import set_rules
from newsroom.comments.tests.helpers import an_article
from newsroom.demo import embeds
from newsroom.edge import policy
from newsroom.moderation import toxicity

from .. import services
from ..models import DiscussionPage, EmbedSettings

# live_server commits for real; the rollback restores what Wagtail's migrations made.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Ferry timetable changes for the summer"
COMMENT = "The early sailing at 6:40 is back, which helps everyone on the island."
# The partner's page, as its own developers wrote it. The inline script notes the
# page's shape and globals before embed.js runs, to compare afterwards.
HOST_PAGE = r"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Island Gazette: {title}</title>
<style>
  body {{ font: 18px/1.5 Georgia, serif; background: #f6f1e7; color: #222;
         max-width: 46rem; margin: 0 auto; padding: 1rem 1.5rem; }}
  header {{ border-bottom: 3px double #222; margin-bottom: 1rem; }}
  footer {{ border-top: 1px solid #999; margin-top: 2rem; font-size: 14px; }}
</style>
</head>
<body>
<header id="masthead"><h1>Island Gazette</h1><nav><a href="/">Home</a></nav></header>
<article id="story">
  <h2>{title}</h2>
  <p>The ferry company restores the early sailing from June and adds a late boat on
  Fridays, after a winter of complaints from commuters.</p>
  <p><a data-newsroom-count href="{article}" id="count">Comments</a></p>
</article>
<div data-newsroom-thread data-url="{article}" data-title="{title}"></div>
{forged}
<footer id="colophon"><p>Island Gazette, printed on the island since 1952.</p></footer>
<script>
  function hostShape() {{
    var copy = document.documentElement.cloneNode(true);
    copy.querySelectorAll("[data-newsroom-thread], [data-newsroom-count], script")
      .forEach(function (el) {{ el.remove(); }});
    // Text after this script is not parsed yet when it first runs.
    return copy.outerHTML.replace(/>\s+</g, "><").replace(/\s+<\/body>/, "</body>");
  }}
  window.hostBefore = hostShape();
  window.hostKeys = null;
  window.hostKeys = Object.keys(window);
</script>
<script async src="{newsroom}/embed.js"></script>
</body>
</html>
"""
HOST_CHECK = """() => ({
  same: hostShape() === window.hostBefore,
  globals: Object.keys(window).filter(k => !hostKeys.includes(k) && isNaN(k)),
  thread: [...document.querySelector("[data-newsroom-thread]").children]
    .map(el => el.tagName),
  count: document.getElementById("count").getAttribute("href"),
})"""


# Live updates would hold the test server's threads open; they have their own tests.
LIVE_STREAMS = ["**/notifications/stream/", "**/comments/on/*/events/**"]


class _HostPages(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        body = self.server.pages.get(self.path.split("?")[0])
        if body is None:
            self.send_error(404)
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in getattr(self.server, "headers", {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class _PartnerFiles(http.server.SimpleHTTPRequestHandler):
    """The demo's partner website, newsroom/demo/partner/."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(embeds.PARTNER_PAGE.parent), **kwargs)

    def log_message(self, *args):
        pass


@pytest.fixture
def partner():
    """The partner's website: `pages` maps paths to HTML; `origin` is its origin."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _HostPages)
    server.pages = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.origin = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def newsroom(network, live_server, partner):
    """Newsroom's origin on the live server; the Ledger lets the partner embed."""
    port = urlparse(live_server.url).port
    for site in Site.objects.all():
        site.port = port
        site.save()  # saving (not .update()) clears Wagtail's cached site roots
    ledger = Site.objects.get(hostname="ledger.localhost")
    settings = EmbedSettings.for_site(ledger)
    settings.allowed_origins = partner.origin
    settings.save()
    set_rules(an_article())  # the Ledger's posting limits have their own tests
    # Posting screens the text; the classifier loads on first use (seconds on a busy
    # machine), so it is loaded here rather than while the browser waits.
    toxicity.score("warm up")
    return f"http://127.0.0.1:{port}"


def host_page(partner, newsroom, path="/story.html", forged="") -> str:
    article = partner.origin + path
    partner.pages[path] = HOST_PAGE.format(
        title=html.escape(TITLE),
        article=html.escape(article),
        newsroom=newsroom,
        forged=forged,
    )
    return article


def frame_height(page) -> tuple[int, int]:
    """The iframe's height on the host page, and its document's own height."""
    iframe = page.locator("[data-newsroom-thread] iframe")
    outer = iframe.evaluate("el => el.getBoundingClientRect().height")
    inner = iframe.content_frame.locator("html").evaluate(
        "el => Math.ceil(el.getBoundingClientRect().height)"
    )
    return round(outer), inner


def wait_for_fitted_frame(page):
    """Wait until the frame has taken its content's height (not the first 420px)."""
    page.wait_for_function(
        """() => {
          const f = document.querySelector("[data-newsroom-thread] iframe");
          return f && f.style.height && f.style.height !== "420px";
        }"""
    )
    outer, inner = frame_height(page)
    assert abs(outer - inner) <= 1, (outer, inner)
    return outer


def test_a_reader_signs_in_through_the_popup_and_comments_on_the_partners_page(
    open_page, partner, newsroom, make_reader
):
    make_reader("Hana Sato", verified=True)
    article = host_page(partner, newsroom)
    page = open_page(blocked=LIVE_STREAMS)

    def open_host_page(page):
        page.goto(article)
        thread = page.frame_locator("[data-newsroom-thread] iframe")
        expect(thread.get_by_role("heading", name="No comments yet")).to_be_visible()
        expect(thread.get_by_text("Comments by The Tokyo Ledger")).to_be_visible()
        height = wait_for_fitted_frame(page)
        shoot_part(
            page.locator("[data-newsroom-thread]"), "embed-signed-out", margin=16
        )
        return height

    signed_out_height = open_host_page(page)
    discussion = DiscussionPage.objects.get()
    assert (discussion.canonical_url, discussion.title) == (article, TITLE)

    def sign_in_in_the_popup(page):
        thread = page.frame_locator("[data-newsroom-thread] iframe")
        with page.expect_popup() as opened:
            thread.get_by_role("link", name="Login to comment").click()
        popup = opened.value
        popup.get_by_label("Email or display name").fill("Hana Sato")
        popup.get_by_label("Password").fill(PASSWORD)
        # The page that follows sign-in says "You're signed in" and closes itself.
        with popup.expect_event("close", timeout=20_000):
            popup.locator(".entrance-login").get_by_role(
                "button", name="Sign in"
            ).click()
        # The frame notices by itself and shows the comment box.
        expect(thread.get_by_label("Your comment, as Hana Sato")).to_be_visible(
            timeout=15_000
        )

    sign_in_in_the_popup(page)

    def post_a_comment(page):
        thread = page.frame_locator("[data-newsroom-thread] iframe")
        thread.get_by_label("Your comment, as Hana Sato").fill(COMMENT)
        thread.get_by_role("button", name="Post comment").click()
        expect(thread.locator(".comment-list").get_by_text(COMMENT)).to_be_visible()
        expect(thread.get_by_role("heading", name="1 Comment")).to_be_visible()
        expect(page).to_have_url(article)  # the host page stayed where it was
        page.wait_for_function(
            f"""() => parseFloat(document.querySelector(
                "[data-newsroom-thread] iframe").style.height) > {signed_out_height}"""
        )
        outer, inner = frame_height(page)
        assert abs(outer - inner) <= 1, (outer, inner)
        shoot(page, "embed-partner-page")
        shoot_part(page.locator("[data-newsroom-thread]"), "embed-thread", margin=16)
        return page.evaluate(HOST_CHECK)

    host = post_a_comment(page)
    assert host == {"same": True, "globals": [], "thread": ["IFRAME"], "count": article}
    comment = Comment.objects.get()
    assert (comment.author.username, comment.body) == ("Hana Sato", COMMENT)
    assert comment.thread.page_id == discussion.pk

    # Another reader, with a fresh browser cache, sees the count and the comment.
    visitor = open_page(blocked=LIVE_STREAMS)

    def read_as_a_visitor(page):
        page.goto(article)
        expect(page.locator("#count")).to_have_text("1 Comment")
        thread = page.frame_locator("[data-newsroom-thread] iframe")
        expect(thread.get_by_text(COMMENT)).to_be_visible()
        expect(thread.get_by_role("link", name="Login to comment")).to_be_visible()

    read_as_a_visitor(visitor)


def test_a_website_not_allowed_shows_no_thread(open_page, partner, newsroom):
    # The allowed partner's discussion exists; a stranger's page tries to show it,
    # once through embed.js and once by framing the thread's own address.
    allowed_article = partner.origin + "/story.html"
    discussion = services.discussion_for(
        allowed_article, TITLE, host_origin=partner.origin
    )
    stranger = f"http://stranger.localhost:{partner.server_address[1]}"
    thread_url = f"{newsroom}/embed/thread/{discussion.pk}/"
    host_page(
        partner,
        newsroom,
        path="/copied.html",
        forged=f'<iframe id="forged" src="{thread_url}" title="Forged"></iframe>',
    )
    page = open_page(blocked=LIVE_STREAMS)

    def open_the_strangers_page(page):
        answers = {}
        page.on(
            "response",
            lambda r: answers.setdefault(urlparse(r.url).path, (r.status, r.headers)),
        )
        page.goto(stranger + "/copied.html")
        embedded = page.locator("[data-newsroom-thread] iframe")
        expect(embedded).to_have_count(1)
        frames = [
            embedded.element_handle().content_frame(),
            page.locator("#forged").element_handle().content_frame(),
        ]
        for frame in frames:  # Chromium's own "refused to connect" page
            frame.wait_for_url("chrome-error://chromewebdata/")
        shown = [frame.locator("#comments").count() for frame in frames]
        shoot(page, "embed-stranger-page")
        return answers, shown, page.evaluate(HOST_CHECK)

    answers, shown, host = open_the_strangers_page(page)
    # Newsroom refused the stranger's embed, and sent the thread only with a policy
    # that lets the partner alone frame it; Chromium showed neither.
    status, headers = answers["/embed/thread/"]
    assert status == 403
    refusal = policy.parse(headers["content-security-policy"])
    assert refusal["frame-ancestors"] == ["'none'"]
    status, headers = answers[f"/embed/thread/{discussion.pk}/"]
    assert status == 200
    thread = policy.parse(headers["content-security-policy"])
    assert thread["frame-ancestors"] == [partner.origin]
    assert shown == [0, 0]
    assert host["same"] and host["thread"] == ["IFRAME"]
    assert DiscussionPage.objects.count() == 1  # the stranger's page made none


def test_a_partner_page_that_sends_no_referrer_still_starts_its_thread(
    open_page, partner, newsroom
):
    """Newsroom makes a thread only for the page the browser names (its Referer);
    embed.js's frame sends the page's origin even when the page's own policy is to
    send no referrer at all."""
    partner.headers = {"Referrer-Policy": "no-referrer"}
    article = host_page(partner, newsroom)
    page = open_page(blocked=LIVE_STREAMS)
    asked = []
    page.on(
        "request",
        lambda r: (
            asked.append(r.headers.get("referer"))
            if urlparse(r.url).path == "/embed/thread/"
            else None
        ),
    )

    def open_host_page(page):
        page.goto(article)
        thread = page.frame_locator("[data-newsroom-thread] iframe")
        expect(thread.get_by_role("heading", name="No comments yet")).to_be_visible()

    open_host_page(page)
    assert asked == [partner.origin + "/"]  # the origin, never the page's path
    assert DiscussionPage.objects.get().canonical_url == article


def test_the_demos_partner_page_shows_the_ledgers_thread(
    open_page, network, live_server
):
    """newsroom/demo/partner/index.html, served one port above Newsroom as the README
    says, with the origins newsroom/demo/embeds.py allows."""
    port = urlparse(live_server.url).port
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port + 1), _PartnerFiles)
    except OSError as error:
        pytest.skip(f"the port above the live server's is taken: {error}")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    assert embeds.allow_demo_origins(port) == embeds.partner_origins(port)
    page = open_page(blocked=LIVE_STREAMS)

    def open_the_partner_page(page):
        page.goto(f"http://127.0.0.1:{port + 1}/")
        thread = page.frame_locator("[data-newsroom-thread] iframe")
        expect(thread.get_by_role("heading", name="No comments yet")).to_be_visible()
        expect(thread.get_by_role("link", name="Login to comment")).to_be_visible()
        wait_for_fitted_frame(page)

    try:
        open_the_partner_page(page)
    finally:
        server.shutdown()
        server.server_close()
    discussion = DiscussionPage.objects.get()
    assert discussion.canonical_url == f"http://127.0.0.1:{port + 1}/"
    assert discussion.title == "Ferry timetable changes for the summer"
    assert discussion.get_site().hostname == "ledger.localhost"
