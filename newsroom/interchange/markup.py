"""Imported comments' HTML in Newsroom's own comment form.

Paragraphs and line breaks are kept, and links as their text followed by the
address (`render.text_to_html` makes http(s) addresses links again, as it does for
new comments). Each `<blockquote>` becomes a block of its own, for the import to
recognise as a quote of an earlier comment; script and style contents are dropped
and every other tag is reduced to its text.
"""

from html.parser import HTMLParser

from newsroom.comments import render

BLOCKS = {
    "p", "div", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
    "table", "tr", "section", "article", "header", "footer", "figure", "hr",
}  # fmt: skip
DROPPED = {"script", "style", "template", "iframe", "object", "noscript"}


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, list[str]]] = [("text", [])]
        self.quote_depth = 0
        self.dropping = 0
        self.link: str | None = None
        self.link_text: list[str] = []

    def _out(self) -> list[str]:
        return self.link_text if self.link is not None else self.blocks[-1][1]

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED:
            self.dropping += 1
        elif tag == "blockquote":
            if self.quote_depth == 0:
                self.blocks.append(("quote", []))
            else:
                self.blocks[-1][1].append("\n\n")
            self.quote_depth += 1
        elif tag == "br":
            self._out().append("\n")
        elif tag in BLOCKS:
            self.blocks[-1][1].append("\n\n")
        elif tag == "a" and self.link is None:
            self.link = dict(attrs).get("href") or ""
            self.link_text = []

    def handle_endtag(self, tag):
        if tag in DROPPED:
            self.dropping = max(self.dropping - 1, 0)
        elif tag == "blockquote" and self.quote_depth:
            self.quote_depth -= 1
            if self.quote_depth == 0:
                self.blocks.append(("text", []))
        elif tag in BLOCKS:
            self.blocks[-1][1].append("\n\n")
        elif tag == "a" and self.link is not None:
            self._close_link()

    def _close_link(self):
        href, text = self.link.strip(), "".join(self.link_text).strip()
        self.link = None
        linkable = href.lower().startswith(("http://", "https://"))
        if not linkable or text == href:
            words = text or (href if linkable else "")
        elif text:
            words = f"{text} ({href})"
        else:
            words = href
        self.blocks[-1][1].append(words)

    def handle_data(self, data):
        if not self.dropping:
            self._out().append(data)

    def close(self):
        super().close()
        if self.link is not None:
            self._close_link()


def blocks(html: str) -> list[tuple[str, str]]:
    """The comment's blocks in order: ("text", plain text) and ("quote", the text
    of a blockquote), cleaned as new comments are; empty blocks are left out."""
    reader = _Reader()
    reader.feed(html or "")
    reader.close()
    found = []
    for kind, parts in reader.blocks:
        text = _tidy(render.clean_text("".join(parts)))
        if text:
            found.append((kind, text))
    return found


def _tidy(text: str) -> str:
    """Runs of blank lines to one, spaces inside lines to one."""
    paragraphs = [
        "\n".join(" ".join(line.split()) for line in block.split("\n")).strip()
        for block in text.split("\n\n")
    ]
    return "\n\n".join(p for p in paragraphs if p)


def to_html(body_blocks: list[tuple[str, str]]) -> str:
    """Blocks back to HTML, for exports: paragraphs, links, blockquotes."""
    html = []
    for kind, text in body_blocks:
        inner = render.text_to_html(text)
        html.append(f"<blockquote>{inner}</blockquote>" if kind == "quote" else inner)
    return "".join(html)
