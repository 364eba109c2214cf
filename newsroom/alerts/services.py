"""Notifications: stored once per kind and comment, counted, announced, emailed."""

from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from newsroom.edge import keys as surrogate_keys
from newsroom.edge.purge import purge
from newsroom.moderation.selectors import blocking_sanction

from . import live, notices
from .models import MESSAGE_LENGTH, Notification


def _key(user_id) -> str:
    return f"alerts:unread:{user_id}"


def notify(recipient, kind, *, actor=None, comment=None, message: str = "") -> None:
    """Tell a reader something about one of their comments, once per kind and comment.

    Nothing is stored for an inactive (deleted) account, nor for a reader suspended
    or banned where the comment is; `message` (a removal reason) is cut to the
    stored length. The masthead's unread count is counted again and announced to
    the reader's open pages, and the notification is emailed as they chose."""
    if not recipient.is_active:
        return
    site = comment.thread.site if comment is not None else None
    if blocking_sanction(recipient.pk, site):
        return
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                actor=actor,
                comment=comment,
                message=message[:MESSAGE_LENGTH],
            )
    except IntegrityError:  # already told about this comment
        return
    cache.delete(_key(recipient.pk))
    purge(surrogate_keys.reader(recipient.pk))  # their overlay's unread count
    notices.plan_email(notification)
    transaction.on_commit(partial(live.announce, recipient.pk))


def _count_seconds() -> int:
    """How long a reader's unread count is cached.

    With Redis every app server drops a changed count at once. A cache in each
    process's memory (no REDIS_URL) only hears of changes made in that process, so
    there the count lives briefly; the live bell corrects it as soon as it connects.
    """
    return 60 * 60 if settings.REDIS_URL else 30


def unread_count(user) -> int:
    """Read from the cache on every page; counted again only after it changes."""
    if not user.is_authenticated:
        return 0
    count = cache.get(_key(user.pk))
    if count is None:
        count = Notification.objects.filter(
            recipient=user, read_at__isnull=True
        ).count()
        cache.set(_key(user.pk), count, _count_seconds())
    return count


def mark_all_read(user) -> None:
    Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    cache.delete(_key(user.pk))
    purge(surrogate_keys.reader(user.pk))
    transaction.on_commit(partial(live.announce, user.pk))
