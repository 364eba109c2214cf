"""Serve the demo network as `make demo` does and measure how fast readers get pages.

Starts uvicorn (BENCH_WORKERS workers) on a throwaway SQLite data directory with the
demo network loaded, warms each page once, then sends BENCH_REQUESTS requests per page
from BENCH_CONCURRENCY threads. Prints a table and writes it to bench/results/latest.md.
Bounded: every loop has a fixed count and the server stops at the end.
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsroom.demo.server import served_demo  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
SEQUENTIAL = 30  # requests one after another, for latency without queueing
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PAGES = {
    "home": "/",
    "section": "/world/",
    "article": "/world/"
    "marenne-recalls-ambassador-as-sorel-reef-standoff-with-kaliran-deepens/",
    "search": "/search/?q=harbour",
    "rss": "/feeds/rss/",
}


def fetch(url, host):
    request = urllib.request.Request(url, headers={"Host": host})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        status = response.status
    return time.perf_counter() - started, status


def server_rss_mb(pid: int) -> float:
    """Resident memory of uvicorn's main process and its workers."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    total_kb = 0
    for each in [str(pid), *children.stdout.split()]:
        status = Path(f"/proc/{each}/status")
        if status.exists():
            lines = status.read_text().splitlines()
            total_kb += sum(
                int(line.split()[1]) for line in lines if line.startswith("VmRSS:")
            )
    return total_kb / 1024


def measure(server):
    port = server.port
    host = f"ledger.localhost:{port}"
    rows = []
    for name, path in PAGES.items():
        url = f"http://127.0.0.1:{port}{path}"
        fetch(url, host)  # warm renditions and caches, as the first reader does
        alone = statistics.median(fetch(url, host)[0] for _ in range(SEQUENTIAL)) * 1000
        started = time.perf_counter()
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            results = list(pool.map(fetch, [url] * REQUESTS, [host] * REQUESTS))
        elapsed = time.perf_counter() - started
        assert all(status == 200 for _, status in results), name
        times = sorted(seconds for seconds, _ in results)
        p95 = times[int(len(times) * 0.95)]
        rows.append(
            (
                name,
                alone,
                REQUESTS / elapsed,
                statistics.median(times) * 1000,
                p95 * 1000,
            )
        )
    return rows, server_rss_mb(server.pid)


def main():
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as data_dir:
        with served_demo(data_dir, workers=WORKERS) as server:
            rows, rss = measure(server)
    client_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    lines = [
        f"# Page speed, {time.strftime('%Y-%m-%d')}",
        "",
        f"uvicorn, {WORKERS} workers, SQLite embedded mode, "
        f"{REQUESTS} requests per page "
        f"from {CONCURRENCY} threads on this {os.cpu_count()}-core machine "
        "(client and server share it).",
        "",
        "| page | one at a time, median ms | requests/s "
        "| loaded median ms | loaded p95 ms |",
        "|---|---:|---:|---:|---:|",
        *[
            f"| {name} | {alone:.1f} | {rps:.0f} | {p50:.1f} | {p95:.1f} |"
            for name, alone, rps, p50, p95 in rows
        ],
        "",
        f"Server resident memory after the run: {rss:.0f} MB "
        "(uvicorn and its workers).",
        f"Benchmark client peak RSS: {client_peak_mb} MB.",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    (ROOT / "bench" / "results" / "latest.md").write_text(report)


if __name__ == "__main__":
    main()
