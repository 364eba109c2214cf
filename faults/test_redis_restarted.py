"""Redis goes away and comes back empty while readers read, post and vote, and
while a reader watches the thread live.

Redis holds nothing that cannot be had again (docs/deployment.md, "When Redis is
away"): the cache misses, the page cache is skipped, rate limits count in the
database, and live updates fall back to polling the database.
"""

import time

import requests

from faults.outcomes import Load, Reckoning, acknowledged, votes_now
from newsroom.comments.tests.sse import Stream

OUTAGE = 4  # seconds Redis stays down


def post(cluster, world, text) -> int:
    response = requests.post(
        cluster.url(f"/api/v1/articles/{world['article_id']}/comments", app=1),
        json={"body": text},
        headers={
            "Host": "ledger.localhost",
            "Authorization": f"Bearer {world['readers'][0]['token']}",
        },
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def arrives(stream, comment_id: int) -> bool:
    """Whether the stream tells of comment `comment_id` within 10 s (the load's
    own comments pass by meanwhile)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if stream.next("comment", timeout=1)["id"] == comment_id:
                return True
        except AssertionError:
            pass
    return False


def test_the_site_serves_through_a_redis_restart(services, cluster, world, tmp_path):
    _postgres, redis = services
    servers = [cluster.url(app=0)[:-1], cluster.url(app=1)[:-1]]
    watching = Stream(cluster.url(f"/comments/on/{world['article_id']}/events/", app=0))
    try:
        before = votes_now(cluster.topology.database_url, world)
        with Load(world, servers, tmp_path / "load.jsonl") as load:
            load.wait_for(40)
            down_at = time.time()
            redis.stop()
            time.sleep(1)
            # Live updates fall back to the database: news still reaches the stream.
            assert arrives(
                watching, post(cluster, world, "Posted while Redis is away.")
            )
            time.sleep(OUTAGE - 1)
            redis.start()
            up_at = time.time()
            load.wait_for(100)
            outcomes = load.stop()
        # And they resume on Redis once it is back.
        assert arrives(watching, post(cluster, world, "Posted once Redis is back."))
    finally:
        watching.close()
    reckoning = Reckoning(cluster.topology.database_url, world, outcomes, before=before)
    print(reckoning.summary())  # noqa: T201 - what the clients saw, in the log

    assert reckoning.problems() == []
    # Without Redis the site does everything, more slowly: no refusals at all.
    away = [line for line in outcomes if down_at < line["started"] < up_at]
    assert away
    assert [line for line in away if not acknowledged(line)] == []
    assert {line["kind"] for line in away} >= {"page", "read", "comment", "vote"}
    assert cluster.exited() == []
