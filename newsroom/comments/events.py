"""A thread's live updates: its events are rows (ThreadEvent), announced on the
thread's channel of `newsroom.live` (`announce`) and heard by the thread's streams
(`Listener`), so any app server can replay them from a reader's `Last-Event-ID`."""

from django.db import connection, transaction
from django.db.models import Max

from newsroom.live.channels import ChannelListener, announce_to

CHANNEL = "newsroom:thread-events:{}"
# PostgreSQL advisory locks are named by two ints: this one's kind, then the thread.
LOCK_KIND = 0x7E7E  # "thread events"


def announce(event) -> None:
    """Wake the streams watching the event's thread (after the event is committed)."""
    announce_to(CHANNEL.format(event.thread_id), event.pk)


def record(thread_id: int, kind: str, data: dict):
    """Log what happened in a thread (a `ThreadEvent` of `kind`) and wake the streams
    watching it once the change commits. Call inside the transaction that made the
    change, so the log and the change commit together."""
    from .models import ThreadEvent

    _in_id_order(thread_id)
    event = ThreadEvent.objects.create(thread_id=thread_id, kind=kind, data=data)
    transaction.on_commit(lambda: announce(event))
    return event


def _in_id_order(thread_id: int) -> None:
    """Make the thread's events commit in the order of their ids.

    A stream resumes after the last id it sent, so an event committed after one
    with a higher id would never reach it: on PostgreSQL two transactions can take
    ids 10 and 11 and commit 11 first. Holding a lock on the thread from here to
    the commit orders them; the event is the last write of its transaction, so the
    lock is short. SQLite has one writer at a time, so its order is already so."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [LOCK_KIND, thread_id & 0x7FFFFFFF],
            )


class NewThreadEvents:
    """Which threads have events the poller has not seen: one query for them all,
    on the primary key's index, however many threads are open."""

    def __init__(self):
        self.last_id: int | None = None

    def __call__(self, keys: set[int]) -> dict[int, int | None]:
        from .models import ThreadEvent

        events = ThreadEvent.objects.order_by()
        if self.last_id is None:  # first look: every open stream reads once
            self.last_id = events.aggregate(last=Max("pk"))["last"] or 0
            return dict.fromkeys(keys)
        latest = dict(
            events.filter(pk__gt=self.last_id)
            .values_list("thread_id")
            .annotate(last=Max("pk"))
        )
        self.last_id = max([self.last_id, *latest.values()])
        return {key: latest[key] for key in keys & latest.keys()}


THREAD_EVENTS = NewThreadEvents()


class Listener(ChannelListener):
    """A ChannelListener for one thread: `async with Listener(thread_id) as news`."""

    def __init__(self, thread_id: int):
        super().__init__(CHANNEL.format(thread_id), poll=THREAD_EVENTS, key=thread_id)
        self.thread_id = thread_id
