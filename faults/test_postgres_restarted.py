"""PostgreSQL crashes and comes back while readers read, post and vote."""

import contextlib
import time

import psycopg

from faults.outcomes import Load, Reckoning, acknowledged, votes_now

OUTAGE = 3  # seconds PostgreSQL stays down


def test_the_site_rides_out_a_database_crash(services, cluster, world, tmp_path):
    postgres, _redis = services
    # As a running server does every few minutes, so that recovery replays only
    # what the load wrote, not the building of the world.
    with contextlib.closing(psycopg.connect(postgres.url(), autocommit=True)) as db:
        db.execute("CHECKPOINT")
    servers = [cluster.url(app=0)[:-1], cluster.url(app=1)[:-1]]
    before = votes_now(cluster.topology.database_url, world)
    with Load(world, servers, tmp_path / "load.jsonl") as load:
        load.wait_for(40)
        down_at = time.time()
        postgres.stop("immediate")  # a crash: recovery from the log at start
        time.sleep(OUTAGE)
        postgres.start()
        up_at = time.time()
        load.wait_for(150)
        outcomes = load.stop()
    reckoning = Reckoning(cluster.topology.database_url, world, outcomes, before=before)
    print(reckoning.summary())  # noqa: T201 - what the clients saw, in the log

    assert reckoning.problems() == []
    during = [line for line in outcomes if down_at + 0.5 < line["started"] < up_at]
    refused = [line for line in during if not acknowledged(line)]
    # While the database was gone the clients were told so, with when to retry.
    assert refused
    assert {line["status"] for line in refused} == {503}
    assert all(line["retry_after"] for line in refused)
    assert all("database" in line["json"]["detail"] for line in refused)
    # Visitors still had the article: its shared page is kept by the page cache.
    assert all(acknowledged(line) for line in during if line["kind"] == "page")
    # The app servers reconnected by themselves: no restart, writes go through.
    after = [line for line in outcomes if line["started"] > up_at + 1]
    assert sum(acknowledged(line) for line in after if line["kind"] != "read") >= 10
    # The app servers rode it out. The task worker (django-tasks' db_worker) exits
    # when its database goes away; production's supervisor starts it again
    # (Restart=always, docs/deployment.md), as the suite's `supervised` fixture does.
    assert [name for name in cluster.exited() if name.startswith("app-")] == []
