"""`manage.py run_scheduler`: the jobs the apps register, run every pass."""

import signal
import subprocess
import sys
import time

import pytest
from django.core.management import CommandError, call_command

from newsroom.demo.server import ROOT, embedded_env
from newsroom.news.models import SchedulerRun
from newsroom.scheduler import jobs


def test_every_app_registers_its_jobs_in_the_order_of_the_apps():
    # In INSTALLED_APPS order: rate-limit pruning (the lowest app) first, then
    # publishing, before alerts: a page it publishes may start an alert.
    assert [job.name for job in jobs.registered()] == [
        "prune_rate_limits",
        "publish_scheduled",
        "wire",
        "prune_live_events",
        "alerts",
        "trending",
    ]


@pytest.fixture
def a_failing_job_first():
    kept = dict(jobs._registry)

    def explode(now):
        raise RuntimeError("the wire service is down")

    jobs._registry.clear()
    jobs.register("explodes", explode, "fails every time")
    jobs._registry.update(kept)
    yield
    jobs._registry.clear()
    jobs._registry.update(kept)


@pytest.mark.django_db
def test_a_failing_job_does_not_stop_the_others_and_once_says_so(a_failing_job_first):
    with pytest.raises(CommandError, match="explodes"):
        call_command("run_scheduler", "--once")
    assert SchedulerRun.objects.filter(name="publish_scheduled").exists()


def test_the_scheduler_keeps_running_when_a_pass_fails(tmp_path):
    """A scheduler whose database is unusable logs each failed pass and keeps going."""
    # An empty SQLite file has no tables: every pass fails until someone migrates.
    env = embedded_env(
        NEWSROOM_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        NEWSROOM_SCHEDULER_INTERVAL="1",
    )
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    failures = 0
    deadline = time.monotonic() + 60
    while failures < 2 and time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        failures += "The scheduled job 'publish_scheduled' failed" in line
    assert failures == 2
    assert process.poll() is None  # still running after two failed passes
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=20)
    assert process.returncode == 0  # stopped cleanly on SIGTERM
