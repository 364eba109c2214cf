"""A reader's own comments: posting, editing and deleting them, each screened by the
signals other apps answer (`signals.screen_comment`) before anything is saved."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import characters, events, render, signals, transitions
from .models import Comment, CommentSettings, Thread, ThreadEvent
from .services import (
    closed_reason,
    purge_reader,
    require_participant,
    settings_for,
    thread_for,
)

MAX_QUOTES = 10

# What its author may still edit or delete: the starts of `edit_comment` in the
# transition table (the same as `retract_comment`'s).
EDITABLE = tuple(transitions.starts(transitions.EDIT))


class NeedsConfirmation(ValidationError):
    """A rule asks the author to reconsider; posting again with `confirmed` submits."""


def screen(submission: signals.Submission) -> list:
    """Ask the screening signal's receivers; raise for a rejection or a request to
    reconsider."""
    verdicts = [
        verdict
        for _receiver, answer in signals.screen_comment.send(
            sender=Comment, submission=submission
        )
        for verdict in (answer or [])
    ]
    for verdict in verdicts:
        if verdict.action == signals.REJECT:
            raise ValidationError(verdict.message)
    if not submission.confirmed:
        for verdict in verdicts:
            if verdict.action == signals.CONFIRM:
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
        if kind in ("text", "excerpt"):
            segments.append({kind: {"raw": raw, "html": render.text_to_html(raw)}})
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


def check_body(body: str, rules: CommentSettings) -> characters.Cleaned:
    """The body as it will be stored, with what was taken out of it to tell its
    author (characters.py). Raises ValidationError for an empty or too long body
    and for direction controls, which are refused rather than taken out."""
    cleaned = characters.clean(body or "")
    body = cleaned.text
    if not body.strip():
        raise ValidationError(_("Write something before posting."))
    refusal = cleaned.refusal()
    if refusal:
        raise ValidationError(refusal)
    written = len(render.QUOTE_BLOCK.sub(lambda m: m.group(2), body))
    if written > rules.max_length:
        raise ValidationError(
            _(
                "Comments can be at most %(limit)d characters; this one has "
                "%(count)d. Please shorten it."
            )
            % {"limit": rules.max_length, "count": written}
        )
    return cleaned


def post_comment(
    *, page, author, body: str, now=None, ip=None, confirmed=False
) -> Comment:
    """Publish a comment, or save it awaiting review when screening holds it.

    The comment's `removals` lists, for its author, what was taken out of the
    text (characters.Cleaned.notices); empty when nothing was.

    Raises ValidationError (NeedsConfirmation when the author should reconsider)
    or PermissionDenied, with a message for the author.
    """
    now = now or timezone.now()
    site = page.get_site()
    require_participant(author, site=site, action="comment", ip=ip)
    rules = settings_for(page)
    thread = thread_for(page)
    reason = closed_reason(page, rules, now, thread=thread)
    if reason:
        raise PermissionDenied(reason)
    cleaned = check_body(body, rules)
    body = cleaned.text
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
    segments = build_segments(body, thread)
    verdicts = screen(
        signals.Submission(
            author=author,
            page=page,
            thread=thread,
            body=body,
            text=render.own_words(segments),
            ip=ip,
            confirmed=confirmed,
        )
    )
    held = signals.strongest(verdicts) != signals.PUBLISH
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
        signals.comment_screened.send(
            sender=Comment, comment=comment, verdicts=verdicts
        )
        if not held:
            transitions.publish(comment, had_place=False, now=now)
    purge_reader(comment.author_id)
    comment.removals = cleaned.notices()
    return comment


def can_edit(comment, user, now=None, rules=None) -> bool:
    """The author, a comment still shown or awaiting review, within the edit window
    (`rules`: the thread's site's CommentSettings, when the caller has them)."""
    if not _is_author(comment, user):
        return False
    if comment.status not in EDITABLE:
        return False
    rules = rules or settings_for(comment.thread.page)
    window = datetime.timedelta(minutes=rules.edit_window_minutes)
    return (now or timezone.now()) - comment.created_at <= window


def edit_comment(comment, user, body: str, *, now=None, ip=None, confirmed=False):
    """Change a comment within the editing time; the new text is screened again, and
    a held edit takes the comment out of its thread until a moderator approves it.

    The comment's `removals` lists what was taken out of the new text, as for
    `post_comment`.

    Raises ValidationError (NeedsConfirmation when the author should reconsider) or
    PermissionDenied, with a message for the author."""
    now = now or timezone.now()
    if not can_edit(comment, user, now):
        raise PermissionDenied(
            _("This comment can no longer be edited: the editing time is over.")
        )
    page = comment.thread.page
    require_participant(user, site=comment.thread.site, action="comment", ip=ip)
    rules = settings_for(page)
    cleaned = check_body(body, rules)
    body = cleaned.text
    segments = build_segments(body, comment.thread)
    verdicts = screen(
        signals.Submission(
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
    held = signals.strongest(verdicts) != signals.PUBLISH
    previous = transitions.quoted_ids(comment.segments)
    with transaction.atomic():
        rows = Comment.objects.filter(pk=comment.pk, status__in=EDITABLE)
        if not rows.update(body=body, segments=segments, edited_at=now):
            raise PermissionDenied(_("This comment can no longer be edited."))
        was_published = comment.status == Comment.Status.PUBLISHED
        if was_published:
            transitions.link_quotes(comment, segments, previous)
        comment.body, comment.segments, comment.edited_at = body, segments, now
        if was_published and held:
            if transitions.move(comment, transitions.EDIT, Comment.Status.PENDING):
                transitions.purge_thread(comment)
            # The quotes were linked to the new text above: unlink those.
            transitions.unpublish(comment, keep_place=False, segments=segments)
        elif was_published:
            events.record(comment.thread_id, ThreadEvent.Kind.EDIT, {"id": comment.pk})
        # After the status change: receivers see the comment as it now stands
        # (held or not), as they do for a new comment.
        signals.comment_screened.send(
            sender=Comment, comment=comment, verdicts=verdicts
        )
    purge_reader(comment.author_id)
    comment.removals = cleaned.notices()
    return comment


def can_delete(comment, user) -> bool:
    """The author, a comment still shown or awaiting review."""
    return _is_author(comment, user) and transitions.allows(
        transitions.RETRACT, comment.status
    )


def _is_author(comment, user) -> bool:
    return user.is_authenticated and comment.author_id == user.pk


def delete_comment(comment, user) -> None:
    """The author takes a comment back; a placeholder keeps its place in the thread
    (transitions.retract_comment). Raises PermissionDenied for anyone else, or when
    the comment is gone already."""
    if not _is_author(comment, user):
        raise PermissionDenied(_("Only its author can delete a comment."))
    if not can_delete(comment, user):
        raise PermissionDenied(_("This comment is already gone."))
    transitions.retract_comment(comment)
    purge_reader(user.pk)
