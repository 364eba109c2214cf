"""Signals other apps listen to; comments never import those apps.

``comment_quoted``
    Sent after a comment that quotes others is published, once per quoted author
    (never to the comment's own author): ``comment``, ``recipient`` (a user) and
    ``sources`` (the quoted comments of that author). The alerts app turns it into
    a notification.

``check_participation``
    Sent before a reader comments or votes: ``user``, ``site`` (may be None),
    ``action`` (``"comment"`` or ``"vote"``), ``ip`` and ``peek`` (True when only
    asking, to show the comment box or not: nothing is counted against limits).
    A receiver returns a message saying why the reader may not (a suspension), a
    PermissionDenied to raise instead (a rate limit's ``RateLimited``, which says
    how long to wait), or ``""``. The first answer refuses the action.

``screen_comment``
    Sent with a `Submission` before a new or edited comment is saved. Receivers
    return a list of `Verdict` (the moderation app runs its rules in order and
    stops at the first rejection). The strongest verdict decides: reject, then
    confirm (ask the author to reconsider), then hold (save it awaiting review),
    then publish.

``comment_screened``
    Sent inside the saving transaction with ``comment`` and ``verdicts``, so the
    moderation app can record the rules a comment tripped and its scores.

``comment_removed``
    Sent after a moderator removes a comment: ``comment`` and ``reason`` (the text
    the thread shows). The alerts app tells the author.

``comment_picked``
    Sent after a comment becomes an editor's pick: ``comment``.

``vote_cast``
    Sent after a vote up or down is committed (a new vote or a switch; not a vote
    taken back, nor one asked for again): ``comment``, ``voter``, ``value`` (a
    `Vote.Value`), ``at`` (the vote's time), ``network`` and ``device`` (the keyed
    hashes `voting.signal_hash` stored on the vote, "" when unknown). The
    moderation app looks for coordinated voting. Sent robustly: a receiver's error
    is logged and the vote stands.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.dispatch import Signal

comment_quoted = Signal()
check_participation = Signal()
screen_comment = Signal()
comment_screened = Signal()
comment_removed = Signal()
comment_picked = Signal()
vote_cast = Signal()


class Action(StrEnum):
    """What a screening rule asks for, weakest first: the strongest answer wins."""

    PUBLISH = "publish"
    HOLD = "hold"  # for a moderator to decide
    CONFIRM = "confirm"  # the author is asked to reconsider
    REJECT = "reject"


PUBLISH, HOLD, CONFIRM, REJECT = Action
STRENGTH = {action: rank for rank, action in enumerate(Action)}


@dataclass(frozen=True)
class Verdict:
    """One rule's answer about a comment.

    ``rule`` names the rule for moderators ("suspect word", "links"); ``message`` is
    for the author (a rejection or a request to reconsider) or, for a hold, for the
    moderators; ``score`` is what a classifier measured, if anything.
    """

    action: Action
    rule: str
    message: str = ""
    score: float | None = None


@dataclass
class Submission:
    """What a reader asks to publish, sent with `screen_comment`."""

    author: object
    page: object
    thread: object
    body: str  # as written, quotes included
    text: str  # the author's own words only
    ip: str | None = None
    comment: object = None  # the comment being edited, or None for a new one
    confirmed: bool = False  # the author chose to post after being asked to reconsider
    verdicts: list = field(default_factory=list)


def strongest(verdicts) -> Action:
    return max((v.action for v in verdicts), key=STRENGTH.__getitem__, default=PUBLISH)
