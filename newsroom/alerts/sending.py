"""Sending a news alert: fan out, claim, send, record; retry, pause, resume.

1. Fan-out writes one Delivery row per subscription, all in one transaction, before
   any mail leaves: the list of who gets the alert is fixed once.
2. A worker claims a batch of due rows (QUEUED → SENDING under its own id) with one
   conditional UPDATE, so two workers never hold the same row, and renews the
   claim while it sends; a worker that finds its claim taken back stops sending
   that batch.
3. Each message is marked SENT as soon as the mail server accepts it, before the
   next is sent. A temporary failure (4xx, lost connection) is queued again with
   back-off; a permanent one (5xx), or the last attempt, is FAILED, and an address
   whose deliveries fail several times in a row is paused.
4. `resume_stalled`, run by the scheduler, queues again the rows of a worker that
   died (SENDING past the lease) and restarts every alert with rows due.

Each message carries a Message-ID made from the alert and the subscription, so in
the one window no database can close (the server accepted a message and the worker
died before recording it) a resent copy has the same Message-ID, which mail clients
use to fold duplicates.
"""

import datetime
import logging
import smtplib
import time
import uuid
import zoneinfo
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.news.models import ArticlePage, SectionPage

from . import emails, subscriptions
from .models import Alert, Delivery, Subscriber, Subscription

logger = logging.getLogger(__name__)

DIGEST_STORIES = 8
# A worker renews its claim this many times per lease, so that a batch it is
# still sending is never judged abandoned.
LEASE_RENEWALS = 3
DIGEST_WINDOW = datetime.timedelta(hours=24)


# Creating alerts ---------------------------------------------------------------


def _record_once(**fields) -> Alert | None:
    """Create the alert and queue its sending, unless a constraint says it exists."""
    try:
        with transaction.atomic():
            alert = Alert.objects.create(**fields)
    except IntegrityError:  # recorded before, or by a concurrent publish or pass
        return None
    transaction.on_commit(lambda: _enqueue(alert.pk))
    return alert


def breaking_alert_for(article, site) -> Alert | None:
    """Record the breaking alert for a just-published article, once ever.

    A republished article finds its alert already there (the constraint
    one_breaking_alert_per_article) and nothing is sent."""
    return _record_once(
        site=site,
        kind=Alert.Kind.BREAKING,
        article=article,
        subject=article.title[:255],
    )


def send_breaking_alert(article) -> Alert | None:
    """Send a live article to its site's breaking-news subscribers, once ever."""
    site = article.get_site()
    return breaking_alert_for(article, site) if site is not None else None


def digest_alert_for(site, slot) -> Alert | None:
    """The digest run for `site` in the hour starting at `slot` (UTC), once."""
    return _record_once(
        site=site,
        kind=Alert.Kind.DIGEST,
        slot=slot,
        subject=_("Daily digest, %(when)s UTC")
        % {"when": slot.strftime("%d %b %Y %H:%M")},
    )


def _enqueue(alert_id: int) -> None:
    from .tasks import send_alert

    send_alert.enqueue(alert_id)


