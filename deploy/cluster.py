"""Newsroom's production topology on one machine: `make cluster`.

PostgreSQL and Redis (started when they are local and down), two app servers
(uvicorn) on ports of their own, the task worker (`db_worker`), the scheduler and
Varnish in front (deploy/varnish/newsroom.vcl) on the public port. The app servers
purge Varnish by surrogate key (NEWSROOM_VARNISH_URLS). docs/deployment.md describes
the same topology spread over many machines.

    .venv/bin/python deploy/cluster.py [--port 8080] [--app-ports 8081,8082]

The database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/newsroom_cluster)
is created when missing, migrated and loaded with the demo network; Ctrl-C stops
everything. Tests start a throwaway copy on free ports with `scratch_cluster()`.
"""

import argparse
import concurrent.futures
import contextlib
import dataclasses
import datetime
import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: deploy/ is sys.path[0]
    sys.path.insert(0, str(ROOT))

from newsroom.demo.server import (  # noqa: E402
    DATABASE_FILE,
    copy_demo,
    embedded_env,
    free_port,
    manage,
    uvicorn_proxy_options,
    wait_until_answering,
)

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_cluster"
REDIS_URL = "redis://127.0.0.1:6379/13"
VCL_DIR = ROOT / "deploy" / "varnish"
START_TIMEOUT = 60  # seconds for Varnish or a service to answer
STOP_TIMEOUT = 15  # seconds a process has to stop before it is killed
# Varnish's health probe asks each app server for /robots.txt with this Host.
PROBE_HOST = "localhost"


@dataclasses.dataclass
class Topology:
    """Where everything runs: the public port (Varnish), the app servers' ports,
    the shared database, Redis and data directory (media, static files, secret)."""

    database_url: str
    redis_url: str
    data_dir: Path
    port: int
    app_ports: tuple[int, ...]
    workers: int = 2
    cache_prefix: str = "newsroom-cluster"

    @property
    def env(self) -> dict:
        """The environment of every app process and of `manage.py` against them."""
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "NEWSROOM_DATA_DIR": str(self.data_dir),
            "NEWSROOM_CACHE_PREFIX": self.cache_prefix,
            "NEWSROOM_TASKS": "database",
            "NEWSROOM_VARNISH_URLS": f"http://127.0.0.1:{self.port}",
            # Varnish, on loopback, is the app servers' proxy: the client is the
            # address it adds to X-Forwarded-For.
            "NEWSROOM_TRUSTED_PROXIES": "127.0.0.1",
            # The demo's sample wire feed is served on loopback, by the cluster.
            "NEWSROOM_WIRE_ALLOW_PRIVATE": "true",
        }

    @property
    def logs(self) -> Path:
        return self.data_dir / "logs"


