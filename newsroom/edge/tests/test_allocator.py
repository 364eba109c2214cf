"""An app process limits glibc's malloc arenas and trims its heaps (allocator.py),
seen from inside a real process that loads the app as uvicorn does."""

import json
import platform
import subprocess
import sys

import pytest
from django.conf import settings

from newsroom.demo.server import ROOT, embedded_env

pytestmark = pytest.mark.skipif(
    platform.libc_ver()[0] != "glibc", reason="glibc's malloc only"
)

# Loads the app, keeps eight threads alive that have each allocated, then counts the
# heaps glibc reports (one per arena in use).
APP_PROCESS = """
import ctypes, json, tempfile, threading
import newsroom.asgi
ready = threading.Barrier(9)
def allocate():
    kept = [bytes(1000) for _ in range(1000)]
    ready.wait()
    ready.wait()
threads = [threading.Thread(target=allocate) for _ in range(8)]
for thread in threads:
    thread.start()
ready.wait()
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
with tempfile.NamedTemporaryFile() as report:
    stream = ctypes.c_void_p(libc.fopen(report.name.encode(), b"w"))
    libc.malloc_info(0, stream)
    libc.fclose(stream)
    heaps = open(report.name).read().count("<heap nr=")
ready.wait()
names = [thread.name for thread in threading.enumerate()]
print(json.dumps({"heaps": heaps, "trimming": "newsroom-malloc-trim" in names}))
"""


def app_process(**environment) -> dict:
    child = subprocess.run(
        [sys.executable, "-c", APP_PROCESS],
        cwd=ROOT,
        env=embedded_env(
            # The suite's data directory, where the toxicity model is already kept.
            NEWSROOM_DATA_DIR=str(settings.DATA_DIR),
            DJANGO_SETTINGS_MODULE="newsroom.settings",
            **environment,
        ),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    return json.loads(child.stdout.splitlines()[-1])


def test_an_app_process_shares_two_arenas_among_its_threads_and_trims_them():
    assert app_process() == {"heaps": 2, "trimming": True}


def test_malloc_arena_max_in_the_environment_wins():
    assert app_process(MALLOC_ARENA_MAX="3") == {"heaps": 3, "trimming": True}
