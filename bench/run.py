"""Serve the demo network as `make demo` does and measure how fast readers get pages.

Starts uvicorn on a throwaway SQLite data directory (or DATABASE_URL if set), loads the
demo network, warms each page once, then sends REQUESTS requests per page from
CONCURRENCY threads. Prints a table and writes it to bench/results/latest.md.
Bounded: every loop has a fixed count and the server stops at the end.
"""

import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, host):
    request = urllib.request.Request(url, headers={"Host": host})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        status = response.status
    return time.perf_counter() - started, status


def server_rss_mb(pid):
    total = 0
    for child in [
        pid,
        *map(
            int,
            subprocess.run(
                ["pgrep", "-P", str(pid)], capture_output=True, text=True
            ).stdout.split(),
        ),
    ]:
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def main():
    data_dir = tempfile.mkdtemp(prefix="newsroom-bench-")
    port = free_port()
    env = {**os.environ, "NEWSROOM_DATA_DIR": data_dir}
    python = sys.executable
    for args in (
        ["migrate", "--noinput", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["load_demo", "--port", str(port)],
    ):
        subprocess.run(
            [python, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
        )
    server = subprocess.Popen(
        [
            python,
            "-m",
            "uvicorn",
            "newsroom.asgi:application",
            "--port",
            str(port),
            "--workers",
            WORKERS,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        article = subprocess.run(
            [
                python,
                "manage.py",
                "shell",
                "-v0",
                "-c",
                "from newsroom.news.models import ArticlePage as A;"
                "print(A.objects.live().first().url_path.split('/', 2)[2])",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        pages = {
            "home": "/",
            "section": "/world/",
            "article": f"/{article}",
            "search": "/search/?q=harbour",
            "rss": "/feeds/rss/",
        }
        host = f"ledger.localhost:{port}"
        rows = []
        for name, path in pages.items():
            url = f"http://127.0.0.1:{port}{path}"
            fetch(url, host)  # warm renditions and caches
            started = time.perf_counter()
            with ThreadPoolExecutor(CONCURRENCY) as pool:
                results = list(pool.map(fetch, [url] * REQUESTS, [host] * REQUESTS))
            elapsed = time.perf_counter() - started
            times = sorted(t for t, _ in results)
            assert all(status == 200 for _, status in results), name
            rows.append(
                (
                    name,
                    REQUESTS / elapsed,
                    statistics.median(times) * 1000,
                    times[int(len(times) * 0.95)] * 1000,
                )
            )
        rss = server_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    client_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    lines = [
        f"# Page speed, {time.strftime('%Y-%m-%d')}",
        "",
        f"uvicorn, {WORKERS} workers, SQLite embedded mode, {REQUESTS} requests per page "
        f"from {CONCURRENCY} threads on this {os.cpu_count()}-core machine "
        "(client and server share it).",
        "",
        "| page | requests/s | median ms | p95 ms |",
        "|---|---:|---:|---:|",
        *[f"| {name} | {rps:.0f} | {p50:.1f} | {p95:.1f} |" for name, rps, p50, p95 in rows],
        "",
        f"Server resident memory after the run: {rss:.0f} MB (all workers).",
        f"Benchmark client peak RSS: {client_peak_mb} MB.",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    (ROOT / "bench" / "results" / "latest.md").write_text(report)


if __name__ == "__main__":
    main()
