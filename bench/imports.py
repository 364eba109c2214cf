"""`python bench/run.py imports`: a large Disqus export through import_comments.

Builds a throwaway database (a SQLite file in a temporary directory; with
DATABASE_URL set to PostgreSQL, a scratch database created on that server and dropped
afterwards), migrates it and loads the tests' small two-site network. Then writes a
made-up Disqus export of BENCH_IMPORT_COMMENTS comments (100,000) in threads of 500
on the Ledger's articles, a third of them replies, one in ten quoting an earlier
comment, with a little spam and a few deletions, and imports it twice as an operator
would: first a tenth of it, then all of it, each in a process of its own.

Reported for each: the file's size, wall time, comments per second, and the import
process's peak resident memory (from wait4's rusage): flat memory means the two
peaks are close although one file is ten times the other.
"""

import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from alerts import scratch_database  # noqa: E402
from run import machine, write_results  # noqa: E402

COMMENTS = int(os.environ.get("BENCH_IMPORT_COMMENTS", "100000"))
PER_THREAD = 500
WORDS = (
    "harbour ferry council tide lantern market rail signal crew timetable bay "
    "pier storm fishing boat river bridge island night morning winter summer"
).split()

PREPARE = """
import json
from django.core.management import call_command
from newsroom.demo.loader import load_demo_network
from newsroom.news.models import ArticlePage
from newsroom.news.tests import network as content
call_command("migrate", verbosity=0)
load_demo_network(port=80, content=content, draw_photo=content.small_photo)
print(json.dumps([p.url_path.split("/", 2)[2] for p in
    ArticlePage.objects.live().filter(url_path__startswith="/ledger/")]))
"""


def sentence(rng) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize()


def write_export(path: Path, count: int, paths: list[str], seed=7) -> None:
    """A Disqus export of `count` comments, streamed to `path`."""
    rng = random.Random(seed)  # noqa: S311 - made-up text, not secrets
    start = datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC)
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com"'
            ' xmlns:dsq="http://disqus.com/disqus-internals">\n'
        )
        threads = max(count // PER_THREAD, 1)
        for t in range(threads):
            link = f"https://old.ledger.example/{paths[t % len(paths)]}"
            out.write(
                f'<thread dsq:id="t{t}"><id>old-{t}</id><link>{escape(link)}</link>'
                f"<title>Story {t}</title><createdAt>2015-01-01T00:00:00Z</createdAt>"
                "</thread>\n"
            )
        for t in range(threads):
            recent: list[tuple[str, str]] = []
            for n in range(min(PER_THREAD, count - t * PER_THREAD)):
                key = f"{t}-{n}"
                own = sentence(rng)
                message = f"<p>{escape(own)}</p>"
                parent = ""
                if recent and rng.random() < 0.33:
                    parent_key, parent_text = rng.choice(recent)
                    parent = f'<parent dsq:id="{parent_key}"/>'
                    if rng.random() < 0.3:
                        quoted = escape(parent_text.split(" ", 5)[-1])
                        message = f"<blockquote>{quoted}</blockquote>{message}"
                recent = [*recent[-49:], (key, own)]
                when = start + datetime.timedelta(days=t, seconds=n * 37)
                author = rng.randrange(max(count // 20, 1))
                out.write(
                    f"<post dsq:id={quoteattr(key)}><message>{escape(message)}"
                    f"</message><createdAt>{when:%Y-%m-%dT%H:%M:%SZ}</createdAt>"
                    f"<isDeleted>{'true' if rng.random() < 0.01 else 'false'}"
                    f"</isDeleted><isSpam>{'true' if rng.random() < 0.02 else 'false'}"
                    f"</isSpam><author><email>reader{author}@readers.example</email>"
                    f"<name>Reader {author}</name><isAnonymous>false</isAnonymous>"
                    f'</author><thread dsq:id="t{t}"/>{parent}</post>\n'
                )
        out.write("</disqus>\n")


def run_measured(env, *args) -> tuple[str, float, float]:
    """Run manage.py; (stdout, seconds, peak resident MB of that process)."""
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    out = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status:
        raise SystemExit(f"manage.py {' '.join(args)} failed: {out}")
    return out, seconds, usage.ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-imports-") as tmp:
        with scratch_database(tmp) as (database_url, database):
            env = {
                **os.environ,
                "DATABASE_URL": database_url,
                "NEWSROOM_DATA_DIR": tmp,
                "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            }
            env.pop("REDIS_URL", None)
            prepared = subprocess.run(  # noqa: S603
                [sys.executable, "-c", f"import django; django.setup()\n{PREPARE}"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            paths = json.loads(prepared.stdout.strip().splitlines()[-1])
            rows = []
            for count in (COMMENTS // 10, COMMENTS):
                export = Path(tmp) / f"export-{count}.xml"
                write_export(export, count, paths)
                size = export.stat().st_size / 1e6
                out, seconds, peak = run_measured(
                    env,
                    "import_comments",
                    str(export),
                    "--site",
                    "ledger.localhost",
                    "--hostname",
                    "old.ledger.example",
                )
                imported = int(
                    out.split("Comments that were imported: ", 1)[1]
                    .split(" ")[0]
                    .replace(",", "")
                )
                rows.append((count, size, seconds, imported / seconds, peak))
                print(
                    f"{count:>9,} comments  {size:7.1f} MB  {seconds:7.1f} s  "
                    f"{imported / seconds:7,.0f}/s  peak {peak:6.1f} MB"
                )
                export.unlink()
    table = "\n".join(
        f"| {count:,} | {size:.1f} MB | {seconds:.1f} s | {rate:,.0f} | {peak:.0f} MB |"
        for count, size, seconds, rate, peak in rows
    )
    kind = "PostgreSQL" if database.startswith("PostgreSQL") else "SQLite"
    write_results(
        f"Imports, {kind}",
        f"{machine()}; {database}; Python {sys.version.split()[0]}; "
        f"{datetime.datetime.now(tz=datetime.UTC):%Y-%m-%d}.\n\n"
        "One Disqus export imported by `manage.py import_comments` in a process of "
        "its own (bench/imports.py): wall time including the read, the checks and "
        "the import; peak resident memory of that process.\n\n"
        "| comments | file | time | comments/s | peak memory |\n"
        "|---:|---:|---:|---:|---:|\n" + table,
    )


if __name__ == "__main__":
    main()
