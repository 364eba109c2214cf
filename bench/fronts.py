"""What bench/targets.py puts beside and in front of the app: Varnish, the ceilings.

Varnish (Debian's `varnish` 7 with `varnish-modules`' xkey, /usr/sbin/varnishd) runs
in the foreground on loopback with a working directory of its own:
- in front of the app with the repository's configuration, deploy/varnish/newsroom.vcl,
  and a `newsroom-backends.vcl` written here for the one app server of the bench (as
  deploy/cluster.py writes one for its servers); when that file is missing or does
  not compile, with bench/varnish.vcl, a minimal configuration of the same rules,
  and the reason is reported;
- in front of the ceiling app with bench/static.vcl, which keeps its one answer for
  an hour: Varnish serving the page's bytes as a static object.

`capture` saves a page exactly as the app answered it (status, headers, body) for
bench/ceiling.py to serve again.
"""

import contextlib
import http.client
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VARNISHD = os.environ.get("BENCH_VARNISHD", "/usr/sbin/varnishd")
DEPLOY_VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"
FALLBACK_VCL = BENCH / "varnish.vcl"
STATIC_VCL = BENCH / "static.vcl"
VARNISH_MEMORY = "malloc,512m"
START_TIMEOUT = 60
# Set by the server on each answer or by the connection, not part of the page.
NOT_REPLAYED = {"date", "server", "content-length", "transfer-encoding", "connection"}

BACKENDS = """\
# Written by bench/fronts.py: the bench's one app server.
backend app_1 {{
    .host = "127.0.0.1";
    .port = "{port}";
    .host_header = "{host}";
    .probe = app_health;
    .connect_timeout = 1s;
    .between_bytes_timeout = 60s;
}}

acl purgers_extra {{
    "127.0.0.1";
}}

sub vcl_init {{
    new app_servers = directors.round_robin();
    app_servers.add_backend(app_1);
}}
"""


def varnish_version() -> str:
    found = subprocess.run([VARNISHD, "-V"], capture_output=True, text=True)
    match = re.search(r"varnish-[\w.]+", found.stderr + found.stdout)
    return match.group(0) if match else "varnish"


def _backend(vcl: str, port: int) -> str:
    """`vcl` with its first backend's address set to the bench's server."""
    vcl = re.sub(r'(\.host\s*=\s*")[^"]*(")', r"\g<1>127.0.0.1\g<2>", vcl, count=1)
    return re.sub(r'(\.port\s*=\s*")[^"]*(")', rf"\g<1>{port}\g<2>", vcl, count=1)


def _compiles(vcl: Path, work: Path, vcl_path: str) -> str:
    """Nothing when varnishd compiles `vcl`, else the end of what it said."""
    check = subprocess.run(
        [VARNISHD, "-C", "-f", str(vcl), "-p", f"vcl_path={vcl_path}"]
        + ["-n", str(work / "check")],
        capture_output=True,
        text=True,
    )
    if check.returncode == 0:
        return ""
    return (check.stderr or check.stdout).strip()[-600:]


def _workdir() -> Path:
    # varnishd's child runs as another user (vcache) and must read what is here.
    work = Path(tempfile.mkdtemp(prefix="newsroom-bench-varnish-"))
    work.chmod(0o755)
    return work


def app_vcl(work: Path, port: int, host: str) -> tuple[Path, str, str]:
    """(the VCL to run in front of the app, its vcl_path, a note on which it is)."""
    (work / "newsroom-backends.vcl").write_text(BACKENDS.format(port=port, host=host))
    vcl_path = f"{work}:{DEPLOY_VCL.parent}:/etc/varnish:/usr/share/varnish/vcl"
    if DEPLOY_VCL.exists():
        problem = _compiles(DEPLOY_VCL, work, vcl_path)
        if not problem:
            return DEPLOY_VCL, vcl_path, f"`{DEPLOY_VCL.relative_to(ROOT)}`"
        note = f"`{DEPLOY_VCL.relative_to(ROOT)}` does not compile ({problem}); "
    else:
        note = f"no `{DEPLOY_VCL.relative_to(ROOT)}` yet; "
    fallback = work / "fallback.vcl"
    fallback.write_text(_backend(FALLBACK_VCL.read_text(), port))
    return fallback, vcl_path, note + f"`{FALLBACK_VCL.relative_to(ROOT)}` instead"


@contextlib.contextmanager
def varnish(port: int, *, backend_port: int, host: str, static: bool = False):
    """Run varnishd on `port` in front of `backend_port`; yield a note on its VCL."""
    work = _workdir()
    if static:
        vcl = work / "static.vcl"
        vcl.write_text(_backend(STATIC_VCL.read_text(), backend_port))
        vcl_path, note = str(work), f"`{STATIC_VCL.relative_to(ROOT)}`"
    else:
        vcl, vcl_path, note = app_vcl(work, backend_port, host)
    command = [VARNISHD, "-F", "-f", str(vcl), "-a", f"127.0.0.1:{port}"]
    command += ["-n", str(work / "varnish"), "-s", VARNISH_MEMORY, "-T", "none"]
    command += ["-p", f"vcl_path={vcl_path}"]
    log = (work / "varnishd.log").open("w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait(port, server, work / "varnishd.log")
        yield note
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def _wait(port, server, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("HEAD", "/robots.txt")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(
                    f"varnishd did not start:\n{log.read_text()[-2000:]}"
                ) from None
            time.sleep(0.2)


def capture(port, host, path, *, accept_encoding: str, target: Path) -> dict:
    """Save the page at `path` as the app answers it into `target` (bench/ceiling.py
    serves it again); returns its status, size, encoding and response headers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": host}
    if accept_encoding:
        headers["Accept-Encoding"] = accept_encoding
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        replayed = [
            (name, value)
            for name, value in response.getheaders()
            if name.lower() not in NOT_REPLAYED
        ]
        status = response.status
    finally:
        connection.close()
    target.mkdir(parents=True, exist_ok=True)
    (target / "status").write_text(str(status))
    (target / "headers.json").write_text(json.dumps(replayed))
    (target / "body").write_bytes(body)
    named = {name.lower(): value for name, value in replayed}
    return {
        "status": status,
        "bytes": len(body),
        "encoding": named.get("content-encoding", "identity"),
        "header_bytes": sum(len(n) + len(v) + 4 for n, v in replayed),
        "headers": named,
    }
