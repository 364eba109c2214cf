"""Changes to discussions: posting, editing, deleting, voting, closing."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Site

from newsroom.accounts.services import can_participate
from newsroom.edge import keys as surrogate_keys
from newsroom.edge.purge import purge

from . import events, hooks, render, scoring
from .models import Comment, CommentSettings, Quote, Thread, ThreadEvent, Vote

MAX_QUOTES = 10


def settings_for(page) -> CommentSettings:
    site = page.get_site() if page is not None else None
    return CommentSettings.for_site(site) if site else CommentSettings()


def thread_for(page) -> Thread:
    thread = Thread.objects.filter(page=page).first()
    if thread is None:
        site = page.get_site() or Site.objects.filter(is_default_site=True).first()
        thread, _created = Thread.objects.get_or_create(
            page=page, defaults={"site": site}
        )
    return thread


def closed_reason(page, rules: CommentSettings, now=None) -> str:
    """Why comments on this page are closed, or "" when they are open."""
    if getattr(page, "comments_closed", False):
        return _("Comments on this article are closed.")
    published = page.first_published_at
    if rules.close_after_days and published:
        closes = published + datetime.timedelta(days=rules.close_after_days)
        if (now or timezone.now()) >= closes:
            return ngettext(
                "Comments close %(days)d day after publication.",
                "Comments close %(days)d days after publication.",
                rules.close_after_days,
            ) % {"days": rules.close_after_days}
    return ""


def require_participant(user, *, site=None, action="comment", ip=None) -> None:
    """Refuse with a message unless the reader may take part: verified, and not
    stopped by another app (a suspension, a rate limit)."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Please sign in first."))
    if not can_participate(user):
        raise PermissionDenied(
            _("Please confirm your email address first; see your settings.")
        )
    message = refusal(user, site=site, action=action, ip=ip, peek=False)
    if message:
        raise PermissionDenied(message)


def refusal(user, *, site=None, action="comment", ip=None, peek=True) -> str:
    """Why another app stops this reader (a suspension, a rate limit), or ""."""
    for _receiver, message in hooks.check_participation.send(
        sender=Comment, user=user, site=site, action=action, ip=ip, peek=peek
    ):
        if message:
            return message
    return ""


class NeedsConfirmation(ValidationError):
    """A rule asks the author to reconsider; posting again with `confirmed` submits."""


def screen(submission: hooks.Submission) -> list:
    """Ask the screening hook; raise for a rejection or a request to reconsider."""
    verdicts = [
        verdict
        for _receiver, answer in hooks.screen_comment.send(
            sender=Comment, submission=submission
        )
        for verdict in (answer or [])
    ]
    for verdict in verdicts:
        if verdict.action == hooks.REJECT:
            raise ValidationError(verdict.message)
    if not submission.confirmed:
        for verdict in verdicts:
            if verdict.action == hooks.CONFIRM:
                raise NeedsConfirmation(verdict.message)
    return verdicts


def build_segments(body: str, thread: Thread) -> list[dict]:
    """Split and render a body; quoted passages must be what their authors wrote."""
    pieces = render.split_body(body)
    quote_ids = {source_id for kind, _raw, source_id in pieces if kind == "quote"}
    if len(quote_ids) > MAX_QUOTES:
        raise ValidationError(
            _("A comment can quote at most %(n)d comments.") % {"n": MAX_QUOTES}
        )
    sources = (
        {
            source.pk: source
            for source in Comment.objects.filter(
                pk__in=quote_ids, thread=thread, status=Comment.Status.PUBLISHED
            ).select_related("author")
        }
        if quote_ids
        else {}
    )
    segments = []
    for kind, raw, source_id in pieces:
        if kind == "text":
            segments.append({"text": {"raw": raw, "html": render.text_to_html(raw)}})
            continue
        source = sources.get(source_id)
        if source is None:
            raise ValidationError(
                _(
                    "A comment you quoted is no longer in this discussion. "
                    "Remove that quote and try again."
                )
            )
        name = source.author.get_username() if source.author else _("deleted user")
        if not raw.strip() or render.squash(raw) not in render.squash(
            render.own_words(source.segments)
        ):
            raise ValidationError(
                _(
                    "The quoted passage does not match what %(name)s wrote. "
                    "Use Quote on their comment again."
                )
                % {"name": name}
            )
        segments.append(
            {
                "quote": {
                    "id": source.pk,
                    "author": name,
                    "author_id": source.author_id,
                    "at": source.created_at.isoformat(),
                    "raw": raw,
                    "html": render.text_to_html(raw),
                }
            }
        )
    if not any("text" in segment for segment in segments):
        raise ValidationError(_("Add your own words to the quote."))
    return segments


