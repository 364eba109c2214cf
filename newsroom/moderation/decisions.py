"""A moderator's decisions: on a comment in the queue, and on one article's switches.

These are what moderators' views (and the API, the demo) call. Each checks that the
user is a moderator, calls the comments' own action of the same name
(`newsroom.comments.transitions`, which moves the comment along its status table),
closes the comment's open reports, and writes one `LogEntry`, all in one
transaction and only when the comment changed. Every one returns False when there
was nothing to do (the comment was not in a status the action applies to: another
moderator decided first), raises PermissionDenied for a user who is not a moderator
and ValidationError for a bad removal message.

Code that is not a moderator's decision (reports hiding a comment, account deletion)
calls `newsroom.comments.transitions` directly: nothing is logged.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.comments import transitions, voting

from .models import (
    ArticleRules,
    CommentReview,
    LogEntry,
    RemovalReason,
    Report,
    VoteRing,
)
from .services import log_action, require_moderator

DEFAULT_REMOVAL = (
    "This comment has been removed for violating our community guidelines."
)
REMOVAL_MESSAGE_MAX = 300  # Comment.removal_reason's length
SLOW_MODE_MAX_SECONDS = 86_400  # a day between two comments of one reader


def _decided(comment, now, *, resolve_reports=True) -> None:
    """The comment's review is over: how long it waited, and its reports closed."""
    review, _created = CommentReview.objects.get_or_create(comment=comment)
    changes = {"decided_at": now}
    if review.waiting_since is not None:
        changes["waited"] = now - review.waiting_since
        changes["waiting_since"] = None
    if resolve_reports:
        changes["open_reports"] = 0
        Report.objects.filter(comment=comment, resolved_at__isnull=True).update(
            resolved_at=now
        )
    CommentReview.objects.filter(pk=review.pk).update(**changes)


def approve_comment(comment, *, moderator, now=None) -> bool:
    """Publish a comment held for review (transitions.approve_comment)."""
    require_moderator(moderator)
    now = now or timezone.now()
    with transaction.atomic():
        if not transitions.approve_comment(comment, now=now):
            return False
        _decided(comment, now)
        log_action(moderator, LogEntry.Action.APPROVE, comment=comment)
    return True


def dismiss_reports(comment, *, moderator, now=None) -> bool:
    """The reports were unfounded: the comment stays, the reports close."""
    require_moderator(moderator)
    now = now or timezone.now()
    with transaction.atomic():
        count = Report.objects.filter(comment=comment, resolved_at__isnull=True).count()
        if not count:
            return False
        _decided(comment, now)
        log_action(
            moderator,
            LogEntry.Action.DISMISS,
            comment=comment,
            details={"reports": count},
        )
    return True


def removal_text(reason_id=None, custom: str = "") -> tuple[str, str]:
    """(what moderators chose, what the thread shows) for a removal: a removal
    reason, the moderator's own message, or the community guidelines' default.
    Raises ValidationError for a message too long or a reason that is gone."""
    custom = (custom or "").strip()
    if len(custom) > REMOVAL_MESSAGE_MAX:
        raise ValidationError(
            _("A removal message can be at most 300 characters; this one has %(n)d.")
            % {"n": len(custom)}
        )
    if reason_id:
        chosen = RemovalReason.objects.filter(pk=reason_id).first()
        if chosen is None:
            raise ValidationError(_("That removal reason no longer exists."))
        return chosen.title, custom or chosen.message
    if custom:
        return _("Custom message"), custom
    return _("Community guidelines"), _(DEFAULT_REMOVAL)


def remove_comment(
    comment, *, moderator, reason_id=None, custom: str = "", now=None
) -> bool:
    """Take a comment down with the message `removal_text` gives
    (transitions.remove_comment, which tells the author)."""
    require_moderator(moderator)
    title, shown = removal_text(reason_id, custom)
    now = now or timezone.now()
    with transaction.atomic():
        if not transitions.remove_comment(comment, reason=shown):
            return False
        _decided(comment, now)
        log_action(
            moderator,
            LogEntry.Action.REMOVE,
            comment=comment,
            reason=shown,
            details={"reason": title},
        )
    return True


def restore_comment(comment, *, moderator, now=None) -> bool:
    """Undo a removal (transitions.restore_comment)."""
    require_moderator(moderator)
    now = now or timezone.now()
    with transaction.atomic():
        if not transitions.restore_comment(comment, now=now):
            return False
        _decided(comment, now)
        log_action(moderator, LogEntry.Action.RESTORE, comment=comment)
    return True


