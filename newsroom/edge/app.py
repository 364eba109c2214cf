"""The edge: the ASGI application the server runs, in front of Django.

1. Streams (async views: the live comment and notification streams) go to Django's
   ASGI handler, where they wait on the event loop without holding a thread.
2. A GET or HEAD that a shared page may answer (see `Request.may_share`) is looked
   up in the page cache before any Django code runs: a fresh entry is sent from
   here, compressed as the client accepts and 304 when its ETag matches; an entry
   past its time but within its grace is sent while one refresh runs in the
   background; concurrent misses of one address wait for a single render.
3. Everything else runs Django's WSGI handler in one hop to a thread (bridge.py).
"""

import asyncio
import functools
import hashlib
import logging
import time

from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.utils.http import parse_http_date_safe

from . import answers
from .bridge import Result
from .entry import Entry

logger = logging.getLogger(__name__)

COOKIE_SESSION = "sessionid"
COOKIE_MESSAGES = "messages"
COOKIE_OVERLAY = "nr_overlay"
COOKIE_CSRF = "csrftoken"
SIGNED_IN_HINT = "nr_user"
CACHE_STATUS = b"x-newsroom-cache"
OVERLAY_MARK = b"x-newsroom-overlay"


class Request:
    """What the edge needs of a request, read from the ASGI scope once."""

    __slots__ = ("scope", "method", "headers", "cookies", "key")

    def __init__(self, scope):
        self.scope = scope
        self.method = scope["method"]
        self.headers = {}
        for name, value in scope.get("headers", ()):
            self.headers[name] = value  # the last one wins; enough for our reads
        raw_cookie = self.headers.get(b"cookie", b"").decode("latin-1")
        self.cookies = _cookie_names(raw_cookie) if raw_cookie else {}
        host = self.headers.get(b"host", b"").decode("latin-1").lower()
        query = scope.get("query_string", b"").decode("latin-1")
        self.key = f"{scope.get('scheme', 'http')}://{host}{scope['path']}?{query}"

    @property
    def anonymous(self) -> bool:
        return (
            COOKIE_SESSION not in self.cookies and COOKIE_MESSAGES not in self.cookies
        )

    @property
    def may_share(self) -> bool:
        """A stored shared page may answer: an anonymous reader's request, or a
        signed-in reader's whose browser fetches its overlay (nr_overlay)."""
        if self.method not in ("GET", "HEAD"):
            return False
        if COOKIE_MESSAGES in self.cookies:
            return False
        return COOKIE_SESSION not in self.cookies or (
            self.cookies.get(COOKIE_OVERLAY) == "1"
        )

    def header(self, name: bytes) -> str:
        return self.headers.get(name, b"").decode("latin-1")


def _cookie_names(raw: str) -> dict:
    cookies = {}
    for part in raw.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            cookies[name] = value
    return cookies


