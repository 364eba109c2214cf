"""Comment text: plain text in, inert HTML out.

Readers write plain text. Paragraphs and line breaks are kept and http(s) addresses
become links with rel="nofollow ugc noopener"; nothing else is interpreted. Invisible
characters that could disguise text (bidi overrides, zero-width characters, controls)
and stacks of combining marks never reach the database (characters.py: a reader's
comment is refused or its author told), and nh3 cleans the result as a last guard.

Quote blocks are written `[quote=ID]passage[/quote]` (a passage of another comment
in the thread) or `[quote]passage[/quote]` (an excerpt from elsewhere: the article,
a report; shown as a quote without attribution); `split_body` splits a body into the
reader's own text and the passages it quotes.
"""

import re

import nh3
from django.utils.html import escape

from . import characters

QUOTE_BLOCK = re.compile(r"\[quote(?:=(\d{1,12}))?\]\n?(.*?)\n?\[/quote\]", re.DOTALL)
URL = re.compile(r"https?://[^\s<>\"'\[\]]+", re.IGNORECASE)
TRAILING_PUNCTUATION = ".,;:!?)]}'\""
ALLOWED_TAGS = {"p", "br", "a"}


def clean_text(text: str) -> str:
    """The text with what a comment may not hold taken out, direction controls too,
    without a word: for text nobody is typing now (an imported archive). A reader's
    comment goes through `characters.clean` and is told (posting.check_body)."""
    return characters.clean(text).text


def _linkify(text: str) -> str:
    html = []
    position = 0
    for match in URL.finditer(text):
        url = match.group(0)
        trimmed = url.rstrip(TRAILING_PUNCTUATION)
        end = match.start() + len(trimmed)
        html.append(escape(text[position : match.start()]))
        html.append(f'<a href="{escape(trimmed)}">{escape(trimmed)}</a>')
        position = end
    html.append(escape(text[position:]))
    return "".join(html)


def text_to_html(text: str) -> str:
    paragraphs = [p.strip("\n") for p in re.split(r"\n\s*\n", text) if p.strip()]
    html = "".join(
        "<p>{}</p>".format(
            "<br>".join(_linkify(line) for line in paragraph.split("\n"))
        )
        for paragraph in paragraphs
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="nofollow ugc noopener",
    )


def split_body(body: str) -> list[tuple[str, str, int | None]]:
    """The body's pieces in order: ("text", raw, None), ("quote", raw, source id) and
    ("excerpt", raw, None)."""
    pieces = []
    position = 0
    for match in QUOTE_BLOCK.finditer(body):
        before = body[position : match.start()].strip("\n")
        if before.strip():
            pieces.append(("text", before, None))
        passage = match.group(2).strip("\n")
        if match.group(1) is None:
            pieces.append(("excerpt", passage, None))
        else:
            pieces.append(("quote", passage, int(match.group(1))))
        position = match.end()
    rest = body[position:].strip("\n")
    if rest.strip():
        pieces.append(("text", rest, None))
    return pieces


def own_words(segments: list[dict]) -> str:
    """The plain text a comment's author wrote (what others may quote)."""
    return "\n\n".join(s["text"]["raw"] for s in segments if "text" in s)


def squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def body_from_segments(segments: list[dict]) -> str:
    """The editable body again, quote blocks included."""
    parts = []
    for segment in segments:
        if "quote" in segment:
            quote = segment["quote"]
            parts.append(f"[quote={quote['id']}]\n{quote['raw']}\n[/quote]")
        elif "excerpt" in segment:
            parts.append(f"[quote]\n{segment['excerpt']['raw']}\n[/quote]")
        else:
            parts.append(segment["text"]["raw"])
    return "\n\n".join(parts)
