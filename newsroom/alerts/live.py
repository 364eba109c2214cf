"""The masthead's unread count, live: a reader's open pages hear when it may change.

Built on the live-update channels (newsroom.live.channels): a change wakes
the reader's streams in this process at once and, with REDIS_URL, on every app server
through Redis pub/sub; without it, the process's poller counts the unread
notifications of every reader with a stream open, in one query, each
newsroom.live.channels.POLL_SECONDS, and wakes those whose count moved.
"""

from django.db.models import Count

from newsroom.live.channels import ChannelListener, announce_to

from .models import Notification

CHANNEL = "newsroom:alerts-unread:{}"


class UnreadCounts:
    """Which readers' unread counts changed since the poller last looked."""

    def __init__(self):
        self.counts: dict[int, int] = {}

    def __call__(self, keys: set[int]) -> dict[int, None]:
        found = dict(
            Notification.objects.filter(recipient_id__in=keys, read_at__isnull=True)
            .order_by()
            .values_list("recipient_id")
            .annotate(unread=Count("pk"))
        )
        counts = {user_id: found.get(user_id, 0) for user_id in keys}
        # A reader not counted before is woken too: their stream counted first.
        changed = [
            key for key, count in counts.items() if self.counts.get(key) != count
        ]
        self.counts = counts
        return dict.fromkeys(changed)


UNREAD_COUNTS = UnreadCounts()


def announce(user_id: int) -> None:
    """Tell the reader's open pages that their unread count may have changed.

    Call it once the change is committed (`transaction.on_commit`); the streams
    count again, so announcing without a change costs one count and sends nothing.
    """
    announce_to(CHANNEL.format(user_id))


def listener(user_id: int) -> ChannelListener:
    """Wakes on the reader's announcements: `async with listener(pk) as news`."""
    return ChannelListener(CHANNEL.format(user_id), poll=UNREAD_COUNTS, key=user_id)


async def unread_now(user_id: int) -> int:
    """The reader's unread count from the database, for a stream.

    Not services.unread_count's cached value: without REDIS_URL each worker process
    caches on its own, and a stream must see a change made in another worker.
    """
    return await Notification.objects.filter(
        recipient_id=user_id, read_at__isnull=True
    ).acount()
