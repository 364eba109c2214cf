"""Fixtures shared by every app: the test world, both sites' hosts, services, Chromium.

The world every test starts from is built once per test database (the `baseline`):
the two sister sites of newsroom/news/tests/network.py with their sections, authors,
articles, groups and the editor and writer, loaded by the demo loader right after
pytest-django creates the database. Each test runs in a transaction rolled back to
it. Tests that commit for real (`django_db(transaction=True, serialized_rollback=True)`)
get it back too: Django reloads a snapshot taken after the baseline was built.
docs/testing.md explains the world and how to write a test in it.

Browser and live-server tests share one demo built by `manage.py load_demo` once per
run (`demo_build`), started in the background as soon as a collected test needs it;
each module serves a copy of it (`serve_demo`).
"""

import fcntl
import os
import shutil
import socket
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

# Uploaded and generated images go to a throwaway directory, and static files are
# served unhashed, so the suite needs no collectstatic.
_DATA_DIR = tempfile.mkdtemp(prefix="newsroom-test-")
LEDGER = "ledger.localhost"
COURIER = "courier.localhost"
# Shared by every process of one run (pytest-xdist's workers inherit it).
RUN_DIR = "NEWSROOM_TEST_RUN_DIR"
# Fixtures that need the demo build: collecting a test that uses one starts it.
DEMO_FIXTURES = {"demo_build", "serve_demo", "served_twice"}


def worker_id(config) -> str:
    """ "gw0", "gw1"… under pytest-xdist, "main" otherwise."""
    return getattr(config, "workerinput", {}).get("workerid", "main")


