"""Run Django's WSGI handler under the ASGI server, in one hop to a thread.

Django's own ASGI handler runs each sync middleware, signal and view through
`sync_to_async`, eight to eleven hops between the event loop and threads a request,
and opens a new database connection in each new thread. Here a request's whole trip
through Django (middleware, view, rendering, closing the response) runs in one call
on a fixed pool of threads, so each thread keeps its database connection
(CONN_MAX_AGE) and the loop is free while Django works.
"""

import asyncio
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

# Bodies up to this size are collected in the thread; larger ones (files, exports)
# are passed on in chunks.
COLLECT_LIMIT = 1024 * 1024
SPOOL_LIMIT = 1024 * 1024  # request bodies beyond this go to a temporary file


@dataclass
class Result:
    status: int
    headers: list  # [(bytes, bytes)], names lower-case
    body: bytes
    rest: object = None  # the iterator of a body longer than COLLECT_LIMIT
    closer: object = None


class WSGIBridge:
    def __init__(self, wsgi_app, threads: int):
        self.app = wsgi_app
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="newsroom-wsgi")

    async def call(self, scope, receive) -> Result:
        body = await read_body(receive)
        environ = build_environ(scope, body)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.pool, self._run, environ)

    async def serve(self, scope, receive, send) -> None:
        await self.send(scope, await self.call(scope, receive), send)

    async def send(self, scope, result: Result, send) -> None:
        head = scope["method"] == "HEAD"
        await send(
            {
                "type": "http.response.start",
                "status": result.status,
                "headers": result.headers,
            }
        )
        if result.rest is None:
            await send(
                {"type": "http.response.body", "body": b"" if head else result.body}
            )
            return
        loop = asyncio.get_running_loop()
        try:
            if not head:
                await send(
                    {
                        "type": "http.response.body",
                        "body": result.body,
                        "more_body": True,
                    }
                )
                while chunk := await loop.run_in_executor(
                    self.pool, _next, result.rest
                ):
                    await send(
                        {"type": "http.response.body", "body": chunk, "more_body": True}
                    )
            await send({"type": "http.response.body", "body": b""})
        finally:
            await loop.run_in_executor(self.pool, _close, result.closer)

    def _run(self, environ) -> Result:
        started = {}

        def start_response(status, headers, exc_info=None):
            started["status"] = int(status.split(" ", 1)[0])
            started["headers"] = [
                (name.lower().encode("latin-1"), value.encode("latin-1"))
                for name, value in headers
            ]

        iterable = self.app(environ, start_response)
        chunks, size = [], 0
        iterator = iter(iterable)
        for chunk in iterator:
            if chunk:
                chunks.append(chunk)
                size += len(chunk)
            if size > COLLECT_LIMIT:
                return Result(
                    started["status"],
                    started["headers"],
                    b"".join(chunks),
                    rest=iterator,
                    closer=iterable,
                )
        _close(iterable)  # fires request_finished: connections are tidied here
        return Result(started["status"], started["headers"], b"".join(chunks))


def _next(iterator) -> bytes:
    for chunk in iterator:
        if chunk:
            return chunk
    return b""


def _close(iterable) -> None:
    close = getattr(iterable, "close", None)
    if close is not None:
        close()


async def read_body(receive):
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_LIMIT)
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        body.write(message.get("body", b""))
        if not message.get("more_body"):
            break
    body.seek(0)
    return body


def build_environ(scope, body) -> dict:
    server = scope.get("server") or ("localhost", 80)
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": "",
        "PATH_INFO": scope["path"].encode().decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1] or 80),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    # The connection's peer, as uvicorn gives it (already the client when it came
    # from a proxy uvicorn trusts). Code that needs the client's address asks
    # newsroom.ratelimit.clients, which trusts the same proxies and nobody else.
    client = scope.get("client")
    if client:
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = client[0], str(client[1])
    for raw_name, raw_value in scope.get("headers", ()):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        key = name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{name}"
        value = raw_value.decode("latin-1")
        if key in environ:
            separator = "; " if key == "HTTP_COOKIE" else ","
            value = environ[key] + separator + value
        environ[key] = value
    return environ
