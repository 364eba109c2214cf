"""The scheduler's share (newsroom.scheduler.jobs): poll every wire feed that is due.

A feed is claimed before it is polled, by moving its `next_attempt_at` forward in
one conditional UPDATE, so two schedulers never poll one feed at once. A feed that
fails (no answer, an HTTP error, an unreadable document) records the error and is
retried after RETRY_FIRST, doubling each time up to RETRY_MOST; it never stops the
other feeds. Its ETag and Last-Modified are kept only once every entry has been
taken, so a poll interrupted half-way fetches the whole feed again.
"""

import dataclasses
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urljoin

from django.db.models import F, Q
from django.utils import timezone

from . import fetching, ingest
from .models import WireFeed
from .parsing import FeedError, parse

logger = logging.getLogger(__name__)

RETRY_FIRST = timedelta(minutes=1)  # an agency's hiccup often lasts seconds
RETRY_MOST = timedelta(hours=6)  # a dead feed is still tried four times a day
ERROR_LENGTH = 2000


@dataclass
class Poll:
    """What one poll of a feed did."""

    feed: WireFeed
    counts: dict = field(default_factory=dict)  # ingest outcome -> how many
    not_modified: bool = False
    error: str = ""
    notes: list = field(default_factory=list)  # photos that could not be had

    def summary(self) -> str:
        if self.error:
            return f"failed: {self.error}"
        if self.not_modified:
            return "not modified"
        parts = [
            f"{self.counts.get(outcome, 0)} {outcome}"
            for outcome in (ingest.NEW, ingest.UPDATED, ingest.KILLED)
        ]
        return ", ".join(parts) + "".join(f"; {note}" for note in self.notes)


def poll_due(now: datetime) -> str:
    """Poll every enabled feed whose next attempt is due; a line for the log."""
    due = WireFeed.objects.filter(is_enabled=True).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    polls = []
    for feed in due.select_related("agency", "section", "site"):
        try:
            poll = poll_feed(feed, now=now)
        except Exception:  # a bug in one feed's poll must not stop the others
            logger.exception("Polling the wire feed %s failed", feed.pk)
            continue
        if poll is not None:
            polls.append(poll)
    if not polls:
        return ""
    return "wire: " + "; ".join(f"{poll.feed.name}: {poll.summary()}" for poll in polls)


def claim(feed: WireFeed, *, now: datetime) -> bool:
    """Take the feed for this poll; False when another scheduler has it or it is
    not due."""
    claimed = (
        WireFeed.objects.filter(pk=feed.pk, is_enabled=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + feed.interval, last_polled_at=now)
    )
    return claimed == 1


def poll_feed(feed: WireFeed, *, now: datetime | None = None) -> Poll | None:
    """Fetch `feed` (conditionally) and take its entries; None if not claimed.

    Records the outcome on the feed: its last result, error and next attempt.
    """
    now = now or timezone.now()
    if not claim(feed, now=now):
        return None
    poll, fetched = Poll(feed), None
    try:
        fetched = fetching.fetch(
            feed.url, etag=feed.etag, last_modified=feed.last_modified
        )
        if fetched is None:
            poll.not_modified = True
        else:
            _take(poll, parse(feed.format, fetched.body), now=now)
    except (fetching.FetchError, FeedError) as error:
        poll.error = str(error)
    except Exception as error:  # the database, or a bug: recorded, retried
        logger.exception("Taking the wire feed %s failed", feed.pk)
        poll.error = f"{type(error).__name__}: {error}"
    if poll.error:
        _record_failure(feed, poll, now=now)
    else:
        _record_success(feed, poll, fetched, now=now)
    return poll


def _take(poll: Poll, entries, *, now) -> None:
    feed = poll.feed
    for entry in entries:
        if not ingest.is_news(feed, entry):
            continue
        image = None
        if entry.photo and not entry.is_killed:
            # A photo's address may be relative to the feed's (so a feed can be
            # served from anywhere with its pictures beside it).
            photo = dataclasses.replace(
                entry.photo, url=urljoin(feed.url, entry.photo.url)
            )
            try:
                image = ingest.lead_image(feed, photo, headline=entry.headline, now=now)
            except fetching.FetchError as error:
                poll.notes.append(f"photo skipped: {error}")
        outcome = ingest.take_entry(feed, entry, image=image, now=now)
        poll.counts[outcome] = poll.counts.get(outcome, 0) + 1


def _record_success(feed: WireFeed, poll: Poll, fetched, *, now) -> None:
    changes = {
        "failure_count": 0,
        "last_error": "",
        "last_result": poll.summary()[:255],
        "next_attempt_at": now + feed.interval,
        "items_taken_count": F("items_taken_count") + poll.counts.get(ingest.NEW, 0),
    }
    if fetched is not None:
        changes["etag"] = fetched.etag
        changes["last_modified"] = fetched.last_modified
    WireFeed.objects.filter(pk=feed.pk).update(**changes)


def _record_failure(feed: WireFeed, poll: Poll, *, now) -> None:
    failures = feed.failure_count + 1
    WireFeed.objects.filter(pk=feed.pk).update(
        failure_count=F("failure_count") + 1,
        last_error=poll.error[:ERROR_LENGTH],
        last_error_at=now,
        last_result=poll.summary()[:255],
        next_attempt_at=now + retry_after(failures),
    )


def retry_after(failures: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the 1st, 2nd, 3rd, 4th failure, at most 6 hours."""
    return min(RETRY_FIRST * 2 ** min(failures - 1, 20), RETRY_MOST)
