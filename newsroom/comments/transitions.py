"""What becomes of a comment after it is posted: the status transition table, and the
named actions that follow it.

Each action may move a comment only along its rows of `TRANSITIONS`:

    action            from        to
    approve_comment   pending     published   a held comment appears, by its time
    hold_comment      published   pending     hidden until a moderator decides
    remove_comment    published   removed     a moderator's removal: a placeholder
                      pending     removed     held after readers saw it: the same
                      pending     rejected    never seen: no placeholder
    restore_comment   removed     published   the removal undone, in its old place
                      rejected    published
    retract_comment   published   deleted     its author takes it back: a placeholder
                      pending     deleted     never seen: the row goes, no trace
    pick_comment      published   published   an editor's pick; the status stays
    edit_comment      published   published   the author's edit (posting.edit_comment)
                      published   pending     an edit screening holds
                      pending     pending

`unpick_comment` is in no row: taking the mark off needs no status.

These are the comments' own actions, for any caller: account deletion, reports
reaching their threshold, the author's deletion. A moderator's decision goes through
`newsroom.moderation.decisions`, which checks the moderator, closes the reports and
writes the moderation log, then calls the action here.

Every action runs in one transaction, moves the status with a conditional UPDATE
(`move`) so that two moderators deciding at once change the comment once, and returns
False when the comment was not in a status the action applies to.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.edge import keys as surrogate_keys
from newsroom.edge.purge import purge

from . import events, signals
from .models import Comment, Quote, Thread, ThreadEvent

Status = Comment.Status

APPROVE = "approve_comment"
HOLD = "hold_comment"
REMOVE = "remove_comment"
RESTORE = "restore_comment"
RETRACT = "retract_comment"
PICK = "pick_comment"
EDIT = "edit_comment"

TRANSITIONS: dict[str, frozenset[tuple[str, str]]] = {
    APPROVE: frozenset({(Status.PENDING, Status.PUBLISHED)}),
    HOLD: frozenset({(Status.PUBLISHED, Status.PENDING)}),
    REMOVE: frozenset(
        {
            (Status.PUBLISHED, Status.REMOVED),
            (Status.PENDING, Status.REMOVED),
            (Status.PENDING, Status.REJECTED),
        }
    ),
    RESTORE: frozenset(
        {(Status.REMOVED, Status.PUBLISHED), (Status.REJECTED, Status.PUBLISHED)}
    ),
    RETRACT: frozenset(
        {(Status.PUBLISHED, Status.DELETED), (Status.PENDING, Status.DELETED)}
    ),
    PICK: frozenset({(Status.PUBLISHED, Status.PUBLISHED)}),
    EDIT: frozenset(
        {
            (Status.PUBLISHED, Status.PUBLISHED),
            (Status.PUBLISHED, Status.PENDING),
            (Status.PENDING, Status.PENDING),
        }
    ),
}


def starts(action: str) -> frozenset[str]:
    """The statuses `action` applies to."""
    return frozenset(start for start, _end in TRANSITIONS[action])


def allows(action: str, status: str) -> bool:
    """Whether `action` applies to a comment in `status`."""
    return status in starts(action)


# The steps the actions take, inside their transaction ------------------------------


def move(comment, action: str, to: str, **changes) -> str | None:
    """Give `comment` the status `to`, and `changes` to other fields in the same
    UPDATE, if `action` may take it there from its status and nobody changed that
    meanwhile. Returns the status it had, or None when it stayed as it was."""
    was = comment.status
    if (was, to) not in TRANSITIONS[action]:
        return None
    listed = to in Comment.LISTED
    if not Comment.objects.filter(pk=comment.pk, status=was).update(
        status=to, is_listed=listed, **changes
    ):
        return None
    comment.status, comment.is_listed = to, listed
    for field, value in changes.items():
        setattr(comment, field, value)
    return was


def publish(comment, *, had_place: bool, now=None) -> None:
    """Count a comment that has just become visible, link its quotes, tell readers
    and, the first time, the authors it quotes.

    `had_place`: it held a place in the thread already (a removal's placeholder), so
    pagination counts it already. Call after its status became PUBLISHED."""
    first_time = comment.published_at is None
    if first_time:
        comment.published_at = now or timezone.now()
        Comment.objects.filter(pk=comment.pk).update(published_at=comment.published_at)
    Thread.objects.filter(pk=comment.thread_id).update(
        comment_count=F("comment_count") + 1,
        listed_count=F("listed_count") + (0 if had_place else 1),
        pick_count=F("pick_count") + (1 if comment.picked_at else 0),
    )
    link_quotes(comment, comment.segments)
    events.record(
        comment.thread_id,
        ThreadEvent.Kind.COMMENT,
        {"id": comment.pk, "count": _published_count(comment.thread_id)},
    )
    if first_time:
        transaction.on_commit(lambda: _tell_quoted_authors(comment))


def unpublish(comment, *, keep_place: bool, segments: list) -> None:
    """Uncount a comment that readers no longer see, and unlink the quotes of
    `segments` (what readers saw of it).

    `keep_place`: a placeholder stays where it was, so pagination still counts it."""
    Thread.objects.filter(pk=comment.thread_id).update(
        comment_count=F("comment_count") - 1,
        listed_count=F("listed_count") - (0 if keep_place else 1),
        pick_count=F("pick_count") - (1 if comment.picked_at else 0),
    )
    link_quotes(comment, [], quoted_ids(segments))
    events.record(
        comment.thread_id,
        ThreadEvent.Kind.DELETE,
        {"id": comment.pk, "count": _published_count(comment.thread_id)},
    )


def quoted_ids(segments) -> set[int]:
    """The comments a comment's segments quote."""
    return {s["quote"]["id"] for s in segments if "quote" in s}


def link_quotes(comment, segments, previous=frozenset()) -> None:
    """Make the quote rows and the quoted comments' reply counts follow `segments`,
    given the comments it quoted `previous`ly."""
    current = quoted_ids(segments)
    added, dropped = current - set(previous), set(previous) - current
    if added:
        Quote.objects.bulk_create(
            [Quote(comment=comment, source_id=source) for source in added]
        )
        Comment.objects.filter(pk__in=added).update(reply_count=F("reply_count") + 1)
    if dropped:
        Quote.objects.filter(comment=comment, source_id__in=dropped).delete()
        Comment.objects.filter(pk__in=dropped, reply_count__gt=0).update(
            reply_count=F("reply_count") - 1
        )


def _published_count(thread_id) -> int:
    return Thread.objects.filter(pk=thread_id).values_list("comment_count", flat=True)[
        0
    ]


def _tell_quoted_authors(comment) -> None:
    by_author = {}
    sources = Comment.objects.filter(
        pk__in=quoted_ids(comment.segments)
    ).select_related("author")
    for source in sources:
        if source.author_id and source.author_id != comment.author_id:
            by_author.setdefault(source.author, []).append(source)
    for recipient, quoted in by_author.items():
        signals.comment_quoted.send(
            sender=Comment, comment=comment, recipient=recipient, sources=quoted
        )


def purge_thread(comment) -> None:
    """A moderator's decision (or a held edit) shows on the article's shared page at
    once, not after its few seconds in the caches (newsroom.edge)."""
    page_id = (
        Thread.objects.filter(pk=comment.thread_id)
        .values_list("page_id", flat=True)
        .first()
    )
    if page_id:
        purge(surrogate_keys.thread(page_id))


# The actions ----------------------------------------------------------------------


def approve_comment(comment, *, now=None) -> bool:
    """Publish a comment held for review, in its place by time.

    Purges the thread's shared page; announces the comment to live readers and, the
    first time it is seen, notifies the authors it quotes. False when it was not
    awaiting review."""
    comment.refresh_from_db()
    with transaction.atomic():
        was = move(comment, APPROVE, Status.PUBLISHED)
        if was is None:
            return False
        purge_thread(comment)
        publish(comment, had_place=was in Comment.LISTED, now=now)
    return True


def remove_comment(comment, *, reason: str) -> bool:
    """Take a comment down; the thread shows `reason` in its place. A comment readers
    never saw is rejected, without a placeholder.

    Purges the thread's shared page; sends `signals.comment_removed` after the commit.
    False when it was neither published nor awaiting review."""
    comment.refresh_from_db()
    to = Status.REMOVED if comment.published_at is not None else Status.REJECTED
    reason = reason[: Comment._meta.get_field("removal_reason").max_length]
    with transaction.atomic():
        was = move(comment, REMOVE, to, removal_reason=reason)
        if was is None:
            return False
        purge_thread(comment)
        if was == Status.PUBLISHED:
            unpublish(comment, keep_place=True, segments=comment.segments)
        elif to == Status.REMOVED:  # held after readers saw it: back in its place
            Thread.objects.filter(pk=comment.thread_id).update(
                listed_count=F("listed_count") + 1
            )
            events.record(comment.thread_id, ThreadEvent.Kind.EDIT, {"id": comment.pk})
        transaction.on_commit(
            lambda: signals.comment_removed.send(
                sender=Comment, comment=comment, reason=comment.removal_reason
            )
        )
    return True


def restore_comment(comment, *, now=None) -> bool:
    """Undo a removal: the comment is published again where it was.

    Purges the thread's shared page and announces the comment. False when it was
    neither removed nor rejected."""
    comment.refresh_from_db()
    with transaction.atomic():
        was = move(comment, RESTORE, Status.PUBLISHED, removal_reason="")
        if was is None:
            return False
        purge_thread(comment)
        publish(comment, had_place=was in Comment.LISTED, now=now)
    return True


def hold_comment(comment) -> bool:
    """Take a published comment out of its thread until a moderator decides (enough
    reports). Purges the thread's shared page. False when it was not published."""
    comment.refresh_from_db()
    with transaction.atomic():
        if move(comment, HOLD, Status.PENDING) is None:
            return False
        purge_thread(comment)
        unpublish(comment, keep_place=False, segments=comment.segments)
    return True


def retract_comment(comment) -> bool:
    """Blank a comment in place (its author deletes it, or their account goes),
    keeping counts and quote links right. A comment awaiting review that readers
    never saw goes without a trace.

    False when it was neither published nor awaiting review. The caller's instance
    is used as it is (no refresh): the UPDATE is conditional on its status."""
    with transaction.atomic():
        if comment.status == Status.PENDING and comment.published_at is None:
            if not Comment.objects.filter(
                pk=comment.pk, status=Status.PENDING
            ).delete()[0]:
                return False
            comment.status = Status.DELETED
            return True
        segments = comment.segments
        was = move(comment, RETRACT, Status.DELETED, body="", segments=[])
        if was is None:
            return False
        if was == Status.PUBLISHED:
            unpublish(comment, keep_place=True, segments=segments)
        else:  # held after readers saw it: a placeholder takes its place again
            Thread.objects.filter(pk=comment.thread_id).update(
                listed_count=F("listed_count") + 1
            )
    return True


def pick_comment(comment, *, now=None) -> bool:
    """Make a published comment an editor's pick: shown first in its thread, marked.

    Announces the change; sends `signals.comment_picked` after the commit. False when
    it is a pick already; PermissionDenied when it is not published."""
    comment.refresh_from_db()
    if comment.picked_at:
        return False
    if not allows(PICK, comment.status):
        raise PermissionDenied(_("Only a published comment can be an editor's pick."))
    with transaction.atomic():
        comment.picked_at = now or timezone.now()
        Comment.objects.filter(pk=comment.pk).update(picked_at=comment.picked_at)
        Thread.objects.filter(pk=comment.thread_id).update(
            pick_count=F("pick_count") + 1
        )
        events.record(comment.thread_id, ThreadEvent.Kind.EDIT, {"id": comment.pk})
        transaction.on_commit(
            lambda: signals.comment_picked.send(sender=Comment, comment=comment)
        )
    return True


def unpick_comment(comment) -> bool:
    """Take the editor's pick mark off a comment, whatever its status. Announces the
    change. False when it was not a pick."""
    comment.refresh_from_db()
    if not comment.picked_at:
        return False
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(picked_at=None)
        if comment.status == Status.PUBLISHED:  # only published picks are counted
            Thread.objects.filter(pk=comment.thread_id).update(
                pick_count=F("pick_count") - 1
            )
        events.record(comment.thread_id, ThreadEvent.Kind.EDIT, {"id": comment.pk})
    comment.picked_at = None
    return True