class Edge:
    def __init__(
        self, django_asgi, bridge, store, surrogate_header: str, overlay_path=None
    ):
        self.django_asgi = django_asgi
        self.overlay_path = overlay_path
        self.bridge = bridge
        self.store = store
        self.surrogate = surrogate_header.lower().encode("latin-1")
        self.filling: dict = {}
        self.refreshing: set = set()
        self.is_async_store = hasattr(store, "aget")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or is_stream(scope["path"]):
            return await self.django_asgi(scope, receive, send)
        try:
            await self.handle(scope, receive, _Sender(send))
        except ClientGone:
            pass  # the reader left before the answer was sent: nothing to do

    async def handle(self, scope, receive, send):
        request = Request(scope)
        if (
            scope["path"] == self.overlay_path
            and self.store is not None
            and request.method == "GET"
            and COOKIE_SESSION in request.cookies
        ):
            return await self.overlay(request, receive, send)
        if self.store is None or not request.may_share:
            return await self.bridge.serve(scope, receive, send)
        entry = await self.lookup(request.key)
        now = time.time()
        if entry is not None and now < entry.fresh_until:
            return await self.answer(request, entry, send, b"hit")
        if entry is not None and now < entry.stale_until:
            self.refresh_later(request)
            return await self.answer(request, entry, send, b"stale")
        if not request.anonymous:
            # A signed-in reader never fills the cache: their page is their own.
            return await self.bridge.serve(scope, receive, send)
        for name in answers.names_for(scope):  # one document many addresses answer
            entry = await self.lookup(name)
            if entry is not None and now < entry.fresh_until:
                return await self.answer(request, entry, send, b"hit")
        return await self.fill(request, receive, send)

    async def overlay(self, request: Request, receive, send) -> None:
        """A signed-in reader's overlay, kept for their browser alone: the key is
        a digest of its session and CSRF cookies (only that browser holds them),
        and the reader's own purges (a vote, a comment, a notification, signing
        out) or their thread's drop it; it lives OVERLAY_SECONDS at most."""
        cookies = request.cookies
        secret = "|".join(
            (
                cookies.get(COOKIE_SESSION, ""),
                cookies.get(COOKIE_CSRF, ""),
                request.header(b"host"),
                request.scope.get("query_string", b"").decode("latin-1"),
            )
        )
        key = "overlay:" + hashlib.blake2b(secret.encode(), digest_size=20).hexdigest()
        entry = await self.lookup(key)
        if entry is not None and time.time() < entry.fresh_until:
            return await self.send_plain(
                send, entry.status, entry.headers, entry.bodies["identity"], b"hit"
            )
        started = time.time()
        result = await self.bridge.call(request.scope, receive)
        headers = [(n, v) for n, v in result.headers if n != OVERLAY_MARK]
        mark = dict(result.headers).get(OVERLAY_MARK)
        keepable = _sets_no_new_cookie(headers, request.cookies)
        if mark and result.status == 200 and keepable and result.rest is None:
            seconds, *named = mark.decode("latin-1").split()
            now = time.time()
            kept = [
                (n, v)
                for n, v in headers
                if n not in (b"content-length", b"set-cookie")
            ]
            await self.keep(
                key,
                Entry(
                    status=200,
                    headers=kept,
                    bodies={"identity": result.body},
                    etag="",
                    keys=frozenset(named),
                    stored_at=now,
                    fresh_until=now + int(seconds),
                    stale_until=now + int(seconds),
                ),
                started,
            )
        return await self.send_plain(send, result.status, headers, result.body, b"miss")

    @staticmethod
    async def send_plain(send, status, headers, body: bytes, how: bytes) -> None:
        headers = [(n, v) for n, v in headers if n != b"content-length"]
        headers += [
            (b"content-length", str(len(body)).encode()),
            (CACHE_STATUS, how),
        ]
        await send(
            {"type": "http.response.start", "status": status, "headers": headers}
        )
        await send({"type": "http.response.body", "body": body})

    async def lookup(self, key: str):
        if self.is_async_store:
            return await self.store.aget(key)
        return self.store.get(key)

    async def keep(self, key: str, entry: Entry, started: float | None = None):
        """Store `entry` unless its keys were purged since its render `started`
        (time.time()): a render that began before a change may show the old."""
        if self.is_async_store:
            await self.store.aput(key, entry, started)
        else:
            self.store.put(
                key,
                entry,
                None if started is None else time.monotonic() - (time.time() - started),
            )

    async def fill(self, request: Request, receive, send) -> None:
        """Render once for everyone asking for the same address at the same time."""
        scope = request.scope
        pending = self.filling.get(request.key)
        if pending is not None:
            entry = await asyncio.shield(pending)
            if entry is not None:
                return await self.answer(request, entry, send, b"hit")
            return await self.bridge.serve(scope, receive, send)
        future = asyncio.get_running_loop().create_future()
        self.filling[request.key] = future
        entry = None
        started = time.time()
        try:
            result = await self.bridge.call(scope, receive)
            entry = await self.store_result(request, result, started)
        finally:
            future.set_result(entry)
            del self.filling[request.key]
        if entry is None:
            return await self.bridge.send(scope, result, send)
        return await self.answer(request, entry, send, b"miss")

    async def store_result(self, request: Request, result: Result, started: float):
        if request.method != "GET" or result.rest is not None:
            return None
        entry = Entry.from_response(
            result.status, result.headers, result.body, self.surrogate
        )
        if entry is not None:
            await self.keep(request.key, entry, started)
            same_as = answers.key_of(result.headers)
            if same_as is not None:
                await self.keep(same_as, entry, started)
        return entry

    def refresh_later(self, request: Request) -> None:
        if request.key in self.refreshing:
            return
        self.refreshing.add(request.key)
        scope = dict(request.scope)
        scope["method"] = "GET"
        scope["headers"] = [
            (name, value)
            for name, value in scope.get("headers", ())
            if name not in (b"cookie", b"if-none-match", b"if-modified-since")
        ]
        asyncio.get_running_loop().create_task(self._refresh(request.key, scope))

    async def _refresh(self, key: str, scope) -> None:
        async def no_body():
            return {"type": "http.request", "body": b"", "more_body": False}

        try:
            started = time.time()
            result = await self.bridge.call(scope, no_body)
            await self.store_result(Request(scope), result, started)
        except Exception:
            logger.exception("Refreshing %s failed; the stale copy stays", key)
        finally:
            self.refreshing.discard(key)

    async def answer(self, request: Request, entry: Entry, send, how: bytes) -> None:
        encoding = entry.encoding_for(request.header(b"accept-encoding"))
        headers = [
            *entry.headers,
            (b"etag", entry.etag_for(encoding).encode()),
            (b"vary", b"Accept-Encoding"),
            (b"age", str(int(max(0, time.time() - entry.stored_at))).encode()),
            (CACHE_STATUS, how),
        ]
        if entry.status == 200 and self.not_modified(request, entry):
            await send(
                {"type": "http.response.start", "status": 304, "headers": headers}
            )
            await send({"type": "http.response.body", "body": b""})
            return
        body = entry.bodies[encoding]
        if encoding != "identity":
            headers.append((b"content-encoding", encoding.encode()))
        headers.append((b"content-length", str(len(body)).encode()))
        await send(
            {"type": "http.response.start", "status": entry.status, "headers": headers}
        )
        await send(
            {
                "type": "http.response.body",
                "body": b"" if request.method == "HEAD" else body,
            }
        )

    @staticmethod
    def not_modified(request: Request, entry: Entry) -> bool:
        if_none_match = request.header(b"if-none-match")
        if if_none_match:
            return entry.matches(if_none_match)
        since = parse_http_date_safe(request.header(b"if-modified-since"))
        modified = entry.last_modified and parse_http_date_safe(
            entry.last_modified.decode("latin-1")
        )
        return bool(since and modified) and modified <= since


