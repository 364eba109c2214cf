"""Every response carries the Content-Security-Policy of newsroom/edge/policy.py: the
pages run only the site's own script files, with no inline script, handler or style
attribute, and the one inline <style> is allowed by its hash. A browser checks the
same pages in newsroom/edge/tests/test_policy_browser.py."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from conftest import LEDGER
from newsroom.accounts.tests.factories import create_reader
from newsroom.accounts.tests.helpers import sign_in
from newsroom.comments.tests.factories import comment
from newsroom.edge import policy
from newsroom.news.models import Author
from newsroom.news.tests.admin_forms import sign_in as sign_in_staff

pytestmark = pytest.mark.django_db

# Script types a browser runs; JSON-LD and JSON data blocks are not run.
RUNNABLE = {"", "text/javascript", "module", "application/javascript"}


class Page(HTMLParser):
    """What in an HTML page a Content-Security-Policy has to allow."""

    def __init__(self, html: str):
        super().__init__()
        self.inline_scripts, self.handlers, self.style_attributes = [], [], []
        self.styles: list[str] = []
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        self.handlers += [name for name, _value in attrs if name.startswith("on")]
        if "style" in named:
            self.style_attributes.append(tag)
        runnable = (named.get("type") or "").lower() in RUNNABLE
        if tag == "script" and "src" not in named and runnable:
            self._in = "script"
        elif tag == "style":
            self._in = "style"

    def handle_data(self, data):
        if self._in == "script" and data.strip():
            self.inline_scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)

    def handle_endtag(self, tag):
        self._in = None


def assert_strict(response, path):
    assert response.status_code in (200, 404), (path, response.status_code)
    directives = policy.parse(response["Content-Security-Policy"])
    page = Page(response.content.decode())
    assert directives["script-src"] == ["'self'"], path
    assert directives["object-src"] == ["'none'"], path
    assert (page.inline_scripts, page.handlers, page.style_attributes) == (
        [],
        [],
        [],
    ), path
    hashes = [policy.style_source(css) for css in page.styles]
    assert directives["style-src"] == ["'self'", *hashes], path
    return page


def test_every_reader_page_runs_only_the_sites_own_files(ledger, article):
    kenji = create_reader("Kenji Sato", verified=True)
    comment(article, kenji, "The ferry timetable looks right to me.")
    author = Author.objects.order_by("pk").first()
    anonymous = [
        "/",
        "/world/",
        article.url_path.removeprefix("/ledger"),
        "/search/?q=ferry",
        f"/authors/{author.slug}/",
        f"/readers/{kenji.pk}/",
        "/no/such/story/",
        "/accounts/login/",
        "/accounts/signup/",
        "/alerts/subscribe/",
        "/api/docs",
    ]
    pages = {path: assert_strict(ledger.get(path), path) for path in anonymous}
    # The article's one inline style is the Ledger's brand colour.
    article_page = pages[article.url_path.removeprefix("/ledger")]
    assert article_page.styles == [":root { --brand: #b3261e; }"]

    reader = Client(HTTP_HOST=LEDGER)
    sign_in(reader, "Kenji Sato")
    for path in ("/accounts/settings/", "/alerts/", "/notifications/"):
        assert_strict(reader.get(path), path)


def test_the_admin_has_its_own_looser_policy_and_pages_keep_theirs(ledger, settings):
    editor = sign_in_staff(Client(HTTP_HOST=LEDGER), "editor")

    admin = policy.parse(editor.get("/cms/")["Content-Security-Policy"])
    front = policy.parse(ledger.get("/")["Content-Security-Policy"])

    assert admin["script-src"] == settings.NEWSROOM_CSP_ADMIN["script-src"]
    assert admin["style-src"] == settings.NEWSROOM_CSP_ADMIN["style-src"]
    assert front["script-src"] == ["'self'"]


def test_a_views_own_header_is_completed_or_kept_whole():
    site = {"default-src": ["'self'"], "frame-ancestors": ["'self'"]}

    embed = policy.merged("frame-ancestors https://partner.example", site)
    document = policy.merged("default-src 'none'; sandbox", site)

    assert embed == "frame-ancestors https://partner.example; default-src 'self'"
    assert document == "default-src 'none'; sandbox"
