"""The ceilings of bench/targets.py: the least a Python app can do to serve a page.

`asgi` and `wsgi` answer every request with the same status, headers and body: the
bytes the demo served for the article with 47 comments, saved by targets.py in the
directory BENCH_CEILING_DIR (`status`, `headers.json`, `body`). targets.py serves
them with the same uvicorn, worker count and flags as the app (`asgi` as an ASGI
app, `wsgi` with `--interface wsgi`), and puts Varnish in front of `asgi` for the
static object Varnish serves. Nothing here reads the request.
"""

import json
import os
from pathlib import Path

_saved = Path(os.environ.get("BENCH_CEILING_DIR", "."))
STATUS = int((_saved / "status").read_text()) if (_saved / "status").exists() else 200
BODY = (_saved / "body").read_bytes() if (_saved / "body").exists() else b""
HEADERS = (
    json.loads((_saved / "headers.json").read_text())
    if (_saved / "headers.json").exists()
    else []
)
_ASGI_HEADERS = [
    (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in HEADERS
] + [(b"content-length", str(len(BODY)).encode())]
_WSGI_HEADERS = [*HEADERS, ("Content-Length", str(len(BODY)))]
_WSGI_STATUS = f"{STATUS} OK"


async def asgi(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    await send(
        {"type": "http.response.start", "status": STATUS, "headers": _ASGI_HEADERS}
    )
    await send({"type": "http.response.body", "body": BODY})


def wsgi(environ, start_response):
    start_response(_WSGI_STATUS, _WSGI_HEADERS)
    return [BODY]