def _sets_no_new_cookie(headers, cookies: dict) -> bool:
    """Django sends the CSRF cookie again with every answer that names the token
    (the same value, a later expiry), and the signed-in hint (nr_user=1) until the
    browser has it; any other cookie makes the answer unkeepable."""
    for name, value in headers:
        if name != b"set-cookie":
            continue
        cookie, _, rest = value.decode("latin-1").strip().partition("=")
        sent = rest.split(";", 1)[0]
        if (cookie, sent) == (SIGNED_IN_HINT, "1"):
            continue
        if cookie != COOKIE_CSRF or sent != cookies.get(COOKIE_CSRF):
            return False
    return True


class ClientGone(Exception):
    """The connection closed while the answer was being sent."""


class _Sender:
    """The server's `send`, telling a closed connection apart from a fault."""

    __slots__ = ("send",)

    def __init__(self, send):
        self.send = send

    async def __call__(self, message):
        try:
            await self.send(message)
        except (OSError, RuntimeError) as closed:
            raise ClientGone from closed


STREAM_CACHE = 4096


@functools.lru_cache(maxsize=STREAM_CACHE)
def is_stream(path: str) -> bool:
    """Async views are streams: they wait on the event loop, not in a thread. A path
    that none of their URL patterns matches is no stream, without resolving it
    against the whole URLconf (as each new address, a crawler's miss, would)."""
    if not any(_matches(chain, path) for chain in _stream_patterns()):
        return False
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return asyncio.iscoroutinefunction(match.func)


@functools.cache
def _stream_patterns() -> tuple:
    """The URL patterns leading to each async view of the URLconf, outermost first."""
    found = []

    def walk(entries, chain):
        for entry in entries:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, (*chain, entry.pattern))
            elif asyncio.iscoroutinefunction(entry.callback):
                found.append((*chain, entry.pattern))

    root = get_resolver()
    walk(root.url_patterns, (root.pattern,))
    return tuple(found)


def _matches(chain, path: str) -> bool:
    for pattern in chain:
        matched = pattern.match(path)
        if matched is None:
            return False
        path = matched[0]
    return True