def check_body(body: str, rules: CommentSettings) -> str:
    body = render.clean_text(body or "")
    if not body.strip():
        raise ValidationError(_("Write something before posting."))
    written = len(render.QUOTE_BLOCK.sub(lambda m: m.group(2), body))
    if written > rules.max_length:
        raise ValidationError(
            _(
                "Comments can be at most %(limit)d characters; this one has "
                "%(count)d. Please shorten it."
            )
            % {"limit": rules.max_length, "count": written}
        )
    return body


def post_comment(
    *, page, author, body: str, now=None, ip=None, confirmed=False
) -> Comment:
    """Publish a comment, or save it awaiting review when screening holds it.

    Raises ValidationError (NeedsConfirmation when the author should reconsider)
    or PermissionDenied, with a message for the author.
    """
    now = now or timezone.now()
    site = page.get_site()
    require_participant(author, site=site, action="comment", ip=ip)
    rules = settings_for(page)
    reason = closed_reason(page, rules, now)
    if reason:
        raise PermissionDenied(reason)
    body = check_body(body, rules)
    last = (
        Comment.objects.filter(author=author)
        .order_by("-created_at")
        .values("created_at", "body")
        .first()
    )
    if last and last["body"] == body:
        raise ValidationError(_("You have already posted this comment."))
    if last and rules.min_interval_seconds:
        wait = rules.min_interval_seconds - (now - last["created_at"]).total_seconds()
        if wait > 0:
            seconds = int(wait) + 1
            raise ValidationError(
                ngettext(
                    "You are commenting too fast. Please wait %(n)d second.",
                    "You are commenting too fast. Please wait %(n)d seconds.",
                    seconds,
                )
                % {"n": seconds}
            )
    thread = thread_for(page)
    segments = build_segments(body, thread)
    verdicts = screen(
        hooks.Submission(
            author=author,
            page=page,
            thread=thread,
            body=body,
            text=render.own_words(segments),
            ip=ip,
            confirmed=confirmed,
        )
    )
    held = hooks.strongest(verdicts) != hooks.PUBLISH
    with transaction.atomic():
        comment = Comment.objects.create(
            thread=thread,
            author=author,
            body=body,
            segments=segments,
            created_at=now,
            status=Comment.Status.PENDING if held else Comment.Status.PUBLISHED,
            is_listed=not held,
        )
        hooks.comment_screened.send(sender=Comment, comment=comment, verdicts=verdicts)
        if not held:
            _publish(comment, now)
    _purge_reader(comment.author_id)
    return comment


def _publish(comment, now=None) -> None:
    """Count a comment that has just become visible, link its quotes, tell readers.

    Call inside a transaction, after its status became PUBLISHED."""
    first_time = comment.published_at is None
    before = getattr(comment, "status_before", None)
    listed_change = 0 if before == Comment.Status.REMOVED else 1
    if first_time:
        comment.published_at = now or timezone.now()
        Comment.objects.filter(pk=comment.pk).update(published_at=comment.published_at)
    Thread.objects.filter(pk=comment.thread_id).update(
        comment_count=F("comment_count") + 1,
        listed_count=F("listed_count") + listed_change,
        pick_count=F("pick_count") + (1 if comment.picked_at else 0),
    )
    _link_quotes(comment, comment.segments)
    event = ThreadEvent.objects.create(
        thread_id=comment.thread_id,
        kind=ThreadEvent.Kind.COMMENT,
        data={"id": comment.pk, "count": _published_count(comment.thread_id)},
    )
    transaction.on_commit(lambda: _after_post(comment, event, notify=first_time))


def _unpublish(comment, *, keep_place: bool) -> None:
    """Uncount a comment that readers no longer see (inside a transaction)."""
    Thread.objects.filter(pk=comment.thread_id).update(
        comment_count=F("comment_count") - 1,
        listed_count=F("listed_count") - (0 if keep_place else 1),
        pick_count=F("pick_count") - (1 if comment.picked_at else 0),
    )
    _link_quotes(comment, [], _source_ids(comment.segments))
    event = ThreadEvent.objects.create(
        thread_id=comment.thread_id,
        kind=ThreadEvent.Kind.DELETE,
        data={"id": comment.pk, "count": _published_count(comment.thread_id)},
    )
    transaction.on_commit(lambda: events.announce(event))