def pytest_configure(config):
    from django.conf import settings
    from django.test.utils import override_settings

    if not hasattr(config, "workerinput"):
        os.environ[RUN_DIR] = tempfile.mkdtemp(prefix="newsroom-run-")
    # Each worker keeps its cache keys apart in a shared Redis, so one worker's
    # cleaning between tests never empties another's cache.
    prefix = f"newsroom-test-{worker_id(config)}"
    caches = {
        name: {**options, "KEY_PREFIX": prefix}
        for name, options in settings.CACHES.items()
    }
    # override_settings (not plain assignment) resets the cached storage backends.
    override_settings(
        MEDIA_ROOT=_DATA_DIR,
        CACHES=caches,
        NEWSROOM_CACHE_PREFIX=prefix,
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
    if not hasattr(config, "workerinput"):
        shutil.rmtree(os.environ.pop(RUN_DIR, ""), ignore_errors=True)


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


# The baseline: built once per test database, restored by every test's rollback.


def build_baseline():
    """Load the small network through the demo loader; returns its DemoNetwork.

    Port 80 matches the test client's requests, which carry no port."""
    from newsroom.demo.loader import load_demo_network
    from newsroom.news.tests import network as content

    return load_demo_network(port=80, content=content, draw_photo=content.small_photo)


_baseline = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as pytest-django creates it, plus the baseline."""
    from django.db import connections

    with django_db_blocker.unblock():
        _baseline["network"] = build_baseline()
        for connection in connections.all():
            # Transactional tests flush every table; with serialized_rollback Django
            # reloads this snapshot before each, so it must hold the baseline too.
            if hasattr(connection, "_test_serialized_contents"):
                connection._test_serialized_contents = (
                    connection.creation.serialize_db_to_string()
                )


@pytest.fixture
def network(db):
    """The baseline's DemoNetwork: its sites, sections, authors and articles, as
    copies this test may change freely."""
    import copy
    import dataclasses

    built = _baseline["network"]
    return dataclasses.replace(
        built,
        **{
            name: copy.deepcopy(getattr(built, name))
            for name in ("sites", "homes", "sections", "authors", "agencies")
        },
        articles=copy.deepcopy(built.articles),
        created=dict(built.created),
        sign_ins=list(built.sign_ins),
    )


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """A transaction around a whole module, for a world larger than the baseline
    that its tests share: what a module-scoped fixture writes after requesting this
    stays for every test of the module (each test's own rollback returns to it),
    and is rolled back when the module is done. Its tests run on one xdist worker.
    """
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def ledger(client, network):
    client.defaults["HTTP_HOST"] = LEDGER
    return client


@pytest.fixture
def courier(network):
    from django.test import Client

    return Client(HTTP_HOST=COURIER)


@pytest.fixture
def article(network):
    """A Ledger article whose site's rate limits and posting interval are off, so a
    test may post, vote and report quickly (the limits have tests of their own)."""
    from newsroom.comments.tests.factories import set_rules
    from newsroom.comments.tests.helpers import an_article

    article = an_article()
    set_rules(article)
    return article


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rolled-back pages must not linger."""
    clear_cache()
    yield
    clear_cache()


def clear_cache() -> None:
    """Empty this process's cache: in Redis only the keys under its own prefix,
    since the other workers of the run share that Redis."""
    from django.conf import settings
    from django.core.cache import cache, caches

    from newsroom.news.lookups import forget_sites

    forget_sites()  # the per-process memo of sites, beside the cache
    if not settings.REDIS_URL:
        for alias in settings.CACHES:  # the default and Wagtail's renditions
            caches[alias].clear()
        return
    client = cache._cache.get_client(write=True)  # Django's RedisCache client
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


# The demo as `make demo` builds and serves it, for browser and live-server tests.


class DemoBuild:
    """The demo, built once per run in a directory every process of the run shares.

    The first process to `start()` it takes an exclusive lock on `lock` and builds
    in a thread while its tests go on; `wait()` takes a shared lock, which is
    granted once the build has ended, so no process polls or builds twice."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "demo"

    def start(self) -> None:
        lock = open(self.root / "lock", "w")  # noqa: SIM115 - closed by the build
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # being built
            lock.close()
            return
        started = self.root / "started"
        if started.exists():  # built, or failed, already
            lock.close()
            return
        started.touch()
        threading.Thread(target=self._build, args=(lock,), daemon=True).start()

    def _build(self, lock) -> None:
        from newsroom.demo.server import build_demo

        try:
            build_demo(self.data)
        except Exception as error:  # noqa: BLE001 - reported by wait()
            (self.root / "failed").write_text(str(error))
        finally:
            lock.close()  # releases the lock: the waiters go on

    def wait(self) -> Path:
        self.start()
        with open(self.root / "lock") as lock:
            fcntl.flock(lock, fcntl.LOCK_SH)
        if (self.root / "failed").exists():
            pytest.fail(
                "building the demo failed:\n" + (self.root / "failed").read_text()
            )
        return self.data


def _demo_build() -> DemoBuild:
    return DemoBuild(Path(os.environ[RUN_DIR]))


# Tests whose module shares a served demo or a browser run on one xdist worker
# (`--dist loadgroup`), so each module builds its fixtures once. (A `live_server`
# test is transactional, so never grouped: see pytest_collection_modifyitems.)
MODULE_BOUND_FIXTURES = DEMO_FIXTURES | {"browser", "module_db"}


def _group(config, item, name: str) -> None:
    """Run `item` on the worker that runs its group.

    pytest-xdist (3.8) groups a test by renaming it `<id>@<group>` through
    `item._nodeid`, which pytest 9.2 no longer reads (a node's id is `item._id`), so
    its loadgroup alone groups nothing. On a worker the test is renamed here too.
    """
    from _pytest.nodeid import NodeId

    item.add_marker(pytest.mark.xdist_group(name))
    if getattr(config.option, "loadgroup", False) and "@" not in item.nodeid:
        item._id = NodeId.parse(f"{item.nodeid}@{name}")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction"):
            # Django flushes every table after a transactional test; only with
            # serialized_rollback does it reload the baseline for the next one.
            if not marker.kwargs.get("serialized_rollback"):
                raise pytest.UsageError(
                    f"{item.nodeid}: django_db(transaction=True) needs "
                    "serialized_rollback=True, or the tests after it find no sites"
                )
        fixtures = set(getattr(item, "fixturenames", ()))
        transactional = (marker and marker.kwargs.get("transaction")) or (
            "live_server" in fixtures
        )
        # Not a transactional test: a group may run before other modules' tests,
        # and Django empties the database after each transactional one (pytest-django
        # runs them last when they are spread test by test).
        if MODULE_BOUND_FIXTURES & fixtures and not transactional:
            _group(config, item, item.module.__name__)
    if config.option.collectonly:
        return
    if any(DEMO_FIXTURES & set(getattr(item, "fixturenames", ())) for item in items):
        _demo_build().start()


@pytest.fixture(scope="session")
def demo_build(request) -> Path:
    """The data directory of the demo built for this run (wait for it if needed)."""
    return _demo_build().wait()


@pytest.fixture(scope="session")
def serve_demo(demo_build, tmp_path_factory):
    """Serve a copy of the demo build with uvicorn:
    `with serve_demo("comments", env={...}, workers=2) as server: ...`."""
    from newsroom.demo.server import served_demo

    def serve(name: str, **options):
        return served_demo(tmp_path_factory.mktemp(name), source=demo_build, **options)

    return serve


@pytest.fixture(scope="module", params=["in-process", "redis"])
def served_twice(request, serve_demo):
    """The demo served by uvicorn with two workers, once with each way live updates
    travel between them: in-process wake-ups and polling, then Redis pub/sub."""
    from django.conf import settings

    env = {}
    if request.param == "redis":
        if not settings.REDIS_URL:
            pytest.skip("the Redis variant runs where the suite runs on Redis (CI)")
        url = settings.REDIS_URL
        if not port_open(url, 6379):
            service_missing("Redis", f"nothing answers at {url}")
        env["REDIS_URL"] = url
        env["NEWSROOM_CACHE_PREFIX"] = f"{settings.NEWSROOM_CACHE_PREFIX}-served"
    with serve_demo("served", workers=2, env=env) as served:
        yield served


class SMTPInbox:
    """What a real SMTP server on loopback received, parsed as email messages."""

    def __init__(self):
        self.messages = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        import email
        from email import policy

        message = email.message_from_bytes(
            envelope.original_content, policy=policy.default
        )
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, found, timeout=10.0):
        """Wait until `found()` (a look at the messages) is truthy, woken by each
        arrival; return its last value, which is falsy after `timeout` seconds."""
        with self.arrived:
            self.arrived.wait_for(found, timeout=timeout)
            return found()

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


# Variables a test of settings.py leaves out besides NEWSROOM_*, so only its own count.
ENVIRONMENT = ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEFAULT_FROM_EMAIL")


@pytest.fixture
def from_environment(settings, monkeypatch, tmp_path):
    """What settings.py makes of an environment, as an operator would set it.

    `from_environment(names, NEWSROOM_TASKS="celery")` runs settings.py with those
    variables in place of the process's NEWSROOM_* and ENVIRONMENT ones, applies the
    settings `names` to this test's settings, and returns the settings it made, for
    the checks to judge and the test to read the fallbacks in. The process's own
    environment is not touched (other threads may be starting programs).
    """
    import runpy

    import environ
    from django.conf import global_settings

    def load(names, **variables):
        environment = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith("NEWSROOM_") and name not in ENVIRONMENT
        }
        environment.update(variables, NEWSROOM_DATA_DIR=str(tmp_path))
        monkeypatch.setattr(environ.Env, "ENVIRON", environment)
        made = runpy.run_path(str(Path(__file__).parent / "newsroom" / "settings.py"))
        for name in names:  # one settings.py leaves out is Django's default
            value = made[name] if name in made else getattr(global_settings, name)
            setattr(settings, name, value)
        return made

    return load


@pytest.fixture
def make_reader(db):
    """Create a reader account: `make_reader("Kenji", verified=True)`."""
    from newsroom.accounts.tests.factories import create_reader

    return create_reader


# Browser tests: Debian's Chromium driven by Playwright, one for the whole run.
CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = os.environ.get(
    "NEWSROOM_SCREENSHOTS"
)  # a directory to save screenshots into
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--host-resolver-rules=MAP *.localhost 127.0.0.1",
]


class PlaywrightThread:
    """Playwright's sync API, run in a thread of its own.

    Between calls the sync API leaves its event loop marked as running in the
    thread that drives it. Django then refuses database queries in that thread
    (SynchronousOnlyOperation) and, since a thread with a running loop keeps its
    connections per task, would hand it a connection other than the one the test
    database was set up on. So Playwright never runs in the test's thread: `call`
    runs a function in this one, and every Playwright object it returns comes
    wrapped in a `Remote`, whose calls come back here too. Tests use the objects
    as plain Playwright, and query the database between calls as usual.
    """

    def __init__(self):
        from concurrent.futures import ThreadPoolExecutor

        self._executor = ThreadPoolExecutor(1, thread_name_prefix="playwright")

    def call(self, function, *args, **kwargs):
        future = self._executor.submit(function, *unwrap(args), **unwrap(kwargs))
        return self.wrap(future.result())

    def wrap(self, value):
        if isinstance(value, list | tuple):
            return type(value)(self.wrap(item) for item in value)
        if type(value).__module__.startswith("playwright."):
            return Remote(value, self)
        return value

    def shutdown(self):
        self._executor.shutdown()


def unwrap(value):
    """The Playwright objects inside `value`, for a call in Playwright's thread."""
    if isinstance(value, Remote):
        return value._target
    if isinstance(value, list | tuple):
        return type(value)(unwrap(item) for item in value)
    if isinstance(value, dict):
        return {key: unwrap(item) for key, item in value.items()}
    return value


class Remote:
    """A Playwright object that lives in a PlaywrightThread (see there)."""

    __slots__ = ("_target", "_thread")

    def __init__(self, target, thread: PlaywrightThread):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_thread", thread)

    def __getattr__(self, name):
        value = self._thread.call(getattr, self._target, name)
        if callable(value) and not isinstance(value, Remote):
            return lambda *args, **kwargs: self._thread.call(value, *args, **kwargs)
        return value

    def __enter__(self):  # with page.expect_navigation(): ...
        return self._thread.call(type(self._target).__enter__, self._target)

    def __exit__(self, *exc_info):
        return self._thread.call(type(self._target).__exit__, self._target, *exc_info)

    def __repr__(self):
        return f"Remote({self._target!r})"


_playwright = {}


def _playwright_thread() -> PlaywrightThread:
    if "thread" not in _playwright:
        _playwright["thread"] = PlaywrightThread()
    return _playwright["thread"]


@pytest.fixture(scope="session")
def browser():
    """Chromium, launched once for the whole run (per xdist worker), in Playwright's
    own thread: use it as plain Playwright."""
    if not Path(CHROMIUM).exists():
        service_missing("Chromium", f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    thread = _playwright_thread()
    playwright = thread.call(lambda: sync_playwright().start())
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()
    thread.shutdown()


@pytest.fixture
def open_page(browser):
    """Open a fresh browser (no cookies): `open_page(viewport=…, blocked=(…))`.

    `blocked` lists URL patterns answered with a network error (live-update streams
    that would hold a test server's threads open). A script error in the page or a
    popup of it fails the test."""
    opened = []

    def open_one(viewport=None, blocked=()):
        context = browser.new_context(viewport=viewport or VIEWPORTS["desktop"])
        for pattern in blocked:
            context.route(pattern, lambda route: route.abort())
        errors = []
        context.on(
            "page",
            lambda page: page.on("pageerror", lambda exc: errors.append(str(exc))),
        )
        page = context.new_page()
        opened.append((context, errors))
        return page

    yield open_one
    for context, _errors in opened:
        context.close()
    assert [error for _context, errors in opened for error in errors] == []


def expect(target, **options):
    """Playwright's `expect`, for objects from the `browser` fixture."""
    from playwright.sync_api import expect as playwright_expect

    return _playwright_thread().call(playwright_expect, target, **options)


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