def subscriber_zone(subscriber) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(subscriber.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def fan_out(alert) -> int:
    """Write the alert's Delivery rows, once; return how many."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.recipients is not None:
            return alert.recipients
        wanted = Subscription.objects.filter(
            site_id=alert.site_id,
            confirmed_at__isnull=False,
            subscriber__paused_at__isnull=True,
        )
        if alert.kind == Alert.Kind.BREAKING:
            chosen = list(wanted.filter(breaking=True).values_list("pk", flat=True))
        else:
            chosen = [
                subscription.pk
                for subscription in wanted.filter(digest=True).select_related(
                    "subscriber"
                )
                if digest_due(subscription, alert.slot)
            ]
        Delivery.objects.bulk_create(
            [Delivery(alert=alert, subscription_id=pk) for pk in chosen],
            batch_size=1000,
            ignore_conflicts=True,
        )
        alert.recipients = len(chosen)
        alert.save(update_fields=["recipients"])
    return len(chosen)


# Sending -----------------------------------------------------------------------


class Renderer:
    """Builds each subscriber's message; what all share is computed once."""

    def __init__(self, alert):
        self.alert = alert
        self.site = alert.site
        self.brand = emails.brand(self.site)
        self.card = None
        if alert.kind == Alert.Kind.BREAKING and alert.article is not None:
            self.card = emails.article_card(alert.article, self.site)
        self.digests: dict[frozenset, list] = {}
        self.parts: dict = {}

    def stories(self, section_ids: frozenset) -> list[dict]:
        if section_ids not in self.digests:
            since = self.alert.slot - DIGEST_WINDOW
            articles = (
                ArticlePage.objects.live()
                .public()
                .descendant_of(self.site.root_page)
                .filter(first_published_at__gte=since)
                .select_related("lead_image")
            )
            if section_ids:
                sections = SectionPage.objects.filter(pk__in=section_ids)
                articles = articles.filter(
                    reduce(or_, (articles.descendant_of_q(s) for s in sections))
                )
            articles = articles.order_by(
                F("comment_thread__comment_count").desc(nulls_last=True),
                "-first_published_at",
            )[:DIGEST_STORIES]
            self.digests[section_ids] = [
                emails.article_card(article, self.site) for article in articles
            ]
        return self.digests[section_ids]

    # Stand-ins for each subscriber's own links: the message is rendered once per
    # variant (breaking: one; digest: per sections and date) and the links are
    # put in per subscriber. Signed tokens hold only URL-safe characters, so they
    # need no escaping in the HTML part.
    UNSUBSCRIBE = "https://unsubscribe.invalid/"
    MANAGE = "https://manage.invalid/"

    def rendered(self, key, context) -> tuple[str, str, str]:
        if key not in self.parts:
            self.parts[key] = emails.render(
                f"alerts/email/{self.alert.kind}",
                {
                    **self.brand,
                    **context,
                    "alert": self.alert,
                    "unsubscribe_url": self.UNSUBSCRIBE,
                    "manage_url": self.MANAGE,
                },
            )
        return self.parts[key]

    def message(self, delivery):
        subscription = delivery.subscription
        subscriber = subscription.subscriber
        kind = self.alert.kind
        if kind == Alert.Kind.BREAKING:
            if self.card is None:  # the article was deleted before it went out
                return None
            parts = self.rendered("breaking", {"article": self.card})
        else:
            section_ids = frozenset(s.pk for s in subscription.sections.all())
            stories = self.stories(section_ids)
            if not stories:
                return None
            date = self.alert.slot.astimezone(subscriber_zone(subscriber))
            parts = self.rendered(
                (section_ids, date.date()), {"stories": stories, "date": date}
            )
        token = subscriptions.unsubscribe_token(subscription, kind)
        unsubscribe_url = emails.absolute(
            self.site, reverse("alerts:unsubscribe", args=[token])
        )
        manage_url = emails.absolute(self.site, subscriptions.manage_path(subscriber))
        email = emails.build(
            self.site,
            tuple(
                part.replace(self.UNSUBSCRIBE, unsubscribe_url).replace(
                    self.MANAGE, manage_url
                )
                for part in parts
            ),
            to=subscriber.email,
            headers=emails.list_headers(
                self.site,
                kind,
                unsubscribe_url,
                token,
            ),
        )
        email.extra_headers["Message-ID"] = (
            f"<alert-{self.alert.pk}.{subscription.pk}@{self.site.hostname}>"
        )
        return email


def claim(alert, worker: str, size: int) -> list[Delivery]:
    now = timezone.now()
    ids = list(
        Delivery.objects.filter(
            alert=alert, status=Delivery.Status.QUEUED, next_attempt_at__lte=now
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:size]
    )
    if not ids:
        return []
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SENDING, claimed_by=worker, claimed_at=now
    )
    return list(
        Delivery.objects.filter(
            pk__in=ids, claimed_by=worker, status=Delivery.Status.SENDING
        )
        .select_related("subscription__subscriber")
        .prefetch_related("subscription__sections")
        .order_by("pk")
    )


def _record(delivery, **fields) -> bool:
    """Record what became of a claimed delivery; False when the claim was taken
    back meanwhile (the row is no longer this worker's to record)."""
    return bool(
        Delivery.objects.filter(pk=delivery.pk, claimed_by=delivery.claimed_by).update(
            **fields
        )
    )