def _move(comment, frm, to) -> bool:
    """Change the status if it is still `frm` (a tuple); False if someone else did."""
    listed = to in Comment.LISTED
    updated = Comment.objects.filter(pk=comment.pk, status__in=frm).update(
        status=to, is_listed=listed
    )
    if updated:
        comment.status_before = comment.status  # _publish needs to know
        comment.status, comment.is_listed = to, listed
        _purge_thread(comment)
    return bool(updated)


def _purge_reader(user_id) -> None:
    """The reader's overlay (their votes, their own comments) changed."""
    if user_id:
        purge(surrogate_keys.reader(user_id))


def _purge_thread(comment) -> None:
    """A moderator's decision (or an author's deletion) shows on the article's shared
    page at once, not after its few seconds in the caches (newsroom.edge)."""
    page_id = (
        Thread.objects.filter(pk=comment.thread_id)
        .values_list("page_id", flat=True)
        .first()
    )
    if page_id:
        purge(surrogate_keys.thread(page_id))


def approve(comment, now=None) -> bool:
    """A held comment appears (in its place by time). False if it was not held."""
    comment.refresh_from_db()
    with transaction.atomic():
        if not _move(comment, (Comment.Status.PENDING,), Comment.Status.PUBLISHED):
            return False
        _publish(comment, now)
    return True


def remove(comment, reason: str) -> bool:
    """A moderator takes a comment down; the thread shows `reason` in its place.

    A comment readers never saw is set aside without a placeholder."""
    comment.refresh_from_db()
    was = comment.status
    if was not in (Comment.Status.PUBLISHED, Comment.Status.PENDING):
        return False
    to = (
        Comment.Status.REMOVED
        if comment.published_at is not None
        else Comment.Status.REJECTED
    )
    with transaction.atomic():
        if not _move(comment, (was,), to):
            return False
        Comment.objects.filter(pk=comment.pk).update(removal_reason=reason[:300])
        comment.removal_reason = reason[:300]
        if was == Comment.Status.PUBLISHED:
            _unpublish(comment, keep_place=True)
        elif to == Comment.Status.REMOVED:  # hidden for review earlier: back in place
            Thread.objects.filter(pk=comment.thread_id).update(
                listed_count=F("listed_count") + 1
            )
            event = ThreadEvent.objects.create(
                thread_id=comment.thread_id,
                kind=ThreadEvent.Kind.EDIT,
                data={"id": comment.pk},
            )
            transaction.on_commit(lambda: events.announce(event))
        transaction.on_commit(
            lambda: hooks.comment_removed.send(
                sender=Comment, comment=comment, reason=comment.removal_reason
            )
        )
    return True


def restore(comment, now=None) -> bool:
    """Undo a removal: the comment is published again where it was."""
    comment.refresh_from_db()
    was = comment.status
    if was not in (Comment.Status.REMOVED, Comment.Status.REJECTED):
        return False
    with transaction.atomic():
        if not _move(comment, (was,), Comment.Status.PUBLISHED):
            return False
        Comment.objects.filter(pk=comment.pk).update(removal_reason="")
        comment.removal_reason = ""
        _publish(comment, now)
    return True


def hide_for_review(comment) -> bool:
    """Take a published comment out of its thread until a moderator decides."""
    comment.refresh_from_db()
    with transaction.atomic():
        if not _move(comment, (Comment.Status.PUBLISHED,), Comment.Status.PENDING):
            return False
        _unpublish(comment, keep_place=False)
    return True


def set_pick(comment, picked: bool, now=None) -> bool:
    """Make a published comment an editor's pick (shown first, marked), or not."""
    comment.refresh_from_db()
    if picked == bool(comment.picked_at):
        return False
    if picked and comment.status != Comment.Status.PUBLISHED:
        raise PermissionDenied(_("Only a published comment can be an editor's pick."))
    when = (now or timezone.now()) if picked else None
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(picked_at=when)
        if comment.status == Comment.Status.PUBLISHED:
            Thread.objects.filter(pk=comment.thread_id).update(
                pick_count=F("pick_count") + (1 if picked else -1)
            )
        event = ThreadEvent.objects.create(
            thread_id=comment.thread_id,
            kind=ThreadEvent.Kind.EDIT,
            data={"id": comment.pk},
        )
        transaction.on_commit(lambda: events.announce(event))
        if picked:
            transaction.on_commit(
                lambda: hooks.comment_picked.send(sender=Comment, comment=comment)
            )
    comment.picked_at = when
    return True


