"""Votes on comments, and the counts and sort keys kept beside them.

A request states the vote the reader wants (up, down or none), so the same request
twice leaves the same state: a double-submitted click or a retried request cannot
flip a vote back.

A comment's `up_count`, `down_count`, `best_score` and `controversy` change only
here, together, under the comment's row lock (`_recount`): the counts read under
the lock are the ones the change moves, so racing votes never lose one. The counts
count the votes that are not discounted (`Vote.is_discounted`, a moderator's
decision on coordinated voting: `discount_votes`, `restore_votes`).
"""

import ipaddress
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from . import events, scoring, signals
from .models import Comment, ThreadEvent, Vote
from .services import purge_reader, require_participant

logger = logging.getLogger(__name__)

ATTEMPTS = 3  # a reader's two tabs voting at the same moment: the loser tries again
NO_VOTE = 0  # the vote a reader asks for to have none, and what `mine` is then
CHOICES = {"up": Vote.Value.UP, "down": Vote.Value.DOWN, "none": NO_VOTE}
NAMES = {value: name for name, value in CHOICES.items()}
HASH_CHARS = 16  # 64 bits of the keyed hash: collisions are negligible per comment


def cast_vote(
    comment, voter, value: int, *, ip=None, user_agent: str = "", now=None
) -> tuple[int, int, int]:
    """Make the voter's vote on a comment `value`: `Vote.Value.UP`, `Vote.Value.DOWN`
    or `NO_VOTE` (take it back). Asking for the vote the reader already has changes
    nothing.

    Returns (up, down, the voter's vote now: a `Vote.Value` or NO_VOTE). Announces
    the counts to the thread's live readers and purges the voter's overlay; after
    the commit, sends `signals.vote_cast` with the keyed hashes of the voter's
    network and browser (kept on the vote, see `signal_hash`). Raises
    ValidationError for any other value, PermissionDenied when the voter may not
    vote (signed out, unverified, suspended, too fast), on their own comment, or on
    one that is not published."""
    require_participant(voter, site=comment.thread.site, action="vote", ip=ip)
    if value not in (*Vote.Value.values, NO_VOTE):
        raise ValidationError(_("Vote up or down."))
    if comment.author_id == voter.pk:
        raise PermissionDenied(_("You can't vote on your own comment."))
    if comment.status != Comment.Status.PUBLISHED:
        raise PermissionDenied(_("This comment can't be voted on."))
    now = now or timezone.now()
    signs = {"network": network_hash(ip), "device": signal_hash("device", user_agent)}
    for attempt in range(ATTEMPTS):
        try:
            counted = _vote_once(comment, voter, value, now=now, signs=signs)
            purge_reader(voter.pk)
            return counted
        except IntegrityError:  # the reader's other tab voted at the same moment
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _vote_once(comment, voter, value, *, now, signs):
    with transaction.atomic():
        # Lock the comment first: every vote on it updates this row anyway, and the
        # lock also orders one reader's racing clicks (their vote row may not exist
        # yet, so locking it alone would not).
        rows, ups, downs = _lock(comment.pk)
        existing = (
            Vote.objects.filter(comment=comment, user=voter)
            .values_list("pk", "value", "is_discounted")
            .first()
        )
        had, discounted = (existing[1], existing[2]) if existing else (NO_VOTE, False)
        if had == value:  # asked again: nothing to change, nothing to announce
            comment.up_count, comment.down_count = ups, downs
            return ups, downs, value
        if existing is None:
            Vote.objects.create(
                comment=comment, user=voter, value=value, created_at=now, **signs
            )
        elif value == NO_VOTE:
            Vote.objects.filter(pk=existing[0]).delete()
        else:
            Vote.objects.filter(pk=existing[0]).update(value=value, **signs)
        # A discounted vote stays off the counts whichever way it points.
        ups, downs = _recount(
            rows,
            ups,
            downs,
            added=NO_VOTE if discounted else value,
            taken=NO_VOTE if discounted else had,
        )
        events.record(
            comment.thread_id,
            ThreadEvent.Kind.VOTE,
            {"id": comment.pk, "up": ups, "down": downs},
        )
        if value != NO_VOTE:
            transaction.on_commit(
                lambda: _announce_vote(comment, voter, value, now=now, signs=signs)
            )
    comment.up_count, comment.down_count = ups, downs
    return ups, downs, value


def _announce_vote(comment, voter, value, *, now, signs) -> None:
    """Tell the listeners of `vote_cast` (moderation's coordinated-voting rule). The
    vote is already counted: a listener's failure is logged, never the reader's."""
    answers = signals.vote_cast.send_robust(
        sender=Vote, comment=comment, voter=voter, value=value, at=now, **signs
    )
    for receiver, answer in answers:
        if isinstance(answer, Exception):
            logger.error("vote_cast receiver %r failed", receiver, exc_info=answer)


