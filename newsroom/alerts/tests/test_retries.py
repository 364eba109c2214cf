"""When the mail server refuses: temporary refusals are retried with back-off,
permanent ones fail at once, addresses that keep failing are paused; and a dead
worker's claim is taken over once its lease runs out.

Mail goes over SMTP to a server on loopback that refuses chosen recipients with
chosen replies. Time moves by moving the rows' times into the past, not by waiting;
the task backend is the tests' immediate one, so the scheduler's `resume_stalled`
sends at once what it restarts.
"""

import asyncio
import datetime
import socket

import pytest
from django.db import connections
from django.utils import timezone

from newsroom.news.models import ArticlePage
from newsroom.news.tests import factories

from .. import sending
from ..models import Alert, Delivery, Subscriber, Subscription

TRY_LATER = "451 4.3.0 Mailbox busy, try again later"
NO_SUCH_USER = "550 5.1.1 No such user"
RETRY_AFTER = 60


@pytest.fixture
def server(smtp, settings):
    """The test's SMTP server, refusing the recipients in `server.refuse` with
    their reply; back-off and pausing at their defaults, stated here."""
    smtp.refuse = {}

    async def handle_RCPT(server, session, envelope, address, options):
        if address in smtp.refuse:
            return smtp.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp.handle_RCPT = handle_RCPT  # aiosmtpd looks hooks up on each connection
    settings.NEWSROOM_ALERTS_RETRY_AFTER = RETRY_AFTER
    settings.NEWSROOM_ALERTS_MAX_ATTEMPTS = 4
    settings.NEWSROOM_ALERTS_PAUSE_AFTER = 3
    settings.NEWSROOM_ALERTS_LEASE = 300
    settings.NEWSROOM_ALERTS_RATE = 0
    return smtp


def subscribe(*addresses) -> list[Subscriber]:
    """Confirmed breaking-news subscribers of the first site with articles."""
    site = articles()[0].get_site()
    now = timezone.now()
    found = []
    for address in addresses:
        subscriber = Subscriber.objects.create(email=address)
        Subscription.objects.create(
            subscriber=subscriber, site=site, invited_at=now, confirmed_at=now
        )
        found.append(subscriber)
    return found


def articles() -> list[ArticlePage]:
    """The live articles of the first site, none of them alerted yet."""
    first = ArticlePage.objects.live().order_by("pk").first()
    return list(
        ArticlePage.objects.live()
        .descendant_of(first.get_site().root_page)
        .exclude(pk__in=Alert.objects.exclude(article=None).values("article_id"))
        .order_by("pk")
    )


def new_alert(article=None) -> Alert:
    """A breaking alert recorded (not yet sent) for an article."""
    article = article or articles()[0]
    return Alert.objects.create(
        site=article.get_site(),
        kind=Alert.Kind.BREAKING,
        article=article,
        subject=article.title,
    )


def delivery(alert, address) -> Delivery:
    return Delivery.objects.get(alert=alert, subscription__subscriber__email=address)


def received_by(smtp, address) -> int:
    return len(smtp.to(address))


def make_due(alert) -> None:
    """Move every queued retry of `alert` into the past."""
    Delivery.objects.filter(alert=alert, status=Delivery.Status.QUEUED).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_a_temporary_refusal_is_retried_after_back_off_and_sent_once(network, server):
    subscribe("steady@example.org", "busy@example.org")
    alert = new_alert()
    server.refuse["busy@example.org"] = TRY_LATER

    before = timezone.now()
    sending.send_alert(alert.pk)
    after = timezone.now()

    assert delivery(alert, "steady@example.org").status == Delivery.Status.SENT
    busy = delivery(alert, "busy@example.org")
    assert (busy.status, busy.attempts) == (Delivery.Status.QUEUED, 1)
    assert busy.error.startswith("451")
    delay = datetime.timedelta(seconds=RETRY_AFTER)
    assert before + delay <= busy.next_attempt_at <= after + delay
    assert received_by(server, "busy@example.org") == 0
    # Not due yet: the scheduler leaves it, and the alert is not finished.
    assert sending.resume_stalled() == []
    assert delivery(alert, "busy@example.org").status == Delivery.Status.QUEUED
    alert.refresh_from_db()
    assert alert.finished_at is None

    del server.refuse["busy@example.org"]
    make_due(alert)
    assert sending.resume_stalled() == [alert.pk]

    busy = delivery(alert, "busy@example.org")
    assert (busy.status, busy.attempts, busy.error) == (Delivery.Status.SENT, 2, "")
    assert received_by(server, "busy@example.org") == 1
    assert received_by(server, "steady@example.org") == 1  # not sent again
    assert Subscriber.objects.get(email="busy@example.org").failures == 0
    alert.refresh_from_db()
    assert alert.finished_at is not None


