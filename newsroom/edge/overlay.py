"""The per-reader overlay: what a shared page shows differently to a signed-in reader.

A signed-in reader whose browser runs JavaScript is served the same shared page as
everyone (from a cache) and asks `/me/overlay/` for their own parts: the masthead's
account links and unread count, a moderator's message to them, and whatever the
apps registered here add for the page they are on (comments: their votes, their own
comments' Edit and Delete, the comment box). Without JavaScript the reader gets the
page rendered for them, as before.
"""

from collections.abc import Callable

_providers: list[Callable] = []

# While the reader is refused something (a rate limit, a suspension) the refusal's
# end is not always known to the part that shows it: the overlay is made again
# this often.
REFUSED_SECONDS = 30


def register(provider: Callable) -> Callable:
    """`provider(request, page_id, fresh_for) -> dict` adds its part to a reader's
    overlay; apps register from their AppConfig.ready(). `page_id` may be None. A
    part that changes with time alone (a window closing) appends to the list
    `fresh_for` the seconds it stays true: the edge keeps the overlay no longer."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def parts(request, page_id, fresh_for: list) -> dict:
    found = {}
    for provider in _providers:
        found.update(provider(request, page_id, fresh_for) or {})
    return found
