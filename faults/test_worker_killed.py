"""`kill -9` of the task worker in the middle of a breaking alert's send to 2,000
subscribers, then a restart, as a supervisor would do.

What holds it together (newsroom/alerts/sending.py): every delivery is written
before any mail leaves; a worker claims them in batches under a lease and records
each one SENT as soon as the mail server accepts it; the scheduler's pass
(`resume_stalled`) queues again what a dead worker held once the lease is out and
restarts the send. The one window nothing can close, a message the server
accepted while the worker died before recording it, is sent again with the same
Message-ID, which mail clients fold into one.
"""

import collections
import json
import time

from faults.outcomes import rows, wait_until
from newsroom.demo.server import manage

SUBSCRIBERS = 2000
KILL_AT = 300  # deliveries recorded SENT when the worker is killed
OPEN = ("queued", "sending")


def statuses(database_url: str, alert_id: int) -> collections.Counter:
    return collections.Counter(
        dict(
            rows(
                database_url,
                "SELECT status, count(*) FROM alerts_delivery WHERE alert_id = %s "
                "GROUP BY status",
                [alert_id],
            )
        )
    )


def test_a_killed_worker_sends_each_subscriber_the_alert_once(cluster, mail_server):
    database = cluster.topology.database_url
    addresses = {f"breaking{n:04d}@subscribers.invalid" for n in range(SUBSCRIBERS)}
    # An editor publishes with "send as breaking alert" ticked; the worker sends.
    published = manage(
        "shell",
        "-c",
        "from faults.world import subscribers, breaking_news; "
        f"subscribers({SUBSCRIBERS}, site='ledger', prefix='breaking'); "
        "breaking_news('dam-bursts')",
        env=cluster.env,
    )
    alert_id = json.loads(published.stdout.strip().splitlines()[-1])["alert_id"]
    try:
        wait_until(
            lambda: statuses(database, alert_id)["sent"] >= KILL_AT,
            timeout=120,
            what=f"{KILL_AT} alerts sent",
        )
        cluster.kill("worker")
        killed_at = time.monotonic()
        at_kill = statuses(database, alert_id)
    finally:
        cluster.start("worker")
    # Killed mid-send: some sent, the rest still to go.
    assert KILL_AT <= at_kill["sent"] < SUBSCRIBERS
    wait_until(
        lambda: not any(statuses(database, alert_id)[s] for s in OPEN),
        timeout=120,
        what="end of the send",
    )
    recovered_in = time.monotonic() - killed_at

    # Every subscriber is recorded as sent the alert, once.
    recorded = collections.defaultdict(list)
    for email, status in rows(
        database,
        "SELECT subscriber.email, delivery.status FROM alerts_delivery delivery "
        "JOIN alerts_subscription subscription "
        "ON subscription.id = delivery.subscription_id "
        "JOIN alerts_subscriber subscriber "
        "ON subscriber.id = subscription.subscriber_id "
        "WHERE delivery.alert_id = %s",
        [alert_id],
    ):
        recorded[email].append(status)
    assert recorded == {address: ["sent"] for address in addresses}

    # What the subscribers' mailboxes hold: the alert, at least once each; a
    # second copy only for the message in flight at the kill (accepted by the
    # server, not yet recorded), with the same Message-ID as the first.
    copies = mail_server.copies(f"<alert-{alert_id}.")
    assert set(copies) == addresses
    twice = {to: ids for to, ids in copies.items() if len(ids) > 1}
    assert all(len(set(ids)) == 1 for ids in twice.values()), twice
    assert len(twice) <= 1
    print(  # noqa: T201 - what the subscribers saw, in the log
        f"\nworker killed with {at_kill['sent']} sent, {at_kill['sending']} claimed "
        f"and {at_kill['queued']} queued of {SUBSCRIBERS}; every delivery final "
        f"{recovered_in:.1f} s later; {sum(map(len, copies.values()))} messages to "
        f"{len(copies)} subscribers, {len(twice)} of them a second copy "
        "(same Message-ID)"
    )
