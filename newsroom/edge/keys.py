"""Surrogate keys: the names of what a shared page shows.

A shared response lists the keys of everything on it (each article it shows, its
thread, the section or site listing it belongs to), so that a change purges exactly
the pages that show what changed, in the app's page cache and in Varnish or a CDN.
The keys a request's code names while the response is built are collected here and
written into the response by `newsroom.edge.middleware.SharedPageMiddleware`.
"""

from contextvars import ContextVar

NETWORK = "network"  # every HTML page: the footer lists the network's sites

_collected: ContextVar[set | None] = ContextVar("newsroom_edge_keys", default=None)


def article(pk) -> str:
    return f"article-{pk}"


def thread(pk) -> str:
    return f"thread-{pk}"


def section(pk) -> str:
    return f"section-{pk}"


def site(pk) -> str:
    return f"site-{pk}"


def reader(user_pk) -> str:
    """A signed-in reader's overlay: purged when their votes, comments, unread
    count, sanctions or address change, or when they sign out."""
    return f"reader-{user_pk}"


def add(*keys: str) -> None:
    """Name what the response being built shows (outside a request: nothing)."""
    collected = _collected.get()
    if collected is not None:
        collected.update(key for key in keys if key)


def add_articles(pks) -> None:
    add(*(article(pk) for pk in pks))


def share(request, *keys: str) -> None:
    """Declare the response to `request` a shared document showing `keys`.

    The middleware makes it one (cache headers, no cookies, surrogate keys) when it
    turns out to be the same for everyone: an anonymous GET whose rendering set no
    cookie and used no CSRF token or message. Otherwise it is marked private.
    """
    request.newsroom_shared = True
    add(*keys)


class Collecting:
    """Collect the keys named while a response is built (one per request)."""

    def __enter__(self) -> set:
        self.keys = set()
        self.token = _collected.set(self.keys)
        return self.keys

    def __exit__(self, *exc) -> None:
        _collected.reset(self.token)
