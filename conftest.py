"""Fixtures shared by every app: a small network per test, both sites' hosts, services.

Each test that needs content builds its own small network of the two sister sites
through the demo loader (the `network` fixture); nothing is shared between tests.
"""

import os
import shutil
import socket
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

# Uploaded and generated images go to a throwaway directory, and static files are
# served unhashed, so the suite needs no collectstatic.
_DATA_DIR = tempfile.mkdtemp(prefix="newsroom-test-")
LEDGER = "ledger.localhost"
COURIER = "courier.localhost"


def pytest_configure(config):
    from django.conf import settings
    from django.test.utils import override_settings

    # override_settings (not plain assignment) resets the cached storage backends.
    override_settings(
        MEDIA_ROOT=_DATA_DIR,
        # Staff accounts are created per test; a deliberately slow hash would cost ~1 s
        # each time. Production hashing is configured in settings.py, not here.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # Tests flush read counts themselves; no background thread writes for them.
        NEWSROOM_TRENDING_FLUSH=0,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        },
    ).enable()


def pytest_unconfigure(config):
    shutil.rmtree(_DATA_DIR, ignore_errors=True)


def service_missing(name: str, reason: str):
    """Skip with a visible reason; fail instead where CI promises the service.

    .ci/run sets NEWSROOM_REQUIRE_SERVICES=1, so a missing service there is an error.
    """
    if os.environ.get("NEWSROOM_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{name} is required here but unavailable: {reason}")
    pytest.skip(f"{name} not available: {reason}")


def port_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module", params=["in-process", "redis"])
def served_twice(request, tmp_path_factory):
    """The demo served by uvicorn with two workers, once with each way live updates
    travel between them: in-process wake-ups and polling, then Redis pub/sub."""
    from django.conf import settings

    from newsroom.demo.server import served_demo

    env = {}
    if request.param == "redis":
        url = settings.REDIS_URL or "redis://127.0.0.1:6379/14"
        if not port_open(url, 6379):
            service_missing("Redis", f"nothing answers at {url}")
        env["REDIS_URL"] = url
    with served_demo(tmp_path_factory.mktemp("served"), workers=2, env=env) as served:
        yield served


@pytest.fixture
def network(db):
    """A small network of the two sister sites, built for this test by the demo loader.

    Port 80 matches the test client's requests, which carry no port.
    """
    from newsroom.demo.loader import load_demo_network
    from newsroom.news.tests import network as content

    return load_demo_network(port=80, content=content, draw_photo=content.small_photo)


@pytest.fixture
def ledger(client, network):
    client.defaults["HTTP_HOST"] = LEDGER
    return client


@pytest.fixture
def courier(network):
    from django.test import Client

    return Client(HTTP_HOST=COURIER)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rolled-back pages must not linger."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


class SMTPInbox:
    """What a real SMTP server on loopback received, parsed as email messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        import email
        from email import policy

        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=policy.default)
        )
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for m in self.messages if address in m["To"]]

    def text(self, message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def links(self, message) -> list[str]:
        import re

        return re.findall(r"https?://\S+", self.text(message))


@pytest.fixture
def smtp(settings):
    """Django sends through SMTP to an aiosmtpd server started for this test."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = SMTPInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


@pytest.fixture
def make_reader(db):
    """Create a reader account: `make_reader("Kenji", verified=True)`."""
    from newsroom.accounts.tests.helpers import create_reader

    return create_reader


# Browser tests: Debian's Chromium driven by Playwright. One sync Playwright may run
# per thread, so every browser test shares this session-wide browser.
CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = os.environ.get(
    "NEWSROOM_SCREENSHOTS"
)  # a directory to save screenshots into
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


@pytest.fixture(scope="session")
def browser():
    """Chromium, launched once for the whole run."""
    if not Path(CHROMIUM).exists():
        service_missing("Chromium", f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--host-resolver-rules=MAP *.localhost 127.0.0.1",
            ],
        )
        yield browser
        browser.close()


def shoot(page, name):
    """Save a full-page screenshot when NEWSROOM_SCREENSHOTS names a directory."""
    if not SCREENSHOTS:
        return
    Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
    # Scroll through the page so lazy-loaded photos are in the picture.
    height = page.evaluate("document.body.scrollHeight")
    for y in range(0, height, 600):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(50)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def shoot_part(locator, name, margin=0):
    """Save a screenshot of one element (and `margin` pixels of the page around it)
    when NEWSROOM_SCREENSHOTS names a directory."""
    if not SCREENSHOTS:
        return
    Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
    page = locator.page
    page.evaluate("window.scrollTo(0, 0)")
    box = locator.bounding_box()
    width = page.evaluate("document.documentElement.clientWidth")
    left = max(box["x"] - margin, 0)
    clip = {
        "x": left,
        "y": max(box["y"] - margin, 0),
        "width": min(box["width"] + 2 * margin, width - left),
        "height": box["height"] + 2 * margin,
    }
    page.screenshot(
        path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True, clip=clip
    )
