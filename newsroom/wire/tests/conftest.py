"""A stand-in agency: a real HTTP server on loopback serving the sample feeds and
photos, with ETag/Last-Modified and 304s, and able to fail or hang on request."""

import hashlib
import io
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

DATA = Path(__file__).parent / "data"
LAST_MODIFIED = "Wed, 04 Mar 2026 05:00:00 GMT"
NOW = datetime(2026, 3, 4, 6, 0, tzinfo=UTC)


def picture(kind: str, colour=(30, 90, 140)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, kind)
    return buffer.getvalue()


class Agency:
    """What the stand-in serves: path -> (status, body, content type); every
    request is counted by path."""

    def __init__(self, base: str):
        self.base = base
        self.routes: dict[str, tuple[int, bytes, str]] = {}
        self.hits: dict[str, int] = {}
        self.release = threading.Event()  # what /hang waits for

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def serve(self, path: str, body: bytes | str, content_type="application/xml"):
        if isinstance(body, str):
            body = body.encode()
        body = body.replace(b"{server}", self.base.encode())
        self.routes[path] = (200, body, content_type)

    def serve_sample(self, path: str, name: str, replace=()) -> str:
        """Serve a sample of tests/data, with (old, new) text replacements."""
        text = (DATA / name).read_text()
        for old, new in replace:
            assert old in text, old
            text = text.replace(old, new)
        kind = "application/json" if name.endswith(".json") else "application/xml"
        self.serve(path, text, kind)
        return text

    def fail(self, path: str, status: int = 500):
        self.routes[path] = (status, b"Internal agency error", "text/plain")

    def reset(self):
        self.routes.clear()
        self.hits.clear()
        self.release.clear()
        self.serve("/photos/ferry.jpg", picture("JPEG"), "image/jpeg")
        self.serve("/photos/comet.png", picture("PNG", (10, 10, 40)), "image/png")
        self.serve("/photos/road.jpg", picture("JPEG", (120, 90, 60)), "image/jpeg")
        self.serve("/photos/bell.jpg", picture("JPEG", (150, 120, 40)), "image/jpeg")


def _handler(agency: Agency):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            agency.hits[self.path] = agency.hits.get(self.path, 0) + 1
            if self.path == "/hang":
                agency.release.wait(timeout=10)
                return
            if self.path not in agency.routes:
                self.send_error(404)
                return
            status, body, content_type = agency.routes[self.path]
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if status == 200 and (
                self.headers.get("If-None-Match") == etag
                or self.headers.get("If-Modified-Since") == LAST_MODIFIED
                and not self.headers.get("If-None-Match")
            ):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if status == 200:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", LAST_MODIFIED)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # quiet
            pass

    return Handler


@pytest.fixture(scope="session")
def _agency_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)
    agency = Agency(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(agency)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield agency
    agency.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _agency_on_loopback(settings):
    """The stand-in agency listens on 127.0.0.1, an address feeds are refused from
    unless NEWSROOM_WIRE_ALLOW_PRIVATE is on (as it is by default only with the
    embedded SQLite, so CI's PostgreSQL runs turn it on here)."""
    settings.NEWSROOM_WIRE_ALLOW_PRIVATE = True


@pytest.fixture
def agency(_agency_server):
    _agency_server.reset()
    yield _agency_server
    _agency_server.release.set()  # let a hanging request end


@pytest.fixture
def meridian(network):
    from newsroom.news.models import WireAgency

    return WireAgency.objects.create(
        name="Meridian Wire", copyright_holder="Meridian Wire Ltd"
    )


@pytest.fixture
def make_feed(network, meridian, agency):
    """`make_feed("/rss", "rss", mode="publish")`: a Ledger feed filed into world."""
    from newsroom.wire.models import WireFeed

    def make(path, format, *, mode=WireFeed.Mode.PUBLISH, name=None, section="world"):
        return WireFeed.objects.create(
            site=network.sites["ledger"],
            name=name or f"Meridian {format} {path}",
            url=agency.url(path),
            format=format,
            section=network.sections[("ledger", section)],
            agency=meridian,
            mode=mode,
            poll_interval_minutes=5,
        )

    return make