def test_the_back_off_grows_fourfold_until_the_last_attempt_fails(network, server):
    [subscriber] = subscribe("busy@example.org")
    alert = new_alert()
    server.refuse["busy@example.org"] = TRY_LATER

    before = timezone.now()
    sending.send_alert(alert.pk)
    after = timezone.now()
    for back_off in (60, 240, 960):  # RETRY_AFTER × 4 ** (attempts - 1)
        row = delivery(alert, "busy@example.org")
        assert row.status == Delivery.Status.QUEUED
        delay = datetime.timedelta(seconds=back_off)
        assert before + delay <= row.next_attempt_at <= after + delay
        make_due(alert)
        before = timezone.now()
        assert sending.resume_stalled() == [alert.pk]
        after = timezone.now()

    row = delivery(alert, "busy@example.org")
    assert (row.status, row.attempts) == (Delivery.Status.FAILED, 4)
    assert row.error.startswith("451")
    assert received_by(server, "busy@example.org") == 0
    subscriber.refresh_from_db()
    assert (subscriber.failures, subscriber.paused_at) == (1, None)
    assert sending.resume_stalled() == []  # nothing left to retry
    alert.refresh_from_db()
    assert alert.finished_at is not None


def test_a_permanent_refusal_fails_at_once(network, server):
    [subscriber] = subscribe("gone@example.org")
    alert = new_alert()
    server.refuse["gone@example.org"] = NO_SUCH_USER

    counts = sending.send_alert(alert.pk)

    assert counts[Delivery.Status.FAILED] == 1
    row = delivery(alert, "gone@example.org")
    assert (row.status, row.attempts) == (Delivery.Status.FAILED, 1)
    assert row.error.startswith("550")
    subscriber.refresh_from_db()
    assert subscriber.failures == 1
    assert sending.resume_stalled() == []
    alert.refresh_from_db()
    assert alert.finished_at is not None


def test_an_address_failing_alerts_in_a_row_is_paused_and_left_out(network, server):
    subscribe("steady@example.org", "gone@example.org")
    server.refuse["gone@example.org"] = NO_SUCH_USER
    first, second, third, fourth = articles()[:4]

    for number, article in enumerate([first, second], start=1):
        sending.send_alert(new_alert(article).pk)
        gone = Subscriber.objects.get(email="gone@example.org")
        assert (gone.failures, gone.paused_at) == (number, None)
    sending.send_alert(new_alert(third).pk)
    gone.refresh_from_db()
    assert gone.failures == 3 and gone.paused_at is not None

    alert = new_alert(fourth)
    sending.send_alert(alert.pk)
    assert list(
        Delivery.objects.filter(alert=alert).values_list(
            "subscription__subscriber__email", flat=True
        )
    ) == ["steady@example.org"]
    assert received_by(server, "steady@example.org") == 4


def test_a_delivered_message_forgives_earlier_failures(network, server):
    subscribe("flaky@example.org")
    first, second, third = articles()[:3]
    server.refuse["flaky@example.org"] = NO_SUCH_USER
    sending.send_alert(new_alert(first).pk)
    sending.send_alert(new_alert(second).pk)
    assert Subscriber.objects.get(email="flaky@example.org").failures == 2

    del server.refuse["flaky@example.org"]
    sending.send_alert(new_alert(third).pk)

    flaky = Subscriber.objects.get(email="flaky@example.org")
    assert (flaky.failures, flaky.paused_at) == (0, None)
    assert received_by(server, "flaky@example.org") == 1


def test_a_dead_workers_claim_is_taken_over_after_its_lease(network, server):
    subscribe("one@example.org", "two@example.org", "three@example.org")
    alert = new_alert()
    sending.fan_out(alert)
    # A worker sent to "one", then died holding the other two.
    claimed_at = timezone.now() - datetime.timedelta(seconds=10)
    Delivery.objects.filter(alert=alert).update(
        status=Delivery.Status.SENDING, claimed_by="dead", claimed_at=claimed_at
    )
    Delivery.objects.filter(
        alert=alert, subscription__subscriber__email="one@example.org"
    ).update(status=Delivery.Status.SENT, sent_at=claimed_at, attempts=1)

    # Within the lease the worker may still be alive: nothing is taken over.
    assert sending.resume_stalled() == []
    assert delivery(alert, "two@example.org").status == Delivery.Status.SENDING

    Delivery.objects.filter(alert=alert, status=Delivery.Status.SENDING).update(
        claimed_at=timezone.now() - datetime.timedelta(seconds=301)
    )
    assert sending.resume_stalled() == [alert.pk]

    assert set(
        Delivery.objects.filter(alert=alert).values_list("status", flat=True)
    ) == {Delivery.Status.SENT}
    # "one" was sent by the dead worker, to another server: not sent again.
    assert received_by(server, "one@example.org") == 0
    assert received_by(server, "two@example.org") == 1
    assert received_by(server, "three@example.org") == 1
    alert.refresh_from_db()
    assert alert.finished_at is not None


