"""A task worker killed in the middle of a send: after a restart, every subscriber
has the alert exactly once.

Production's processes on PostgreSQL: `manage.py db_worker` sends, and is killed
(SIGKILL, nothing to clean up) while the mail server is still holding its answer to
one message; `manage.py run_scheduler --once` then finds the dead worker's claim past
its lease and queues the alert again for a second worker. The mail server counts a
message as delivered only once it has answered 250, as a real one takes
responsibility for a message only then.
"""

import asyncio
import email
import threading
import time
from collections import Counter
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from newsroom.demo.server import free_port, manage

from ..models import Delivery, Subscription
from .processes import (
    breaking_alert_to_many,
    child_env,
    kill,
    recipients,
    start,
    statuses,
    wait_for,
)

pytestmark = pytest.mark.postgres

SUBSCRIBERS = 60
HOLD_AT = 25  # the message the mail server is answering when the worker dies
LEASE = 2  # seconds; NEWSROOM_ALERTS_LEASE for the child processes
BATCH = 10
WORKER = ("db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.2")


class HoldingMailServer:
    """Answers 250 to every message but number `hold_at`, whose answer waits until
    `release` is set; if the client has gone by then, that message is dropped."""

    def __init__(self, hold_at: int):
        self.hold_at = hold_at
        self.received = 0  # messages whose DATA arrived, answered or not
        self.accepted = Counter()  # recipient → messages answered 250
        self.dropped = []  # recipients of the message whose client left unanswered
        self.message_ids = {}  # recipient → Message-IDs seen, in order
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook
        self.received += 1
        headers = email.message_from_bytes(
            envelope.original_content, policy=policy.default
        )
        for recipient in envelope.rcpt_tos:
            self.message_ids.setdefault(recipient, []).append(headers["Message-ID"])
        if self.received == self.hold_at:
            self.holding.set()
            try:
                # Waits in a thread, so the server's loop goes on and notices the
                # client leaving (it cancels this handler then).
                await asyncio.to_thread(self.release.wait)
            except asyncio.CancelledError:  # aiosmtpd saw the connection close
                self.dropped.extend(envelope.rcpt_tos)
                raise
            if server.transport is None or server.transport.is_closing():
                self.dropped.extend(envelope.rcpt_tos)
                return "421 Connection lost before the message was accepted"
        self.accepted.update(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_send_leaves_every_subscriber_one_copy(network, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: workers in other processes share the test database; "
            ".ci/run runs this on PostgreSQL"
        )
    alert = breaking_alert_to_many(SUBSCRIBERS)
    server = HoldingMailServer(hold_at=HOLD_AT)
    port = free_port()
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    env = child_env(
        tmp_path,
        NEWSROOM_TASKS="database",
        EMAIL_URL=f"smtp://127.0.0.1:{port}",
        NEWSROOM_ALERTS_LEASE=str(LEASE),
        NEWSROOM_ALERTS_BATCH=str(BATCH),
        NEWSROOM_ALERTS_RATE="0",
    )
    workers = []
    try:
        with open(tmp_path / "first-worker.log", "wb") as log:
            workers.append(start(*WORKER, env=env, log=log))
        enqueue = (
            "from newsroom.alerts.tasks import send_alert; "
            f"send_alert.enqueue({alert.pk})"
        )
        manage("shell", "-v", "0", "-c", enqueue, env=env)
        wait_for(server.holding.is_set, timeout=60, what=f"message {HOLD_AT}")

        kill(workers[0])
        server.release.set()
        wait_for(lambda: server.dropped, timeout=10, what="the unanswered message")
        [lost] = server.dropped
        assert statuses(alert)[Delivery.Status.SENT] == HOLD_AT - 1
        assert (
            Delivery.objects.get(alert=alert, subscription__subscriber__email=lost)
        ).status == Delivery.Status.SENDING

        time.sleep(LEASE + 0.5)  # the dead worker's claim runs out
        with open(tmp_path / "second-worker.log", "wb") as log:
            workers.append(start(*WORKER, env=env, log=log))
        scheduler = manage("run_scheduler", "--once", env=env)
        assert "1 sends resumed" in scheduler.stdout, scheduler.stdout
        wait_for(
            lambda: statuses(alert) == {Delivery.Status.SENT: len(recipients(alert))},
            timeout=60,
            what="every delivery to be sent",
        )
    finally:
        for worker in workers:
            kill(worker)
        controller.stop()

    everyone = recipients(alert)
    assert len(everyone) >= SUBSCRIBERS
    assert server.accepted == Counter(dict.fromkeys(everyone, 1))
    assert server.received == len(everyone) + 1  # the lost message, then its resend
    # The resent copy is the same message to mail clients, which fold duplicates.
    subscription = Subscription.objects.get(subscriber__email=lost)
    expected = f"<alert-{alert.pk}.{subscription.pk}@{alert.site.hostname}>"
    assert server.message_ids[lost] == [expected, expected]
    assert set(
        Delivery.objects.filter(alert=alert).values_list("attempts", flat=True)
    ) == {1}
    alert.refresh_from_db()
    assert alert.finished_at is not None