def _sent(delivery) -> bool:
    """Record a message the mail server accepted, which forgives the address its
    earlier failures; False when the claim had been taken back."""
    recorded = _record(
        delivery,
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
        attempts=delivery.attempts + 1,
        error="",
    )
    subscriber = delivery.subscription.subscriber
    if subscriber.failures:
        Subscriber.objects.filter(pk=subscriber.pk).update(failures=0)
    return recorded


def _renew(worker: str) -> None:
    """Start the lease again on every row this worker still holds: a batch that
    takes longer than the lease (a slow mail server, a low NEWSROOM_ALERTS_RATE)
    is not taken back from a worker that is alive."""
    Delivery.objects.filter(claimed_by=worker, status=Delivery.Status.SENDING).update(
        claimed_at=timezone.now()
    )


def _wanted(alert, subscription) -> bool:
    return (
        subscription.confirmed_at is not None
        and getattr(subscription, alert.kind)
        and subscription.subscriber.paused_at is None
    )


def _failure(error) -> tuple[bool, str]:
    """(permanent?, text) for an SMTP error."""
    code = None
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = next(iter(error.recipients.values()))[0]
    elif isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
    text = f"{code or ''} {error}".strip()[:300]
    return (code is not None and 500 <= code < 600), text


# Failures that concern one recipient or message; anything else (a refused
# connection, a lost session, a refused login) is the mail server's and says
# nothing about the address.
RECIPIENT_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)


def _failed(delivery, error, now) -> None:
    permanent, text = _failure(error)
    attempts = delivery.attempts + 1
    if permanent or attempts >= settings.NEWSROOM_ALERTS_MAX_ATTEMPTS:
        _record(delivery, status=Delivery.Status.FAILED, attempts=attempts, error=text)
        if isinstance(error, RECIPIENT_ERRORS):
            subscriber = delivery.subscription.subscriber
            failures = subscriber.failures + 1
            Subscriber.objects.filter(pk=subscriber.pk).update(
                failures=F("failures") + 1,
                paused_at=now
                if failures >= settings.NEWSROOM_ALERTS_PAUSE_AFTER
                else None,
            )
        return
    back_off = settings.NEWSROOM_ALERTS_RETRY_AFTER * 4 ** (attempts - 1)
    _record(
        delivery,
        status=Delivery.Status.QUEUED,
        attempts=attempts,
        error=text,
        claimed_by="",
        claimed_at=None,
        next_attempt_at=now + datetime.timedelta(seconds=back_off),
    )


def _release(worker: str, now) -> None:
    """Give back what this worker still holds, to be tried again after a pause."""
    Delivery.objects.filter(claimed_by=worker, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.QUEUED,
        claimed_by="",
        claimed_at=None,
        next_attempt_at=now
        + datetime.timedelta(seconds=settings.NEWSROOM_ALERTS_RETRY_AFTER),
    )


class BuildError(Exception):
    """The message could not be built (a template or an image failed)."""


def _send(renderer, delivery, connection):
    """Send one delivery; return the error, if any, without recording it."""
    try:
        email = renderer.message(delivery)
    except Exception as error:  # a broken template or image must not stall the run
        logger.exception("Could not build alert %s", renderer.alert.pk)
        return BuildError(f"could not build the message: {error}")
    if email is None:
        return None
    email.connection = connection
    try:
        # Opened here, not by send(): a connection that send() opens it also
        # closes, which would cost a session per message.
        connection.open()
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Alert %s to %s failed: %s", renderer.alert.pk, email.to, error)
        return error
    return True


