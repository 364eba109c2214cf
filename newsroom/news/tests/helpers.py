"""Test helpers for reading pages the way a reader's browser would."""

import json
import re
from html.parser import HTMLParser

from newsroom.demo import content
from newsroom.news.models import ArticlePage


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(response) -> str:
    """The page's visible text, whitespace collapsed, in document order."""
    parser = _TextExtractor()
    parser.feed(response.content.decode())
    return " ".join(parser.parts)


def json_ld_blocks(response) -> list[dict]:
    html = response.content.decode()
    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def demo_article(predicate, site="ledger"):
    """The first demo article (spec and page) on `site` whose spec satisfies `predicate`."""
    for spec in content.ARTICLES:
        if spec["site"] == site and predicate(spec):
            page = ArticlePage.objects.get(title=spec["headline"])
            return spec, page
    raise LookupError("no demo article matches")
