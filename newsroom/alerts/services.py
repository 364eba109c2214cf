from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import MESSAGE_LENGTH, Notification


def _key(user_id) -> str:
    return f"alerts:unread:{user_id}"


def notify(recipient, kind, *, actor=None, comment=None, message: str = "") -> None:
    """Tell a reader something about one of their comments, once per kind and comment.

    Nothing is stored for an inactive account; `message` (a removal reason) is cut to
    the stored length. The unread count in the masthead is counted again."""
    if not recipient.is_active:
        return
    try:
        with transaction.atomic():
            Notification.objects.create(
                recipient=recipient,
                kind=kind,
                actor=actor,
                comment=comment,
                message=message[:MESSAGE_LENGTH],
            )
    except IntegrityError:  # already told about this comment
        return
    cache.delete(_key(recipient.pk))


def unread_count(user) -> int:
    """Read from the cache on every page; counted again only after it changes."""
    if not user.is_authenticated:
        return 0
    count = cache.get(_key(user.pk))
    if count is None:
        count = Notification.objects.filter(
            recipient=user, read_at__isnull=True
        ).count()
        cache.set(_key(user.pk), count, 60 * 60)
    return count


def mark_all_read(user) -> None:
    Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    cache.delete(_key(user.pk))
