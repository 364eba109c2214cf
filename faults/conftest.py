"""The fault suite's topology: PostgreSQL and Redis of its own (faults/services.py),
which tests stop, crash and start, and the production topology over them
(deploy/cluster.py: two app servers, the task worker, the scheduler, Varnish), on
a copy of the run's demo build with a small world added (faults/world.py).

One topology serves the whole suite; each test leaves it running as it found it.
"""

import json
import os
import shutil
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


@pytest.fixture(scope="session")
def cluster(services, tmp_path_factory, world_file):
    """The topology over a new database: migrated, with the tests' small network
    and the fault world (faults/world.py) in it. No demo build: the load needs one
    article, a few comments and readers, and the suite's time is better spent on
    the faults."""
    from deploy.cluster import Topology, create_database, running

    postgres, redis = services
    os.environ["NEWSROOM_STATIC_MANIFEST"] = "false"  # no collectstatic needed
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