def send_alert(alert_id: int) -> dict:
    """Fan out if needed, then send every due delivery; return counts by status."""
    alert = Alert.objects.select_related("site", "article__lead_image").get(pk=alert_id)
    fan_out(alert)
    alert.refresh_from_db(fields=["recipients"])
    worker = uuid.uuid4().hex
    renderer = Renderer(alert)
    rate = settings.NEWSROOM_ALERTS_RATE
    renew_every = settings.NEWSROOM_ALERTS_LEASE / LEASE_RENEWALS
    started, sent = time.monotonic(), 0
    connection = get_connection()
    try:
        while batch := claim(alert, worker, settings.NEWSROOM_ALERTS_BATCH):
            renewed = time.monotonic()
            for delivery in batch:
                if time.monotonic() - renewed > renew_every:
                    _renew(worker)
                    renewed = time.monotonic()
                subscription = delivery.subscription
                outcome = (
                    _send(renderer, delivery, connection)
                    if _wanted(alert, subscription)
                    else None
                )
                if outcome is None:  # no longer wanted, or nothing new to send
                    _record(delivery, status=Delivery.Status.SKIPPED)
                    continue
                if outcome is not True:
                    now = timezone.now()
                    _failed(delivery, outcome, now)
                    connection.close()  # start the next message on a fresh session
                    if isinstance(outcome, (smtplib.SMTPException, OSError)) and (
                        not isinstance(outcome, RECIPIENT_ERRORS)
                    ):
                        # The server, not this address: stop, and let the
                        # scheduler resume the alert after a pause.
                        _release(worker, now)
                        return counts(alert)
                    continue
                if not _sent(delivery):
                    # The batch was taken back (`resume_stalled` judged this
                    # worker dead) and may be another worker's by now: sending
                    # the rest of it would send it twice. Claim afresh instead.
                    break
                sent += 1
                if rate:
                    pause = started + sent / rate - time.monotonic()
                    if pause > 0:
                        time.sleep(pause)
    finally:
        connection.close()
    finish(alert)
    return counts(alert)


def finish(alert) -> None:
    open_rows = Delivery.objects.filter(
        alert=alert, status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
    )
    if not open_rows.exists():
        Alert.objects.filter(pk=alert.pk, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )


def counts(alert) -> dict:
    found = dict(
        Delivery.objects.filter(alert=alert)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: found.get(status, 0) for status in Delivery.Status.values}


def resume_stalled(now=None) -> list[int]:
    """Queue again what dead workers held; restart alerts with deliveries due.

    Returns the ids of the alerts restarted."""
    now = now or timezone.now()
    lease = datetime.timedelta(seconds=settings.NEWSROOM_ALERTS_LEASE)
    Delivery.objects.filter(
        status=Delivery.Status.SENDING, claimed_at__lt=now - lease
    ).update(status=Delivery.Status.QUEUED, claimed_by="", claimed_at=None)
    busy = Delivery.objects.filter(status=Delivery.Status.SENDING).values("alert_id")
    due = (
        Alert.objects.filter(finished_at__isnull=True)
        .filter(
            Q(recipients__isnull=True, created_at__lt=now - lease)
            | Q(
                deliveries__status=Delivery.Status.QUEUED,
                deliveries__next_attempt_at__lte=now,
            )
        )
        .exclude(pk__in=busy)
        .values_list("pk", flat=True)
        .distinct()
    )
    restarted = list(due)
    for alert_id in restarted:
        _enqueue(alert_id)
    # Alerts whose last rows ended in failure or were skipped are finished too.
    Alert.objects.filter(finished_at__isnull=True, recipients__isnull=False).exclude(
        deliveries__status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
    ).update(finished_at=now)
    return restarted


def digest_due(subscription, slot) -> bool:
    return (
        slot.astimezone(subscriber_zone(subscription.subscriber)).hour
        == subscription.digest_hour
    )


def schedule_digests(now=None) -> list[Alert]:
    """Start this hour's digest run on every site where it is some subscriber's
    digest hour (in their time zone); other hours record nothing.

    The scheduler calls this every pass; the subscriptions are read once per hour
    (the hour is marked done in the cache after a complete pass)."""
    now = now or timezone.now()
    slot = now.astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0)
    done = f"alerts:digests-scheduled:{slot.isoformat()}"
    if cache.get(done):
        return []
    from wagtail.models import Site

    candidates = Subscription.objects.filter(
        digest=True, confirmed_at__isnull=False, subscriber__paused_at__isnull=True
    ).select_related("subscriber")
    site_ids = {s.site_id for s in candidates.iterator() if digest_due(s, slot)}
    sites = Site.objects.filter(pk__in=site_ids)
    started = [alert for site in sites if (alert := digest_alert_for(site, slot))]
    cache.set(done, True, timeout=2 * 60 * 60)
    return started
