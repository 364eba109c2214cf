"""PostgreSQL and Redis servers of the fault suite's own, which it may stop, crash
and start again without touching the machine's.

Each runs on a free port over a throwaway directory: `initdb` and `pg_ctl` from the
machine's PostgreSQL (as the `postgres` account when the suite runs as root, since
PostgreSQL refuses to run as root), and `redis-server` without persistence, as
production's cache is.
"""

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from newsroom.demo.server import free_port

START_TIMEOUT = 60  # seconds for a server to answer


def _postgres_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: [int(n) for n in p.parent.name.split(".")],
    )
    if not versions:
        raise RuntimeError("PostgreSQL's server programs are not installed")
    return str(versions[-1] / name)


def _wait_for(ready, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not ready():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not answer in {START_TIMEOUT} s")
        time.sleep(0.1)


class Postgres:
    """A PostgreSQL server of its own: `url(name)`, `stop(mode)`, `start()`."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.data = directory / "data"
        self.port = free_port()
        self.log = directory / "postgres.log"
        # PostgreSQL will not run as root: the machine's postgres account runs it.
        self.account = "postgres" if os.geteuid() == 0 else None

    def _run(self, *command: str, check: bool = True):
        if self.account:
            command = ("runuser", "-u", self.account, "--", *command)
        return subprocess.run(  # noqa: S603 - the machine's own programs
            command, check=check, capture_output=True, text=True, timeout=120
        )

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def init(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.account:
            record = pwd.getpwnam(self.account)
            os.chown(self.directory, record.pw_uid, record.pw_gid)
        self._run(
            _postgres_bin("initdb"),
            *("-D", str(self.data), "-U", "postgres", "--auth=trust"),
            "--no-sync",
        )
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.directory}'\n"
                "max_connections = 200\nshared_buffers = 64MB\n"
            )

    def answers(self) -> bool:
        import psycopg

        try:
            psycopg.connect(self.url(), connect_timeout=2).close()
        except psycopg.OperationalError:
            return False
        return True

    def start(self) -> None:
        self._run(
            _postgres_bin("pg_ctl"),
            *("-D", str(self.data), "-l", str(self.log), "-w", "start"),
        )
        _wait_for(self.answers, "PostgreSQL")

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends sessions cleanly; `immediate` is a crash: no checkpoint,
        recovery from the write-ahead log at the next start."""
        self._run(
            _postgres_bin("pg_ctl"), *("-D", str(self.data), "-m", mode, "-w", "stop")
        )


class Redis:
    """A redis-server of its own, without persistence: `stop()`, `start()`."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_timeout=2).ping()
        except redis.ConnectionError:
            return False

    def start(self) -> None:
        command = [shutil.which("redis-server") or "/usr/bin/redis-server"]
        command += ["--bind", "127.0.0.1", "--port", str(self.port)]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.directory)]
        with open(self.directory / "redis.log", "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        _wait_for(self.answers, "Redis")

    def stop(self) -> None:
        """Gone at once, as a crashed or restarted Redis is (nothing kept)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


@contextlib.contextmanager
def private_services():
    """Yield (Postgres, Redis), both running; stop and delete them on exit."""
    directory = Path(tempfile.mkdtemp(prefix="newsroom-faults-"))
    directory.chmod(0o755)  # the postgres account reaches its directory inside
    postgres, redis = Postgres(directory / "postgres"), Redis(directory)
    try:
        postgres.init()
        postgres.start()
        redis.start()
        yield postgres, redis
    finally:
        redis.stop()
        with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError):
            postgres.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)
