"""Places on news pages where apps above news show their parts.

news knows nothing of comments or trending, yet an article ends with its discussion
and the front page has a trending rail. An app puts a part in a slot from its
`AppConfig.ready()`: a template, rendered with the page's own context as
`{% include %}` would render it, and optionally `with_context(context) -> dict`,
what the template needs besides. Parts show in the order they were registered.
A news template names the place with `{% slot "article_end" %}` (news_tags).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

ARTICLE_META = "article_meta"  # the article's head, above the byline
ARTICLE_END = "article_end"  # after the article
RAIL = "rail"  # beside the front and section pages' listings

SLOTS = (ARTICLE_META, ARTICLE_END, RAIL)


@dataclass(frozen=True)
class Part:
    template: str
    with_context: Callable | None = None


_parts: dict[str, list[Part]] = defaultdict(list)


def register(slot: str, template: str, with_context: Callable | None = None) -> None:
    if slot not in SLOTS:
        raise ValueError(f"No slot {slot!r} on news pages; there are {SLOTS}.")
    part = Part(template, with_context)
    if part not in _parts[slot]:
        _parts[slot].append(part)


def parts(slot: str) -> list[Part]:
    return _parts[slot]
