"""NEWSROOM_TASKS=redis end to end: an alert queued in Redis is sent by
`manage.py rqworker default`, as docs/deployment.md runs the worker."""

import os
from collections import Counter

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from conftest import SMTPInbox, port_open, service_missing
from newsroom.demo.server import free_port, manage

from ..models import Delivery
from .processes import (
    breaking_alert_to_many,
    child_env,
    recipients,
    statuses,
)

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_alert_queued_in_redis_is_sent_by_rqworker(network, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: the worker in another process shares the test "
            "database; .ci/run runs this on PostgreSQL"
        )
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    if not port_open(redis_url, 6379):
        service_missing("Redis", f"nothing listens at {redis_url}")
    import redis
    from rq import Queue

    # Jobs left by an earlier run would name alerts of another test database.
    Queue("default", connection=redis.Redis.from_url(redis_url)).empty()
    alert = breaking_alert_to_many(5)
    inbox = SMTPInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = child_env(
        tmp_path,
        NEWSROOM_TASKS="redis",
        REDIS_URL=redis_url,
        EMAIL_URL=f"smtp://127.0.0.1:{port}",
    )
    try:
        enqueue = (
            "from newsroom.alerts.tasks import send_alert; "
            f"print(send_alert.enqueue({alert.pk}).status)"
        )
        queued = manage("shell", "-v", "0", "-c", enqueue, env=env)
        assert queued.stdout.split() == ["READY"]
        assert Delivery.objects.filter(alert=alert).count() == 0  # not sent yet

        worked = manage("rqworker", "--burst", "default", env=env)
    finally:
        controller.stop()

    output = worked.stdout + worked.stderr
    assert "Traceback" not in output, output[-3000:]
    everyone = recipients(alert)
    assert len(everyone) >= 5
    assert statuses(alert) == {Delivery.Status.SENT: len(everyone)}
    assert Counter(message["To"] for message in inbox.messages) == Counter(everyone)
