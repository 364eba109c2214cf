"""Run the demo network as `make demo` serves it, for browser tests and benchmarks.

The server runs in a child process on its own data directory (SQLite unless the
caller passes DATABASE_URL in `env`), so it cannot disturb the caller's database.
Building the demo takes most of a minute, so a caller that serves it several times
builds it once (`build_demo`) and serves copies of that build (`served_demo(…,
source=built)`), each on its own port and data directory.
"""

import contextlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60  # seconds for uvicorn to answer its first request
DATABASE_FILE = "newsroom.sqlite3"  # settings.SQLITE_PATH under the data directory


class DemoServer(NamedTuple):
    port: int
    pid: int  # uvicorn's main process; its workers are its children
    env: dict  # the environment it runs in, for commands against the same data


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def embedded_env(**overrides) -> dict:
    """This process's environment in the embedded mode (no DATABASE_URL, REDIS_URL)."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")
    }
    return {**env, **overrides}


def manage(*args, env, check=True, timeout=600):
    """Run `manage.py` in a child process and return its CompletedProcess.

    With `check`, a failure raises with the end of what the command printed."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} exited {result.returncode}:\n"
            f"{result.stdout[-2000:]}{result.stderr[-3000:]}"
        )
    return result


LOAD_OUTPUT = "load_demo.out"  # what the build's `load_demo` printed, for tests


def build_demo(data_dir, *, env=None, port: int = 8000) -> Path:
    """Migrate, collect static files and load the demo network into `data_dir`, as
    `make demo` does before it serves; returns `data_dir`, where LOAD_OUTPUT keeps
    what `load_demo` printed."""
    env = embedded_env(**(env or {}), NEWSROOM_DATA_DIR=str(data_dir))
    manage("migrate", "--noinput", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    loaded = manage("load_demo", "--port", str(port), env=env)
    (Path(data_dir) / LOAD_OUTPUT).write_text(loaded.stdout)
    return Path(data_dir)


def copy_demo(source, target) -> Path:
    """Copy an embedded-mode build into `target`: the database through SQLite's
    backup (consistent whatever its write-ahead log holds), uploaded media as
    files, and the collected static files shared, since nothing writes them."""
    source, target = Path(source), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    with (
        contextlib.closing(sqlite3.connect(source / DATABASE_FILE)) as original,
        contextlib.closing(sqlite3.connect(target / DATABASE_FILE)) as copy,
    ):
        original.backup(copy)
    shutil.copytree(source / "media", target / "media", dirs_exist_ok=True)
    shutil.copy2(source / "secret_key", target / "secret_key")
    (target / "static").symlink_to(source / "static")
    return target


@contextlib.contextmanager
def served_demo(data_dir, *, workers: int = 1, env=None, source=None):
    """Serve the demo network from `data_dir` with uvicorn; yield a DemoServer.

    With `source` (a `build_demo` directory) the demo is copied from there;
    without, it is built in `data_dir` first. Either way the sites are moved to
    the server's port (a second `load_demo`, which adds nothing else)."""
    port = free_port()
    env = embedded_env(**(env or {}), NEWSROOM_DATA_DIR=str(data_dir))
    if source is None:
        build_demo(data_dir, env=env, port=port)
    else:
        copy_demo(source, data_dir)
        manage("load_demo", "--port", str(port), env=env)
    command = [sys.executable, "-m", "uvicorn", "newsroom.asgi:application"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--log-level", "warning"]
    # Open live-update streams would otherwise hold shutdown for minutes.
    command += ["--timeout-graceful-shutdown", "3"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_until_answering(port, server)
        yield DemoServer(port=port, pid=server.pid, env=env)
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until_answering(port: int, server: subprocess.Popen) -> None:
    """Return once a worker answers on `port`: the socket listens before any
    worker has loaded the app."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(  # noqa: S310 - our own server on loopback
                f"http://127.0.0.1:{port}/robots.txt", timeout=5
            ):
                return
        except urllib.error.HTTPError:  # an answer all the same
            return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the demo server did not start") from None
            time.sleep(0.2)
