"""The C allocator's settings for app processes (glibc's malloc), for their memory.

Django runs on a pool of threads (NEWSROOM_THREADS) beside the event loop. Left to
its defaults, glibc gives each thread that allocates an arena of its own (up to
eight per core), and memory freed inside a heap stays with the process: pages
rendered and dropped, and the page cache's evicted bodies, leave free blocks
scattered through every arena's heap. After loads like the bench's, such free blocks
were a quarter of a worker's resident memory (docs/deployment.md). So, at start:

- at most ARENAS arenas, which the threads share;
- every TRIM_EVERY seconds a background thread hands the free pages inside the
  heaps back to the system (malloc_trim: a few milliseconds).

MALLOC_ARENA_MAX, or GLIBC_TUNABLES naming glibc.malloc.arena_max, wins over ARENAS.
With another C library (musl, macOS) this does nothing.
"""

import ctypes
import os
import threading
import time

ARENAS = 2  # threads take turns: most allocations happen under the GIL anyway
TRIM_EVERY = 10  # seconds
M_ARENA_MAX = -8  # mallopt's parameter number (malloc.h)

_started = False


def tune() -> None:
    """Limit this process's arenas and start trimming its heaps (once)."""
    global _started
    if _started:
        return
    _started = True
    libc = _glibc()
    if libc is None:
        return
    tunables = os.environ.get("GLIBC_TUNABLES", "")
    if "MALLOC_ARENA_MAX" not in os.environ and "arena_max" not in tunables:
        libc.mallopt(M_ARENA_MAX, ARENAS)
    threading.Thread(
        target=_trim, args=(libc,), name="newsroom-malloc-trim", daemon=True
    ).start()


def _glibc():
    try:
        libc = ctypes.CDLL(None)  # the C library this interpreter runs on
    except OSError:
        return None
    if not hasattr(libc, "malloc_trim") or not hasattr(libc, "mallopt"):
        return None  # another C library (musl, macOS)
    libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    libc.malloc_trim.argtypes = [ctypes.c_size_t]
    return libc


def _trim(libc) -> None:
    while True:
        time.sleep(TRIM_EVERY)
        libc.malloc_trim(0)
