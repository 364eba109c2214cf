"""Agency HTML in, an article body's paragraphs out: safe text, bold, italic, links.

Block elements (p, div, headings, list items, quotes, br-br) end a paragraph; the
inline emphasis and http(s) links an article body allows (news.blocks'
RichTextBlock: bold, italic, link) are kept; everything else becomes its text.
Scripts, styles and their content go. nh3 cleans each paragraph as a last guard.
"""

import re
from html import escape, unescape
from html.parser import HTMLParser

import nh3

BLOCKS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre",
    "section", "article", "figure", "figcaption", "table", "tr", "ul", "ol", "hr",
}  # fmt: skip
INLINE = {"b": "b", "strong": "b", "i": "i", "em": "i"}
DROPPED = {"script", "style", "template", "iframe", "object", "noscript", "svg"}
KEPT_TAGS = {"b", "i", "a"}
MAX_PARAGRAPHS = 400  # a longer body is agency noise, not a story


class _Paragraphs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.open: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED:
            self.dropping += 1
        elif self.dropping:
            return
        elif tag in BLOCKS:
            self.end_paragraph()
        elif tag == "br":
            self.current.append(" ")
        elif tag in INLINE:
            self._open(INLINE[tag], f"<{INLINE[tag]}>")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            if re.match(r"https?://", href.strip(), re.IGNORECASE):
                self._open("a", f'<a href="{escape(href.strip())}">')

    def handle_endtag(self, tag):
        if tag in DROPPED:
            self.dropping = max(0, self.dropping - 1)
        elif self.dropping:
            return
        elif tag in BLOCKS:
            self.end_paragraph()
        elif (INLINE.get(tag) or tag) in self.open:
            name = INLINE.get(tag) or tag
            while self.open:
                closing = self.open.pop()
                self.current.append(f"</{closing}>")
                if closing == name:
                    break

    def handle_data(self, data):
        if not self.dropping:
            self.current.append(escape(data, quote=False))

    def _open(self, name, html):
        self.open.append(name)
        self.current.append(html)

    def end_paragraph(self):
        while self.open:
            self.current.append(f"</{self.open.pop()}>")
        text = re.sub(r"\s+", " ", "".join(self.current)).strip()
        self.current = []
        if re.sub(r"<[^>]+>", "", text).strip():
            self.paragraphs.append(text)


def paragraphs(html: str) -> list[str]:
    """The paragraphs of `html` as Wagtail rich text (`<p>…</p>`), in order.

    Plain text (no tags) is split into paragraphs at blank lines.
    """
    if "<" not in html:
        html = "".join(f"<p>{escape(part)}</p>" for part in re.split(r"\n\s*\n", html))
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    parser.end_paragraph()
    return [
        "<p>"
        + nh3.clean(
            paragraph,
            tags=KEPT_TAGS,
            attributes={"a": {"href"}},
            url_schemes={"http", "https"},
            link_rel=None,
        )
        + "</p>"
        for paragraph in parser.paragraphs[:MAX_PARAGRAPHS]
    ]


def plain_text(html: str) -> str:
    """`html` as one line of text (a standfirst, a caption)."""
    text = " ".join(re.sub(r"<[^>]+>", "", paragraph) for paragraph in paragraphs(html))
    return unescape(text)