def _published_count(thread_id) -> int:
    return Thread.objects.filter(pk=thread_id).values_list("comment_count", flat=True)[
        0
    ]


def _source_ids(segments) -> set[int]:
    return {s["quote"]["id"] for s in segments if "quote" in s}


def _link_quotes(comment, segments, previous=frozenset()) -> None:
    current = _source_ids(segments)
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


def _after_post(comment, event, notify=True) -> None:
    events.announce(event)
    if not notify:
        return
    by_author = {}
    sources = Comment.objects.filter(
        pk__in=_source_ids(comment.segments)
    ).select_related("author")
    for source in sources:
        if source.author_id and source.author_id != comment.author_id:
            by_author.setdefault(source.author, []).append(source)
    for recipient, quoted in by_author.items():
        hooks.comment_quoted.send(
            sender=Comment, comment=comment, recipient=recipient, sources=quoted
        )


EDITABLE = (Comment.Status.PUBLISHED, Comment.Status.PENDING)


def remember_sort(request, sort: str) -> None:
    """A signed-in reader's chosen sort is kept in their session for next time."""
    if (
        request.GET.get("sort") == sort
        and request.user.is_authenticated
        and request.session.get("comment_sort") != sort
    ):
        request.session["comment_sort"] = sort


def can_edit(comment, user, now=None, rules=None) -> bool:
    """The author, a comment still shown or awaiting review, within the edit window
    (`rules`: the thread's site's CommentSettings, when the caller has them)."""
    if not user.is_authenticated or comment.author_id != user.pk:
        return False
    if comment.status not in EDITABLE:
        return False
    rules = rules or settings_for(comment.thread.page)
    window = datetime.timedelta(minutes=rules.edit_window_minutes)
    return (now or timezone.now()) - comment.created_at <= window


def edit_comment(comment, user, body: str, now=None, ip=None, confirmed=False):
    """Change a comment within the editing time; the new text is screened again, and
    a held edit takes the comment out of its thread until a moderator approves it."""
    now = now or timezone.now()
    if not can_edit(comment, user, now):
        raise PermissionDenied(
            _("This comment can no longer be edited: the editing time is over.")
        )
    page = comment.thread.page
    require_participant(user, site=comment.thread.site, action="comment", ip=ip)
    rules = settings_for(page)
    body = check_body(body, rules)
    segments = build_segments(body, comment.thread)
    verdicts = screen(
        hooks.Submission(
            author=user,
            page=page,
            thread=comment.thread,
            body=body,
            text=render.own_words(segments),
            ip=ip,
            comment=comment,
            confirmed=confirmed,
        )
    )
    held = hooks.strongest(verdicts) != hooks.PUBLISH
    previous = _source_ids(comment.segments)
    with transaction.atomic():
        rows = Comment.objects.filter(pk=comment.pk, status__in=EDITABLE)
        if not rows.update(body=body, segments=segments, edited_at=now):
            raise PermissionDenied(_("This comment can no longer be edited."))
        was_published = comment.status == Comment.Status.PUBLISHED
        if was_published:
            _link_quotes(comment, segments, previous)
        comment.body, comment.segments, comment.edited_at = body, segments, now
        if was_published and held:
            _move(comment, (Comment.Status.PUBLISHED,), Comment.Status.PENDING)
            _unpublish(comment, keep_place=False)
        elif was_published:
            event = ThreadEvent.objects.create(
                thread_id=comment.thread_id,
                kind=ThreadEvent.Kind.EDIT,
                data={"id": comment.pk},
            )
            transaction.on_commit(lambda: events.announce(event))
        # After the status change: receivers see the comment as it now stands
        # (held or not), as they do for a new comment.
        hooks.comment_screened.send(sender=Comment, comment=comment, verdicts=verdicts)
    _purge_reader(comment.author_id)
    return comment


def delete_comment(comment, user) -> None:
    """The author takes a comment back; a placeholder keeps its place in the thread."""
    if not user.is_authenticated or comment.author_id != user.pk:
        raise PermissionDenied(_("Only its author can delete a comment."))
    if comment.status not in EDITABLE:
        raise PermissionDenied(_("This comment is already gone."))
    retract(comment)
    _purge_reader(user.pk)