def test_a_worker_renews_its_claim_while_it_sends(network, server, settings):
    """A batch may take longer than the lease (a slow mail server, a low rate):
    the worker renews its claim as it goes, so the scheduler does not take a
    live worker's batch back. With a lease this short every message renews it."""
    settings.NEWSROOM_ALERTS_BATCH = 4
    settings.NEWSROOM_ALERTS_LEASE = 0
    subscribe(*(f"reader{n}@example.org" for n in range(4)))
    alert = new_alert()

    sending.send_alert(alert.pk)

    # One claim, four renewals: each row holds the time of the last before it
    # was recorded sent, where a batch never renewed holds its claim's time.
    rows = Delivery.objects.filter(alert=alert).order_by("pk")
    assert {row.status for row in rows} == {Delivery.Status.SENT}
    claimed = [row.claimed_at for row in rows]
    assert claimed == sorted(set(claimed))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_batch_taken_back_from_a_slow_worker_is_not_sent_twice(
    network, server, settings
):
    """The scheduler judges a worker dead while its mail server is only slow to
    answer: the batch is queued again and sent by another worker at once. The
    first, finding its claim gone when it records the message it was sending,
    sends none of the rest of its batch."""
    settings.NEWSROOM_ALERTS_BATCH = 4
    readers = [f"reader{n}@example.org" for n in range(6)]
    subscribe(*readers)
    alert = new_alert()
    accept = server.handle_DATA

    def scheduler_pass():
        # The lease has run out by the scheduler's clock; the task backend is
        # immediate, so the alert it restarts is sent here and now.
        later = timezone.now() + datetime.timedelta(
            seconds=settings.NEWSROOM_ALERTS_LEASE + 1
        )
        try:
            assert sending.resume_stalled(later) == [alert.pk]
        finally:
            connections.close_all()

    async def slow_second_answer(smtp_server, session, envelope):
        reply = await accept(smtp_server, session, envelope)
        if len(server.messages) == 2:  # the first worker's second message
            await asyncio.to_thread(scheduler_pass)
        return reply

    server.handle_DATA = slow_second_answer

    sending.send_alert(alert.pk)

    # The message in flight when the batch was taken back went twice, with the
    # same Message-ID (the window no database closes); nobody else got a copy.
    assert [received_by(server, address) for address in readers] == [1, 2, 1, 1, 1, 1]
    assert len({m["Message-ID"] for m in server.to(readers[1])}) == 1
    assert {row.status for row in Delivery.objects.filter(alert=alert)} == {
        Delivery.Status.SENT
    }


def test_a_mail_server_outage_pauses_the_send_not_the_readers(
    network, server, settings
):
    """With the server unreachable, the run stops at the first failure and gives
    its claim back; nobody's address counts a failure, and once the server is back
    the scheduler's next pass sends to everyone once."""
    subscribe("one@example.org", "two@example.org", "three@example.org")
    alert = new_alert()
    reachable = settings.EMAIL_PORT
    with socket.socket() as probe:  # a port with nothing listening on it
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]

    sending.send_alert(alert.pk)

    rows = Delivery.objects.filter(alert=alert)
    assert {row.status for row in rows} == {Delivery.Status.QUEUED}
    assert sorted(row.attempts for row in rows) == [0, 0, 1]  # only one was tried
    assert all(row.claimed_by == "" for row in rows)
    assert (
        list(Subscriber.objects.values_list("failures", "paused_at")) == [(0, None)] * 3
    )
    assert server.messages == []

    settings.EMAIL_PORT = reachable
    make_due(alert)
    assert sending.resume_stalled() == [alert.pk]
    assert {row.status for row in rows.all()} == {Delivery.Status.SENT}
    for address in ("one@example.org", "two@example.org", "three@example.org"):
        assert received_by(server, address) == 1


def test_an_alert_whose_photo_file_is_gone_goes_out_without_it(network, server):
    """Breaking news must not wait for a missing photo: the article's image file
    has gone from storage, and the alert is sent with headline and link alone."""
    subscribe("first@example.org")
    # Its own photo: the file deleted here is not one the baseline's articles share.
    article = factories.with_own_photo("Ferry strike called off", slug="ferry")
    alert = new_alert(article)
    image = article.lead_image
    image.renditions.all().delete()
    image.file.storage.delete(image.file.name)

    sending.send_alert(alert.pk)

    assert delivery(alert, "first@example.org").status == Delivery.Status.SENT
    [message] = server.messages
    html = message.get_body(preferencelist=("html",)).get_content()
    assert article.title in html
    assert "<img" not in html