def pick_comment(comment, *, moderator) -> bool:
    """Make a published comment an editor's pick (transitions.pick_comment, which
    tells the author). Its reports stay open."""
    require_moderator(moderator)
    with transaction.atomic():
        if not transitions.pick_comment(comment):
            return False
        log_action(moderator, LogEntry.Action.PICK, comment=comment)
    return True


def unpick_comment(comment, *, moderator) -> bool:
    """Take a comment off the editor's picks (transitions.unpick_comment)."""
    require_moderator(moderator)
    with transaction.atomic():
        if not transitions.unpick_comment(comment):
            return False
        log_action(moderator, LogEntry.Action.UNPICK, comment=comment)
    return True


def set_article_rules(
    page, *, moderator, premoderate: bool, slow_mode_seconds: int
) -> ArticleRules:
    """Hold every new comment on one article, or slow its readers down. Logged only
    when a switch changed; returns the article's rules as they now stand."""
    require_moderator(moderator)
    if not 0 <= slow_mode_seconds <= SLOW_MODE_MAX_SECONDS:
        raise ValidationError(_("Slow mode can be from 0 seconds to one day."))
    with transaction.atomic():
        rules, _created = ArticleRules.objects.get_or_create(page=page)
        if (rules.premoderate, rules.slow_mode_seconds) == (
            premoderate,
            slow_mode_seconds,
        ):
            return rules
        ArticleRules.objects.filter(pk=rules.pk).update(
            premoderate=premoderate,
            slow_mode_seconds=slow_mode_seconds,
            changed_at=timezone.now(),
        )
        log_action(
            moderator,
            LogEntry.Action.ARTICLE,
            site=page.get_site(),
            details={
                "page": page.pk,
                "title": page.title,
                "premoderate": premoderate,
                "slow_mode_seconds": slow_mode_seconds,
            },
        )
    rules.refresh_from_db()
    return rules


# Coordinated votes (rings.py) ---------------------------------------------------------


def discount_votes(ring, *, moderator, now=None) -> bool:
    """Take the ring's votes off the comment's counts (voting.discount_votes): the
    shown score and the stored counts leave them out; each stays its reader's
    vote. From an open ring, or one left counted before."""
    return _decide_ring(
        ring,
        moderator=moderator,
        now=now,
        before=(VoteRing.Status.OPEN, VoteRing.Status.CLEARED),
        after=VoteRing.Status.DISCOUNTED,
        action=LogEntry.Action.DISCOUNT,
    )


def restore_votes(ring, *, moderator, now=None) -> bool:
    """Count a discounted ring's votes again (voting.restore_votes), except those
    another discounted ring on the comment still holds off."""
    return _decide_ring(
        ring,
        moderator=moderator,
        now=now,
        before=(VoteRing.Status.DISCOUNTED,),
        after=VoteRing.Status.CLEARED,
        action=LogEntry.Action.RECOUNT,
    )


def clear_ring(ring, *, moderator, now=None) -> bool:
    """The votes look genuine: close the flag and leave them counted."""
    return _decide_ring(
        ring,
        moderator=moderator,
        now=now,
        before=(VoteRing.Status.OPEN,),
        after=VoteRing.Status.CLEARED,
        action=LogEntry.Action.CLEAR,
    )


def _decide_ring(ring, *, moderator, now, before, after, action) -> bool:
    """Move the ring from a status in `before` to `after` (a conditional UPDATE, so
    two moderators acting at once decide once), change its votes, log it."""
    require_moderator(moderator)
    now = now or timezone.now()
    with transaction.atomic():
        moved = VoteRing.objects.filter(pk=ring.pk, status__in=before).update(
            status=after, decided_at=now
        )
        if not moved:
            return False
        comment = ring.comment
        members = list(ring.members.exclude(user=None).values_list("user_id", "name"))
        user_ids = [user_id for user_id, _name in members]
        votes = 0
        if action == LogEntry.Action.DISCOUNT:
            votes = voting.discount_votes(comment, user_ids=user_ids)
        elif action == LogEntry.Action.RECOUNT:
            held = set(
                VoteRing.objects.filter(
                    comment_id=comment.pk, status=VoteRing.Status.DISCOUNTED
                )
                .exclude(pk=ring.pk)
                .values_list("members__user_id", flat=True)
            )
            votes = voting.restore_votes(
                comment, user_ids=[u for u in user_ids if u not in held]
            )
        log_action(
            moderator,
            action,
            comment=comment,
            details={
                "ring": ring.pk,
                "link": ring.link,
                "vote": "up" if ring.value > 0 else "down",
                "accounts": [name for _user_id, name in members],
                "votes": votes,
                "counts": [comment.up_count, comment.down_count],
            },
        )
    ring.status, ring.decided_at = after, now
    return True
