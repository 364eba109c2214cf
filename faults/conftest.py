"""The fault suite's topology: PostgreSQL and Redis of its own (faults/services.py),
which tests stop, crash and start, and the production topology over them
(deploy/cluster.py: two app servers, the task worker, the scheduler, Varnish), on
a copy of the run's demo build with a small world added (faults/world.py), sending
mail to a mail server in the test process (`mail_server`).

One topology serves the whole suite; each test leaves it running as it found it.
"""

import collections
import json
import logging
import os
import shutil
from email.parser import BytesHeaderParser
from pathlib import Path

import pytest

from conftest import service_missing
from faults.services import private_services
from newsroom.demo.server import free_port, manage


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.faults)


@pytest.fixture(scope="session")
def services():
    if not shutil.which("redis-server"):
        service_missing("Redis", "no redis-server: apt-get install redis-server")
    if not (shutil.which("initdb") or list(Path("/usr/lib/postgresql").glob("*/bin"))):
        service_missing("PostgreSQL", "no initdb: apt-get install postgresql")
    with private_services() as running:
        yield running


# What the cluster's processes are told about the background jobs, so that a dead
# worker's or scheduler's work is taken up again within seconds, not minutes.
ALERTS_LEASE = 5  # seconds a claimed alert delivery is held (default 300)
SCHEDULER_INTERVAL = 2  # seconds between the scheduler's passes (default 30)


class Mailboxes:
    """A mail server's handler (aiosmtpd) that keeps, for each copy it accepts,
    whose mailbox it is for and its Message-ID: `received`, in arrival order.
    Headers only, so that thousands of messages cost the test little."""

    def __init__(self):
        self.received: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook
        headers = BytesHeaderParser().parsebytes(envelope.original_content)
        for recipient in envelope.rcpt_tos:
            self.received.append((recipient, headers["Message-ID"]))
        return "250 Message accepted for delivery"

    def copies(self, message_ids: str) -> dict[str, list[str]]:
        """{recipient: Message-IDs received} of the messages whose Message-ID
        starts with `message_ids`."""
        found = collections.defaultdict(list)
        for recipient, message_id in list(self.received):
            if message_id.startswith(message_ids):
                found[recipient].append(message_id)
        return dict(found)


@pytest.fixture(scope="session")
def mail_server():
    """A real SMTP server (aiosmtpd) in the test process, started before the
    cluster: every process of the topology sends its mail here (EMAIL_URL), so
    `mail_server.received` is what the readers' mailboxes got."""
    from aiosmtpd.controller import Controller

    # aiosmtpd logs each command it reads: thousands of lines for one alert.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    mailboxes = Mailboxes()
    mailboxes.port = free_port()
    controller = Controller(mailboxes, hostname="127.0.0.1", port=mailboxes.port)
    controller.start()
    yield mailboxes
    controller.stop()


@pytest.fixture(scope="session")
def cluster(services, mail_server, tmp_path_factory, world_file):
    """The topology over a new database: migrated, with the tests' small network
    and the fault world (faults/world.py) in it. No demo build: the load needs one
    article, a few comments and readers, and the suite's time is better spent on
    the faults."""
    from deploy.cluster import Topology, create_database, running

    postgres, redis = services
    os.environ["NEWSROOM_STATIC_MANIFEST"] = "false"  # no collectstatic needed
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{mail_server.port}"
    os.environ["NEWSROOM_ALERTS_LEASE"] = str(ALERTS_LEASE)
    os.environ["NEWSROOM_SCHEDULER_INTERVAL"] = str(SCHEDULER_INTERVAL)
    # The load is a few readers on one address: the API's own limits are lifted so
    # that what the clients meet is the fault (the limits have tests of their own).
    for who in ("ANONYMOUS", "SIGNED_IN"):
        os.environ[f"NEWSROOM_API_RATE_{who}"] = "100000/min"
    topology = Topology(
        database_url=postgres.url("newsroom"),
        redis_url=redis.url,
        data_dir=tmp_path_factory.mktemp("cluster"),
        port=free_port(),
        app_ports=(free_port(), free_port()),
        workers=1,
        cache_prefix="newsroom-faults",
    )
    create_database(topology.database_url)
    manage("migrate", "--noinput", "-v0", env=topology.env)
    built = manage(
        "shell",
        "-c",
        f"from faults.world import build; build(30, 6, port={topology.port})",
        env=topology.env,
    )
    world_file.write_text(built.stdout.strip().splitlines()[-1])
    with running(topology) as running_cluster:
        yield running_cluster


@pytest.fixture(autouse=True)
def supervised(request):
    """Before each test, start again any process of the topology that has exited,
    as production's supervisor does (Restart=always, docs/deployment.md): a test
    that made one exit says so itself (`cluster.exited()`), and the next test
    starts from the whole topology."""
    if "cluster" not in request.fixturenames:
        return
    from deploy.cluster import commands

    cluster = request.getfixturevalue("cluster")
    for name in cluster.exited():
        if name in commands(cluster.topology):  # the app's processes, not Varnish
            log = cluster.log(name, lines=5)
            print(f"\n{name} had exited; started again. Its log:\n{log}")  # noqa: T201
            cluster.start(name)


@pytest.fixture(scope="session")
def world_file(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("world") / "world.json"


@pytest.fixture(scope="session")
def world(cluster, world_file) -> dict:
    """Readers with API tokens, an article and comments to vote on; "file" is
    where the load process reads them."""
    return {**json.loads(world_file.read_text()), "file": str(world_file)}


@pytest.fixture(scope="session", autouse=True)
def _timing():
    import time

    started = time.monotonic()
    yield
    print(f"\nfault suite: {time.monotonic() - started:.0f} s")  # noqa: T201


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed and "cluster" in item.funcargs:
        cluster = item.funcargs["cluster"]
        for name in cluster.processes:
            report.sections.append((f"{name} log", cluster.log(name, lines=60)))
    return report
