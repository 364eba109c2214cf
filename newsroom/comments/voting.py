"""Votes on comments, and the counts and sort keys kept beside them.

A comment's `up_count`, `down_count`, `best_score` and `controversy` change only
here, together, under the comment's row lock (`_recount`): the counts read under
the lock are the ones the change moves, so racing votes never lose one.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import events, scoring
from .models import Comment, ThreadEvent, Vote
from .services import purge_reader, require_participant

ATTEMPTS = 3  # a reader's two tabs voting at the same moment: the loser tries again


def cast_vote(comment, voter, value: int, *, ip=None) -> tuple[int, int, int]:
    """Vote a comment up (`Vote.Value.UP`) or down (`Vote.Value.DOWN`); the same
    again takes the vote back, the other switches it.

    Returns (up, down, the voter's vote now: a `Vote.Value` or 0). Announces the
    counts to the thread's live readers and purges the voter's overlay. Raises
    ValidationError for any other value, PermissionDenied when the voter may not
    vote (signed out, unverified, suspended, too fast), on their own comment, or on
    one that is not published."""
    require_participant(voter, site=comment.thread.site, action="vote", ip=ip)
    if value not in Vote.Value.values:
        raise ValidationError(_("Vote up or down."))
    if comment.author_id == voter.pk:
        raise PermissionDenied(_("You can't vote on your own comment."))
    if comment.status != Comment.Status.PUBLISHED:
        raise PermissionDenied(_("This comment can't be voted on."))
    for attempt in range(ATTEMPTS):
        try:
            counted = _vote_once(comment, voter, value)
            purge_reader(voter.pk)
            return counted
        except IntegrityError:  # the reader's other tab voted at the same moment
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _vote_once(comment, voter, value):
    with transaction.atomic():
        # Lock the comment first: every vote on it updates this row anyway, and the
        # lock also orders one reader's racing clicks (their vote row may not exist
        # yet, so locking it alone would not).
        rows, ups, downs = _lock(comment.pk)
        existing = (
            Vote.objects.filter(comment=comment, user=voter)
            .values_list("pk", "value")
            .first()
        )
        if existing is None:
            Vote.objects.create(comment=comment, user=voter, value=value)
            before, mine = 0, value
        elif existing[1] == value:
            Vote.objects.filter(pk=existing[0]).delete()
            before, mine = value, 0
        else:
            Vote.objects.filter(pk=existing[0]).update(value=value)
            before, mine = existing[1], value
        ups, downs = _recount(rows, ups, downs, added=mine, taken=before)
        events.record(
            comment.thread_id,
            ThreadEvent.Kind.VOTE,
            {"id": comment.pk, "up": ups, "down": downs},
        )
    comment.up_count, comment.down_count = ups, downs
    return ups, downs, mine


def withdraw_votes(voter) -> int:
    """Take every vote of `voter` off the counts and delete it (their account is
    being deleted). Returns how many there were. Live readers see the counts at
    their next page."""
    votes = list(
        Vote.objects.filter(user=voter).values_list("pk", "comment_id", "value")
    )
    for vote_id, comment_id, value in votes:
        with transaction.atomic():
            rows, ups, downs = _lock(comment_id)
            Vote.objects.filter(pk=vote_id).delete()
            _recount(rows, ups, downs, added=0, taken=value)
    return len(votes)


def _lock(comment_id):
    """The comment's row, locked until the transaction ends, and its counts read
    under the lock. SQLite's IMMEDIATE transactions serialise writers already."""
    rows = Comment.objects.filter(pk=comment_id)
    ups, downs = rows.select_for_update().values_list("up_count", "down_count").get()
    return rows, ups, downs


def _recount(rows, ups: int, downs: int, *, added: int, taken: int) -> tuple[int, int]:
    """Store the counts after one vote `added` and one `taken` away (each a
    Vote.Value, or 0 for none), with the sort keys that follow from them.

        added  taken   up    down
        UP     0       +1
        0      UP      -1
        DOWN   UP      -1    +1      (a switch)
    """
    ups += (added == Vote.Value.UP) - (taken == Vote.Value.UP)
    downs += (added == Vote.Value.DOWN) - (taken == Vote.Value.DOWN)
    rows.update(
        up_count=ups,
        down_count=downs,
        best_score=scoring.best_score(ups, downs),
        controversy=scoring.controversy(ups, downs),
    )
    return ups, downs