@dataclasses.dataclass
class Cluster:
    """A running topology: `url(path)` goes through Varnish, `url(path, app=0)`
    straight to the first app server."""

    topology: Topology
    processes: dict  # name -> subprocess.Popen

    @property
    def port(self) -> int:
        return self.topology.port

    @property
    def app_ports(self) -> tuple[int, ...]:
        return self.topology.app_ports

    @property
    def env(self) -> dict:
        return self.topology.env

    def url(self, path: str = "/", *, app: int | None = None) -> str:
        port = self.port if app is None else self.app_ports[app]
        return f"http://127.0.0.1:{port}{path}"

    def exited(self) -> list[str]:
        """The processes that have stopped on their own."""
        return [name for name, p in self.processes.items() if p.poll() is not None]

    def kill(self, name: str) -> None:
        """Kill a process and its children at once (SIGKILL), as a crash would."""
        process = self.processes[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def start(self, name: str) -> subprocess.Popen:
        """Start a process of the topology again (after `kill`), as a supervisor
        would; an app server is waited for until it answers."""
        command = commands(self.topology)[name]
        with open(self.topology.logs / f"{name}.log", "ab") as log:
            process = subprocess.Popen(  # noqa: S603
                command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes[name] = process
        if name.startswith("app-"):
            port = self.app_ports["ABCDEFGH".index(name[-1])]
            wait_until_answering(port, process)
        return process

    def log(self, name: str, lines: int = 40) -> str:
        path = self.topology.logs / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# PostgreSQL and Redis


def _is_local(url: str) -> bool:
    return (urlparse(url).hostname or "127.0.0.1") in ("127.0.0.1", "localhost", "::1")


def _server_url(database_url: str, name: str = "postgres") -> str:
    """The same server and credentials, another database."""
    return urlparse(database_url)._replace(path=f"/{name}").geturl()


def _database_name(database_url: str) -> str:
    return urlparse(database_url).path.lstrip("/")


def _postgres_answers(database_url: str) -> bool:
    import psycopg

    try:
        psycopg.connect(_server_url(database_url), connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def ensure_postgres(database_url: str) -> None:
    """Start the machine's newest PostgreSQL cluster when it is local and down,
    as .ci/run does (no systemd)."""
    if _postgres_answers(database_url):
        return
    if not (_is_local(database_url) and shutil.which("pg_ctlcluster")):
        raise RuntimeError(f"PostgreSQL does not answer at {database_url}")
    versions = os.listdir("/etc/postgresql")  # "15", or "9.6" on old machines
    version = max(versions, key=lambda v: [int(n) for n in v.split(".")])
    command = [shutil.which("pg_ctlcluster"), "--skip-systemctl-redirect"]
    subprocess.run([*command, version, "main", "start"], check=True)  # noqa: S603
    _wait(lambda: _postgres_answers(database_url), "PostgreSQL")


def create_database(database_url: str) -> bool:
    """Create the database named by the URL unless it exists; True if created."""
    import psycopg
    from psycopg import sql

    name = _database_name(database_url)
    with psycopg.connect(_server_url(database_url), autocommit=True) as server:
        if server.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            return False
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def drop_database(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    name = sql.Identifier(_database_name(database_url))
    with psycopg.connect(_server_url(database_url), autocommit=True) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def _redis_answers(redis_url: str) -> bool:
    import redis

    try:
        return redis.Redis.from_url(redis_url, socket_timeout=3).ping()
    except redis.ConnectionError:
        return False


@contextlib.contextmanager
def redis_running(redis_url: str, log_dir: Path):
    """Yield once Redis answers at `redis_url`: the one there, or, when nothing
    local answers, a redis-server started here (without persistence) and stopped
    on exit."""
    if _redis_answers(redis_url):
        yield
        return
    if not (_is_local(redis_url) and shutil.which("redis-server")):
        raise RuntimeError(f"Redis does not answer at {redis_url}")
    command = [shutil.which("redis-server"), "--bind", "127.0.0.1"]
    command += ["--port", str(urlparse(redis_url).port or 6379)]
    command += ["--save", "", "--appendonly", "no"]
    with _started({"redis": command}, env=os.environ, log_dir=log_dir):
        _wait(lambda: _redis_answers(redis_url), "Redis")
        yield


def forget_cache(redis_url: str, prefix: str) -> None:
    """Delete the keys a topology's app servers wrote under their cache prefix
    (`<prefix>:…`, and `<prefix>-renditions:…` for Wagtail's renditions)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for pattern in (f"{prefix}:*", f"{prefix}-*"):
        keys = list(client.scan_iter(match=pattern, count=1000))
        if keys:
            client.delete(*keys)


# The database's contents


def prepare(topology: Topology) -> str:
    """Migrate, collect static files and load the demo network with its sites on
    the public port, as `make demo` does; returns what `load_demo` printed (the
    sites and the sign-ins)."""
    env = topology.env
    manage("migrate", "--noinput", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    return manage("load_demo", "--port", str(topology.port), env=env).stdout


def copy_schema(source_url: str, target_url: str) -> None:
    """Create in `target_url` the tables, indexes and constraints of the migrated
    database at `source_url` (pg_dump --schema-only: a second or so, where
    migrating an empty database takes about twenty)."""
    pg_dump, psql = shutil.which("pg_dump"), shutil.which("psql")
    if not (pg_dump and psql):
        raise RuntimeError("copying a schema needs pg_dump and psql (PostgreSQL)")
    dump = subprocess.run(  # noqa: S603
        [pg_dump, "--schema-only", "--no-owner", source_url],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(  # noqa: S603
        [psql, "-q", "-v", "ON_ERROR_STOP=1", target_url],
        input=dump,
        check=True,
        capture_output=True,
    )


# Tables whose columns differ by engine: Wagtail's search index (tsvector columns
# on PostgreSQL, a full-text table of its own on SQLite). A copy starts with an
# empty index; `manage.py update_index` rebuilds it.
ENGINE_SPECIFIC_TABLES = {"wagtailsearch_indexentry"}


def copy_rows(sqlite_path: Path, database_url: str) -> None:
    """Copy every row of a migrated SQLite database into a PostgreSQL database
    with the same schema (see `copy_schema`), then move its sequences past the
    copied ids. The two engines store the same values but for durations (SQLite
    keeps microseconds) and times (text in UTC, read here in UTC)."""
    import psycopg
    from psycopg import sql

    source = sqlite3.connect(sqlite_path)
    with psycopg.connect(database_url) as target:
        target.execute("SET TIME ZONE 'UTC'")
        types = {}
        for table, column, data_type in target.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'public'"
        ):
            types.setdefault(table, {})[column] = data_type
        tables = [
            name
            for (name,) in source.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
            if name in types and name not in ENGINE_SPECIFIC_TABLES
        ]
        target.execute(
            sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
                sql.SQL(", ").join(map(sql.Identifier, types))
            )
        )
        for table in tables:
            _copy_table(source, target, table, types[table])
        _move_sequences(target)
    source.close()


def _copy_table(source, target, table: str, types: dict) -> None:
    from psycopg import sql

    columns = [
        row[1]
        for row in source.execute(f'PRAGMA table_info("{table}")')
        if row[1] in types
    ]
    durations = [i for i, c in enumerate(columns) if types[c] == "interval"]
    quoted = ", ".join(f'"{column}"' for column in columns)
    rows = source.execute(f'SELECT {quoted} FROM "{table}"')  # noqa: S608 - schema names
    copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with target.cursor().copy(copy_sql) as copy:
        for row in rows:
            if durations:
                row = list(row)
                for i in durations:
                    if row[i] is not None:
                        row[i] = datetime.timedelta(microseconds=row[i])
            copy.write_row(row)


def _move_sequences(target) -> None:
    from psycopg import sql

    for table, column in target.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = 'public'"
        " AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')"
    ).fetchall():
        target.execute(
            sql.SQL(
                "SELECT setval(pg_get_serial_sequence(%s, %s),"
                " coalesce(max({}), 0) + 1, false) FROM {}"
            ).format(sql.Identifier(column), sql.Identifier(table)),
            [table, column],
        )


# The processes


def write_backends(topology: Topology, directory: Path) -> None:
    """newsroom-backends.vcl for these app servers (see the example beside
    newsroom.vcl)."""
    backends = [
        f'backend app_{n} {{\n    .host = "127.0.0.1";\n    .port = "{port}";\n'
        f'    .host_header = "{PROBE_HOST}";\n    .probe = app_health;\n'
        "    .connect_timeout = 1s;\n}\n"
        for n, port in enumerate(topology.app_ports, 1)
    ]
    added = "".join(
        f"    app_servers.add_backend(app_{n});\n"
        for n in range(1, len(topology.app_ports) + 1)
    )
    (directory / "newsroom-backends.vcl").write_text(
        "# Written by deploy/cluster.py for the app servers it starts.\n\n"
        + "\n".join(backends)
        + "\nacl purgers_extra {\n}\n\n"
        + "sub vcl_init {\n    new app_servers = directors.round_robin();\n"
        + added
        + "}\n"
    )


def commands(topology: Topology) -> dict:
    """The command of each process of the topology, by name, Varnish last."""
    python = [sys.executable]
    found = {}
    for n, port in enumerate(topology.app_ports):
        found[f"app-{'ABCDEFGH'[n]}"] = [
            *python,
            "-m",
            "uvicorn",
            "newsroom.asgi:application",
            *("--host", "127.0.0.1", "--port", str(port)),
            *("--workers", str(topology.workers), "--log-level", "warning"),
            *uvicorn_proxy_options(topology.env),
            "--no-server-header",
            # Open live streams would otherwise hold a stop for minutes.
            *("--timeout-graceful-shutdown", "3"),
        ]
    found["worker"] = [*python, "manage.py", "db_worker", "--no-startup-delay"]
    found["scheduler"] = [*python, "manage.py", "run_scheduler"]
    return found


def varnish_command(topology: Topology, workdir: Path) -> list[str]:
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    return [
        varnishd,
        "-F",  # in the foreground: this script supervises it
        # An instance of its own, named by its directory, beside any system one.
        *("-n", str(workdir)),
        *("-a", f"127.0.0.1:{topology.port}"),
        *("-T", "127.0.0.1:0"),  # varnishadm -n <workdir> finds it
        *("-p", f"vcl_path={workdir}:{VCL_DIR}"),
        *("-f", "newsroom.vcl"),
        *("-s", "malloc,256m"),
        # Run as the user that started it: no varnish account or jail needed.
        *("-j", "none"),
    ]


@contextlib.contextmanager
def _started(command_by_name: dict, *, env, log_dir: Path):
    """Start each command in a session of its own with its output in
    log_dir/<name>.log; on exit stop them in the reverse order (SIGTERM, then
    SIGKILL to the whole session after STOP_TIMEOUT)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    processes = {}
    try:
        for name, command in command_by_name.items():
            with open(log_dir / f"{name}.log", "ab") as log:
                processes[name] = subprocess.Popen(  # noqa: S603
                    command,
                    cwd=ROOT,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        yield processes
    finally:
        for process in reversed(processes.values()):
            if process.poll() is None:
                process.terminate()
        for process in reversed(processes.values()):
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait(ready, what: str, process=None) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not ready():
        if time.monotonic() > deadline or (process and process.poll() is not None):
            raise RuntimeError(f"{what} did not start")
        time.sleep(0.2)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - our own server
            return True
    except urllib.error.HTTPError:  # an answer all the same
        return True
    except OSError:
        return False


@contextlib.contextmanager
def running(topology: Topology):
    """Start the app servers, the task worker and the scheduler, then Varnish in
    front once they answer; yield the Cluster; stop everything on exit."""
    workdir = topology.data_dir / "varnish"
    workdir.mkdir(parents=True, exist_ok=True)
    write_backends(topology, workdir)
    with _started(
        commands(topology), env=topology.env, log_dir=topology.logs
    ) as processes:
        cluster = Cluster(topology, processes)
        try:
            for n, port in enumerate(topology.app_ports):
                wait_until_answering(port, processes[f"app-{'ABCDEFGH'[n]}"])
            with _started(
                {"varnish": varnish_command(topology, workdir)},
                env=topology.env,
                log_dir=topology.logs,
            ) as front:
                processes.update(front)
                _wait(
                    lambda: _answers(cluster.url("/robots.txt")),
                    "Varnish",
                    front["varnish"],
                )
                yield cluster
        except RuntimeError as error:
            logs = "\n".join(
                f"--- {name} ---\n{cluster.log(name)}" for name in processes
            )
            raise RuntimeError(f"{error}\n{logs}") from None


@contextlib.contextmanager
def scratch_cluster(
    *,
    source: Path,
    database_url: str,
    redis_url: str,
    schema_from: str | None = None,
    workers: int = 1,
):
    """Run the topology on free ports over a copy of the demo built by
    `newsroom.demo.server.build_demo` (`source`), in a throwaway data directory
    and a scratch PostgreSQL database beside `database_url`'s, dropped on exit
    with the cache keys the servers wrote.

    `schema_from`, the URL of a migrated database of the same code (the test
    suite's own), saves migrating the scratch one."""
    token = secrets.token_hex(4)
    scratch = _server_url(database_url, f"{_database_name(database_url)}_{token}")
    with tempfile.TemporaryDirectory(prefix="newsroom-cluster-") as tmp:
        topology = Topology(
            database_url=scratch,
            redis_url=redis_url,
            data_dir=Path(tmp),
            port=free_port(),
            app_ports=(free_port(), free_port()),
            workers=workers,
            cache_prefix=f"newsroom-cluster-{token}",
        )
        copy_demo(source, topology.data_dir)
        create_database(scratch)
        try:
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                if schema_from:
                    schema = pool.submit(copy_schema, schema_from, scratch)
                else:
                    schema = pool.submit(
                        manage, "migrate", "--noinput", "-v0", env=topology.env
                    )
                # Meanwhile the copy's sites move to the public port, in SQLite.
                embedded = embedded_env(NEWSROOM_DATA_DIR=str(topology.data_dir))
                manage("load_demo", "--port", str(topology.port), env=embedded)
                schema.result()
            copy_rows(topology.data_dir / DATABASE_FILE, scratch)
            with running(topology) as cluster:
                yield cluster
        finally:
            drop_database(scratch)
            forget_cache(redis_url, topology.cache_prefix)


# make cluster


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8080, help="Varnish's port")
    parser.add_argument(
        "--app-ports", default="8081,8082", help="the app servers' ports"
    )
    parser.add_argument("--workers", type=int, default=2, help="per app server")
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "cluster"), type=Path)
    options = parser.parse_args(argv)
    topology = Topology(
        database_url=os.environ.get("DATABASE_URL") or DATABASE_URL,
        redis_url=os.environ.get("REDIS_URL") or REDIS_URL,
        data_dir=options.data_dir.resolve(),
        port=options.port,
        app_ports=tuple(int(port) for port in options.app_ports.split(",")),
        workers=options.workers,
    )
    if not topology.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the cluster runs on PostgreSQL: DATABASE_URL must name one")
    if not Path(varnish_command(topology, topology.data_dir)[0]).exists():
        parser.error("Varnish is missing: apt-get install varnish varnish-modules")
    # `make cluster` stopped by a signal stops everything as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    say = sys.stdout.write
    ensure_postgres(topology.database_url)
    if create_database(topology.database_url):
        say(f"Created the database {topology.database_url}\n")
    with redis_running(topology.redis_url, topology.logs):
        say("Migrating and loading the demo network…\n")
        loaded = prepare(topology)
        with running(topology) as cluster:
            say(loaded)
            say(
                "\nThe cluster (Ctrl-C stops it):\n"
                f"  Varnish, the public port  {cluster.url()}\n"
                + "".join(
                    f"  app server {name[-1]}              {cluster.url(app=n)}\n"
                    for n, name in enumerate(
                        n for n in cluster.processes if n.startswith("app-")
                    )
                )
                + f"  PostgreSQL                {topology.database_url}\n"
                f"  Redis                     {topology.redis_url}\n"
                "  task worker, scheduler    manage.py db_worker, run_scheduler\n"
                f"  logs                      {topology.logs}/\n"
            )
            try:
                while not (stopped := cluster.exited()):
                    time.sleep(1)
            except KeyboardInterrupt:
                say("\nStopping…\n")
                return
            for name in stopped:
                say(f"\n{name} stopped:\n{cluster.log(name)}\n")
            sys.exit(1)


if __name__ == "__main__":
    main()