def retract(comment) -> None:
    """Blank a comment in place, keeping counts and quote links right.

    A comment still awaiting review that readers never saw goes without a trace."""
    with transaction.atomic():
        if comment.status == Comment.Status.PENDING:
            if comment.published_at is None:
                Comment.objects.filter(
                    pk=comment.pk, status=Comment.Status.PENDING
                ).delete()
                comment.status = Comment.Status.DELETED
                return
            updated = Comment.objects.filter(
                pk=comment.pk, status=Comment.Status.PENDING
            ).update(
                status=Comment.Status.DELETED, is_listed=True, body="", segments=[]
            )
            if updated:
                Thread.objects.filter(pk=comment.thread_id).update(
                    listed_count=F("listed_count") + 1
                )
            comment.status, comment.body, comment.segments = (
                Comment.Status.DELETED,
                "",
                [],
            )
            return
        updated = Comment.objects.filter(
            pk=comment.pk, status=Comment.Status.PUBLISHED
        ).update(status=Comment.Status.DELETED, body="", segments=[])
        if not updated:
            return
        Thread.objects.filter(pk=comment.thread_id).update(
            comment_count=F("comment_count") - 1,
            pick_count=F("pick_count") - (1 if comment.picked_at else 0),
        )
        _link_quotes(comment, [], _source_ids(comment.segments))
        event = ThreadEvent.objects.create(
            thread_id=comment.thread_id,
            kind=ThreadEvent.Kind.DELETE,
            data={"id": comment.pk, "count": _published_count(comment.thread_id)},
        )
        transaction.on_commit(lambda: events.announce(event))
    comment.status, comment.body, comment.segments = Comment.Status.DELETED, "", []


def vote(comment, user, value: int, ip=None) -> tuple[int, int, int]:
    """Vote up (1) or down (-1); the same again takes the vote back, the other
    switches it. Returns (up, down, the reader's vote now: 1, -1 or 0)."""
    require_participant(user, site=comment.thread.site, action="vote", ip=ip)
    if value not in Vote.Value.values:
        raise ValidationError(_("Vote up or down."))
    if comment.author_id == user.pk:
        raise PermissionDenied(_("You can't vote on your own comment."))
    if comment.status != Comment.Status.PUBLISHED:
        raise PermissionDenied(_("This comment can't be voted on."))
    for attempt in range(3):
        try:
            counted = _vote_once(comment, user, value)
            _purge_reader(user.pk)
            return counted
        except IntegrityError:  # the reader's other tab voted at the same moment
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _vote_once(comment, user, value):
    with transaction.atomic():
        # Lock the comment first: every vote on it updates this row anyway, and the
        # lock also orders one reader's racing clicks (their vote row may not exist
        # yet, so locking it alone would not). SQLite's IMMEDIATE transactions
        # serialise writers already. The counts read under the lock are the ones
        # this vote changes.
        rows = Comment.objects.filter(pk=comment.pk)
        ups, downs = (
            rows.select_for_update().values_list("up_count", "down_count").get()
        )
        existing = (
            Vote.objects.filter(comment=comment, user=user)
            .values_list("pk", "value")
            .first()
        )
        if existing is None:
            Vote.objects.create(comment=comment, user=user, value=value)
            before, mine = 0, value
        elif existing[1] == value:
            Vote.objects.filter(pk=existing[0]).delete()
            before, mine = value, 0
        else:
            Vote.objects.filter(pk=existing[0]).update(value=value)
            before, mine = existing[1], value
        ups += (mine == Vote.Value.UP) - (before == Vote.Value.UP)
        downs += (mine == Vote.Value.DOWN) - (before == Vote.Value.DOWN)
        rows.update(
            up_count=ups,
            down_count=downs,
            best_score=scoring.best_score(ups, downs),
            controversy=scoring.controversy(ups, downs),
        )
        event = ThreadEvent.objects.create(
            thread_id=comment.thread_id,
            kind=ThreadEvent.Kind.VOTE,
            data={"id": comment.pk, "up": ups, "down": downs},
        )
        transaction.on_commit(lambda: events.announce(event))
    comment.up_count, comment.down_count = ups, downs
    return ups, downs, mine


EVENT_LOG_DAYS = 2


def prune_events(now=None) -> int:
    """Forget live-update events older than a reconnecting reader could ask for."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=EVENT_LOG_DAYS)
    deleted, _by_model = ThreadEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted
