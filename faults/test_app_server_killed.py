"""`kill -9` of one app server while readers post and vote through both."""

import time

from faults.outcomes import Load, Reckoning, acknowledged, votes_now

A, B = 0, 1


def test_a_killed_app_server_loses_nothing_it_acknowledged(cluster, world, tmp_path):
    servers = [cluster.url(app=A)[:-1], cluster.url(app=B)[:-1]]
    try:
        before = votes_now(cluster.topology.database_url, world)
        with Load(world, servers, tmp_path / "load.jsonl") as load:
            load.wait_for(60)
            killed_at = time.time()
            cluster.kill("app-A")
            load.wait_for(150)
            outcomes = load.stop()
    finally:
        cluster.start("app-A")
    reckoning = Reckoning(cluster.topology.database_url, world, outcomes, before=before)
    print(reckoning.summary())  # noqa: T201 - what the clients saw, in the log

    assert reckoning.problems() == []
    after = [line for line in outcomes if line["started"] > killed_at + 1]
    on_a = [line for line in after if line["server"] == servers[A]]
    on_b = [line for line in after if line["server"] == servers[B]]
    # The dead server's clients were told: no answer, never a false success.
    assert on_a and not any(acknowledged(line) for line in on_a)
    # The other server kept serving.
    assert sum(acknowledged(line) for line in on_b) >= 5
