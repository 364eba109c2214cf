"""Test helpers for reading pages the way a reader's browser would."""

import json
import re
from html.parser import HTMLParser

from newsroom.news.models import ArticlePage

from . import network as content

BLOCK_TAGS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "li",
    "figcaption",
    "header",
    "footer",
    "nav",
    "section",
    "article",
    "main",
    "form",
    "label",
    "button",
    "blockquote",
    "ul",
    "figure",
}
HIDDEN_TAGS = {"script", "style", "head"}


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in HIDDEN_TAGS
        if tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        self._hidden -= tag in HIDDEN_TAGS
        if tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(response) -> str:
    """The page's visible text in order, whitespace collapsed as a browser does."""
    parser = _TextExtractor()
    parser.feed(response.content.decode())
    return " ".join("".join(parser.parts).split())


def json_ld_blocks(response) -> list[dict]:
    html = response.content.decode()
    return [
        json.loads(m)
        for m in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', html, re.S
        )
    ]


def demo_article(predicate, site="ledger"):
    """The first demo article (spec, page) on `site` whose spec fits `predicate`."""
    for spec in content.ARTICLES:
        if spec["site"] == site and predicate(spec):
            page = ArticlePage.objects.get(title=spec["headline"])
            return spec, page
    raise LookupError("no demo article matches")