def signal_hash(kind: str, value: str) -> str:
    """A keyed hash of what a vote's request said about its sender ("" for
    nothing): equal for equal values, meaningless without the site's SECRET_KEY,
    so the stored hash tells who shares a network or a browser, not which."""
    if not value:
        return ""
    digest = salted_hmac(f"newsroom.comments.vote.{kind}", value, algorithm="sha256")
    return digest.hexdigest()[:HASH_CHARS]


def network_of(ip) -> str:
    """The network an address belongs to, as the coordinated-voting rule groups
    them: its NEWSROOM_VOTE_NETWORK_IPV4_PREFIX (24) or _IPV6_PREFIX (48) bits,
    e.g. "203.0.113.0/24"; "" for no address or one that is not an address."""
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return ""
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.version == 4:
        bits = _bits(settings.NEWSROOM_VOTE_NETWORK_IPV4_PREFIX, 8, 32)
    else:
        bits = _bits(settings.NEWSROOM_VOTE_NETWORK_IPV6_PREFIX, 16, 128)
    return str(ipaddress.ip_network(f"{address}/{bits}", strict=False))


def _bits(wanted: int, least: int, most: int) -> int:
    """A prefix length `manage.py check` may have found out of range, brought in."""
    return min(max(wanted, least), most)


def network_hash(ip) -> str:
    return signal_hash("network", network_of(ip))


def withdraw_votes(voter) -> int:
    """Take every vote of `voter` off the counts and delete it (their account is
    being deleted). Returns how many there were. Live readers see the counts at
    their next page."""
    votes = list(
        Vote.objects.filter(user=voter).values_list(
            "pk", "comment_id", "value", "is_discounted"
        )
    )
    for vote_id, comment_id, value, discounted in votes:
        with transaction.atomic():
            rows, ups, downs = _lock(comment_id)
            Vote.objects.filter(pk=vote_id).delete()
            _recount(rows, ups, downs, added=NO_VOTE, taken=0 if discounted else value)
    return len(votes)


def discount_votes(comment, *, user_ids) -> int:
    """Take these readers' votes on the comment off its counts (a moderator found
    them coordinated); each stays the reader's vote. Returns how many votes went
    off the counts (0: none was counted). Announces the counts to live readers."""
    return _set_discounted(comment, user_ids, discounted=True)


def restore_votes(comment, *, user_ids) -> int:
    """Count again these readers' discounted votes on the comment (undoing
    `discount_votes`). Returns how many came back. Announces the counts."""
    return _set_discounted(comment, user_ids, discounted=False)


def _set_discounted(comment, user_ids, *, discounted: bool) -> int:
    with transaction.atomic():
        rows, ups, downs = _lock(comment.pk)
        votes = Vote.objects.filter(
            comment_id=comment.pk,
            user_id__in=list(user_ids),
            is_discounted=not discounted,
        )
        moved = dict(votes.order_by().values_list("value").annotate(n=Count("pk")))
        if not moved:
            return 0
        votes.update(is_discounted=discounted)
        sign = -1 if discounted else 1
        ups += sign * moved.get(Vote.Value.UP, 0)
        downs += sign * moved.get(Vote.Value.DOWN, 0)
        _store(rows, ups, downs)
        events.record(
            comment.thread_id,
            ThreadEvent.Kind.VOTE,
            {"id": comment.pk, "up": ups, "down": downs},
        )
    comment.up_count, comment.down_count = ups, downs
    return sum(moved.values())


def _lock(comment_id):
    """The comment's row, locked until the transaction ends, and its counts read
    under the lock. SQLite's IMMEDIATE transactions serialise writers already."""
    rows = Comment.objects.filter(pk=comment_id)
    ups, downs = rows.select_for_update().values_list("up_count", "down_count").get()
    return rows, ups, downs


def _recount(rows, ups: int, downs: int, *, added: int, taken: int) -> tuple[int, int]:
    """Store the counts after one vote `added` and one `taken` away (each a
    Vote.Value, or NO_VOTE), with the sort keys that follow from them.

        added  taken   up    down
        UP     0       +1
        0      UP      -1
        DOWN   UP      -1    +1      (a switch)
    """
    ups += (added == Vote.Value.UP) - (taken == Vote.Value.UP)
    downs += (added == Vote.Value.DOWN) - (taken == Vote.Value.DOWN)
    _store(rows, ups, downs)
    return ups, downs


def _store(rows, ups: int, downs: int) -> None:
    rows.update(
        up_count=ups,
        down_count=downs,
        best_score=scoring.best_score(ups, downs),
        controversy=scoring.controversy(ups, downs),
    )
