"""Whatever readers type is rendered inert, through the real article page."""

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom.accounts.tests.helpers import sign_in

from .. import render
from .factories import set_rules
from .helpers import an_article, post

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><script>alert(document.cookie)</script>',
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "javascript:alert(1)",
    "[link](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    'http://example.com/"onmouseover="alert(1)',
    "https://example.com/<script>",
    "{{ 7*7 }} {% debug %} {{ request.user.password }}",
    "${7*7} #{7*7} <%= 7*7 %>",
    "'; DROP TABLE comments_comment; --",
    "<!-- hidden -->\n<!--\nmore\n-->",
    "<style>body{display:none}</style>",
    "<form action=/accounts/delete/ method=post><button>Win</button></form>",
    "<meta http-equiv=refresh content=0;url=https://evil.example>",
    "<base href=https://evil.example/>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\u202egnp.exe",  # right-to-left override
    "zero\u200bwidth\u200dtricks\ufeff",
    "bidi \u2066isolate\u2069 and \u202aembedding\u202c",
    "control \x07 bell \x1b[31m red",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[quote=999999]<script>alert(1)</script>[/quote] answer",
    "[quote=1]words nobody wrote[/quote] answer",
    "\\u003cscript\\u003e",
    "ｊａｖａｓｃｒｉｐｔ:alert(1)",
]
ALLOWED = {
    "p": set(),
    "br": set(),
    "a": {"href", "rel"},
}
INVISIBLE = ["\u202e", "\u200b", "\u200d", "\ufeff", "\u2066", "\u2069", "\u202a"]


class BodyAudit(HTMLParser):
    """Collects every tag and attribute inside comment texts."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.found = []

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class", "")
        if self.depth:
            self.depth += tag not in {"br"}
            self.found.append((tag, dict(attrs)))
        elif tag == "div" and classes in {"comment-text", "quote-text"}:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and tag != "br":
            self.depth -= 1


def audit(html: str) -> list[tuple[str, dict]]:
    parser = BodyAudit()
    parser.feed(html)
    return parser.found


def assert_inert(found):
    for tag, attrs in found:
        assert tag in ALLOWED, tag
        assert set(attrs) <= ALLOWED[tag], attrs
        if tag == "a":
            assert attrs["href"].startswith(("http://", "https://"))
            assert attrs["rel"] == "nofollow ugc noopener"


def test_hostile_comments_render_inert_on_the_article_page(
    ledger, network, make_reader
):
    article = an_article()
    set_rules(article)
    make_reader("Mallory")
    sign_in(ledger, "Mallory")
    refused = []
    for body in HOSTILE:  # one thread holds them all: one page to audit
        if post(ledger, article, body + " end").status_code != 302:
            refused.append(body)

    html = ledger.get(article.url).content.decode()

    # Only direction controls and the forged quotes are refused: text that would
    # read differently from what it says, a quote of a comment not in this thread,
    # one putting words in the first comment's mouth.
    assert refused == [
        "\u202egnp.exe",
        "bidi \u2066isolate\u2069 and \u202aembedding\u202c",
        "[quote=999999]<script>alert(1)</script>[/quote] answer",
        "[quote=1]words nobody wrote[/quote] answer",
    ]
    found = audit(html)
    assert_inert(found)
    start = html.index('class="comment-list"')
    thread = html[start : html.index("</ol>", start)]
    assert thread.count('<li class="comment"') == len(HOSTILE) - 4
    assert "<script" not in thread
    assert "<img" not in thread and "<svg" not in thread and "<iframe" not in thread
    assert "&lt;img src=x onerror=alert(1)&gt;" in thread  # shown as text
    for char in INVISIBLE:
        assert char not in thread
    assert "{{ 7*7 }} {% debug %} {{ request.user.password }} end" in thread


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_becomes_only_paragraphs_breaks_and_safe_links(text):
    html = render.text_to_html(render.clean_text(text))

    assert_inert(audit(f'<div class="comment-text">{html}</div>'))
