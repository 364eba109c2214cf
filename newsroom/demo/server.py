"""Run the demo network as `make demo` serves it, for browser tests and benchmarks.

The server runs in a child process on its own data directory (SQLite unless the
caller passes DATABASE_URL in `env`), so it cannot disturb the caller's database.
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60  # seconds for uvicorn to accept connections


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
    """Run `manage.py` in a child process and return its CompletedProcess."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=check,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@contextlib.contextmanager
def served_demo(data_dir, *, workers: int = 1, env=None):
    """Prepare the demo network in `data_dir`, serve it, yield a DemoServer."""
    port = free_port()
    env = embedded_env(**(env or {}), NEWSROOM_DATA_DIR=str(data_dir))
    manage("migrate", "--noinput", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    manage("load_demo", "--port", str(port), env=env)
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "newsroom.asgi:application",
        "--host",
        "127.0.0.1",
    ]
    command += [
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        # Open live-update streams would otherwise hold shutdown for minutes.
        "--timeout-graceful-shutdown",
        "3",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the demo server did not start") from None
                time.sleep(0.2)
        yield DemoServer(port=port, pid=server.pid, env=env)
    finally:
        server.terminate()
        server.wait(timeout=30)
