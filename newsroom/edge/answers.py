"""Answers the edge may give a new address without Django: one shared document that
many addresses answer the same way (a site's 404 page for every address nothing
answers).

Django names such a response with the `X-Newsroom-Same-As: <name>` header; the page
cache then keeps it under that name as well as under its own address. An app
registers a function telling, for an anonymous GET or HEAD the cache has not seen,
the name of the kept answer that is surely this request's answer too (or None to ask
Django). It runs on the event loop before any Django code: it must read no database
and only what the process already holds, and answer None whenever it is unsure.
"""

from collections.abc import Callable

SAME_AS_HEADER = "X-Newsroom-Same-As"
SAME_AS = SAME_AS_HEADER.lower().encode("latin-1")  # as the ASGI server writes it
PREFIX = "same-as:"

_answerers: list[Callable] = []


def register(answerer: Callable) -> Callable:
    """`answerer(scope) -> str | None`, scope as the ASGI server gives it; apps
    register from their AppConfig.ready()."""
    if answerer not in _answerers:
        _answerers.append(answerer)
    return answerer


def names_for(scope) -> list[str]:
    """The cache keys of the kept answers the registered apps name for `scope`."""
    named = []
    for answerer in _answerers:
        name = answerer(scope)
        if name:
            named.append(PREFIX + name)
    return named


def key_of(headers) -> str | None:
    """The cache key a response's `X-Newsroom-Same-As` header names, if any."""
    for name, value in headers:
        if name == SAME_AS:
            return PREFIX + value.decode("latin-1")
    return None
