"""The counter store every rate limit counts in: in the database, and in Redis where
the suite runs with it (newsroom/ratelimit/store.py)."""

import datetime

import pytest
from django.utils import timezone

from conftest import port_open, service_missing
from newsroom.ratelimit import store
from newsroom.ratelimit.models import Window
from newsroom.scheduler import jobs as scheduler

NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture(params=["database", "redis"])
def backend(request, settings, db):
    """Each test once with the counts in the database and once in Redis (where
    REDIS_URL is set; the conftest empties this worker's keys between tests)."""
    if request.param == "database":
        settings.REDIS_URL = ""
    elif not settings.REDIS_URL:
        pytest.skip("the Redis variant runs where the suite runs on Redis (CI)")
    elif not port_open(settings.REDIS_URL, 6379):
        service_missing("Redis", f"nothing answers at {settings.REDIS_URL}")
    return request.param


def test_the_hit_past_the_limit_waits_for_the_end_of_its_window(backend):
    waits = [store.hit("comment:u1:60", 3, 60) for _ in range(5)]

    assert waits[:3] == [0, 0, 0]
    assert 55 <= waits[3] <= 60 and waits[4] <= waits[3]
    # Somebody else's count is their own.
    assert store.hit("comment:u2:60", 3, 60) == 0


def test_a_limit_of_zero_counts_nothing(backend):
    assert [store.hit("vote:u1:60", 0, 60) for _ in range(3)] == [0, 0, 0]
    assert store.peek("vote:u1:60", 1) == 0


def test_peeking_says_whether_one_more_would_be_refused_and_counts_nothing(backend):
    assert store.peek("login_failed:k1", 2) == 0
    store.hit("login_failed:k1", 2, 300)
    assert store.peek("login_failed:k1", 2) == 0
    store.hit("login_failed:k1", 2, 300)

    assert 295 <= store.peek("login_failed:k1", 2) <= 300
    assert store.peek("login_failed:k1", 2) > 0  # still two: peeking added none


def test_forgetting_a_name_starts_its_window_afresh(backend):
    for _ in range(3):
        store.hit("login_failed:k2", 2, 300)

    store.forget("login_failed:k2")

    assert store.hit("login_failed:k2", 2, 300) == 0


def test_a_long_name_is_counted_by_its_digest(backend):
    name = "embed-new:" + "x" * 500

    assert store.hit(name, 1, 60) == 0
    assert store.hit(name, 1, 60) > 0
    if backend == "database":
        [row] = Window.objects.all()
        assert row.name.startswith("sha256:") and row.hits == 2


def test_a_window_starts_again_once_it_has_ended(settings, db):
    settings.REDIS_URL = ""
    start = timezone.now()
    later = start + datetime.timedelta(seconds=61)

    assert store.hit("report:u1:60", 1, 60, now=start) == 0
    assert store.hit("report:u1:60", 1, 60, now=start) > 0
    assert store.hit("report:u1:60", 1, 60, now=later) == 0
    assert Window.objects.get().hits == 1


def test_the_scheduler_prunes_ended_windows_only(settings, db):
    settings.REDIS_URL = ""
    start = timezone.now()
    store.hit("comment:u1:60", 3, 60, now=start)
    store.hit("comment:u1:3600", 3, 3600, now=start)

    [job] = [j for j in scheduler.registered() if j.name == "prune_rate_limits"]
    line = job.run(start + datetime.timedelta(seconds=120))

    assert line == "rate limits: 1 ended windows pruned"
    assert list(Window.objects.values_list("name", flat=True)) == ["comment:u1:3600"]


def test_without_redis_answering_the_database_counts(settings, db, caplog):
    settings.REDIS_URL = NOWHERE

    assert store.hit("signup:ip192.0.2.1", 1, 60) == 0
    assert store.hit("signup:ip192.0.2.1", 1, 60) > 0

    assert Window.objects.get(name="signup:ip192.0.2.1").hits == 2
    assert "Redis did not answer" in caplog.text
