"""Emailing notifications: at once, in a daily summary, or not at all.

A notification that should be emailed is marked due (`Notification.Email.DUE`)
when it is stored. Sending claims it first (due → sending, one conditional UPDATE),
so a task that runs twice sends once; the outcome is recorded as sent or failed."""

import logging
import smtplib
import zoneinfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from . import emails
from .models import EmailPreference, Notification

logger = logging.getLogger(__name__)

SUMMARY_LIMIT = 50


def frequency_of(user) -> str:
    found = (
        EmailPreference.objects.filter(user=user)
        .values_list("frequency", flat=True)
        .first()
    )
    return found or EmailPreference.Frequency.IMMEDIATELY


def set_frequency(user, frequency: str) -> None:
    EmailPreference.objects.update_or_create(
        user=user, defaults={"frequency": frequency}
    )


def verified_address(user) -> str | None:
    """Where notification emails go: the primary address, once verified."""
    found = (
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "pk")
        .values_list("email", flat=True)
        .first()
    )
    return found


def plan_email(notification) -> None:
    """Mark a just-stored notification for email as the reader chose."""
    recipient = notification.recipient
    frequency = frequency_of(recipient)
    if frequency == EmailPreference.Frequency.OFF or not verified_address(recipient):
        return
    Notification.objects.filter(pk=notification.pk).update(email=Notification.Email.DUE)
    if frequency == EmailPreference.Frequency.IMMEDIATELY:
        from .tasks import email_notification

        pk = notification.pk
        transaction.on_commit(lambda: email_notification.enqueue(pk))


def _site_of(notification) -> Site:
    comment = notification.comment
    site = comment.thread.site if comment is not None else None
    return site or Site.objects.get(is_default_site=True)


def _item(notification, site) -> dict:
    comment = notification.comment
    article = comment.thread.page if comment is not None else None
    return {
        "notice": notification,
        "kind": notification.get_kind_display(),
        "actor": notification.actor.get_username() if notification.actor else "",
        "message": notification.message,
        "article": article.title if article is not None else "",
        "excerpt": (comment.body[:200] if comment is not None else ""),
        "url": emails.absolute(
            site,
            reverse("comments:permalink", args=[comment.pk])
            if comment is not None and notification.kind != Notification.Kind.REMOVED
            else reverse("alerts:notifications"),
        ),
    }


def _context(user, site, notices) -> dict:
    return {
        **emails.brand(site),
        "display_name": user.get_username(),
        "items": [_item(notice, site) for notice in notices],
        "notifications_url": emails.absolute(site, reverse("alerts:notifications")),
        "manage_url": emails.absolute(site, reverse("alerts:manage")),
    }


def _deliver(message, pks) -> str:
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not email notifications %s", pks)
        Notification.objects.filter(pk__in=pks).update(email=Notification.Email.FAILED)
        return "failed"
    Notification.objects.filter(pk__in=pks).update(email=Notification.Email.SENT)
    return "sent"


def email_one(notification_id: int) -> str:
    claimed = Notification.objects.filter(
        pk=notification_id, email=Notification.Email.DUE
    ).update(email=Notification.Email.SENDING)
    if not claimed:
        return "already handled"
    notice = Notification.objects.select_related(
        "recipient", "actor", "comment__thread__page", "comment__thread__site"
    ).get(pk=notification_id)
    user = notice.recipient
    address = verified_address(user) if user.is_active else None
    if address is None or frequency_of(user) == EmailPreference.Frequency.OFF:
        Notification.objects.filter(pk=notice.pk).update(email=Notification.Email.NONE)
        return "not wanted"
    site = _site_of(notice)
    message = emails.message(
        "alerts/email/notification", _context(user, site, [notice]), to=address
    )
    return _deliver(message, [notice.pk])


def send_daily_summaries(now=None) -> int:
    """Email each daily-summary reader their due notifications, at the summary
    hour in their own time zone. Returns how many summaries went out."""
    now = now or timezone.now()
    readers = (
        get_user_model()
        .objects.filter(
            notifications__email=Notification.Email.DUE,
            notification_email__frequency=EmailPreference.Frequency.DAILY,
            is_active=True,
        )
        .select_related("profile")
        .distinct()
    )
    sent = 0
    for user in readers:
        zone_name = getattr(getattr(user, "profile", None), "time_zone", "")
        try:
            zone = zoneinfo.ZoneInfo(zone_name or settings.TIME_ZONE)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        if now.astimezone(zone).hour != settings.NEWSROOM_NOTIFICATION_SUMMARY_HOUR:
            continue
        if summarise(user) == "sent":
            sent += 1
    return sent


def summarise(user) -> str:
    pks = list(
        Notification.objects.filter(recipient=user, email=Notification.Email.DUE)
        .order_by("-created_at")
        .values_list("pk", flat=True)[:SUMMARY_LIMIT]
    )
    claimed = Notification.objects.filter(
        pk__in=pks, email=Notification.Email.DUE
    ).update(email=Notification.Email.SENDING)
    if not claimed:
        return "nothing due"
    notices = list(
        Notification.objects.filter(pk__in=pks, email=Notification.Email.SENDING)
        .select_related("actor", "comment__thread__page", "comment__thread__site")
        .order_by("-created_at")
    )
    address = verified_address(user)
    if address is None:
        Notification.objects.filter(pk__in=pks).update(email=Notification.Email.NONE)
        return "not wanted"
    site = _site_of(notices[0])
    message = emails.message(
        "alerts/email/summary", _context(user, site, notices), to=address
    )
    return _deliver(message, [notice.pk for notice in notices])
