"""Threads, comments, quotes and votes.

Counts shown to readers are stored, not counted: `Thread.comment_count` for the
headline number, `Comment.up_count` / `down_count` / `reply_count` for each comment.
Services change them with `F()` updates in the same transaction as the rows they
count, so they always agree.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class Thread(models.Model):
    """The discussion under one page (an article)."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="comment_thread"
    )
    site = models.ForeignKey(
        "wagtailcore.Site", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Published comments: the number readers see ("47 Comments").
    comment_count = models.PositiveIntegerField(default=0)
    # Everything that holds a place in the thread (published, and the placeholders
    # of deleted or removed comments): what pagination counts.
    listed_count = models.PositiveIntegerField(default=0)
    # Published editor's picks, so a thread without any costs no query for them.
    pick_count = models.PositiveIntegerField(default=0)
    # Closed by an editor: the discussion so far stays, nobody adds to it. (Comments
    # also close by themselves after CommentSettings.close_after_days.)
    closed = models.BooleanField(_("comments closed"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Thread on page {self.page_id}"


class Comment(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        PENDING = "pending", _("Awaiting review")
        REMOVED = "removed", _("Removed by a moderator")
        DELETED = "deleted", _("Deleted by its author")
        # Held and then not approved: it never appeared, so it leaves no placeholder.
        REJECTED = "rejected", _("Not approved")

    # What holds a place in a thread: readers see the text or a placeholder.
    LISTED = (Status.PUBLISHED, Status.REMOVED, Status.DELETED)
    # Not stored: what posting or editing just took out of the text, one sentence
    # per kind for its author (posting.check_body, characters.Cleaned.notices).
    removals: tuple[str, ...] | list[str] = ()

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    # `status in LISTED`, stored beside the status so that a page of a thread is
    # one walk of one index: with `status IN (…)` SQLite seeks each status apart
    # and sorts the whole thread. Services write both together; a constraint
    # keeps them equal.
    is_listed = models.BooleanField(default=True)
    # The body as written (quote blocks as [quote=ID]…[/quote]), and as segments
    # ready to render: [{"text": html} | {"quote": {id, author, author_id, at, html}}].
    body = models.TextField()
    segments = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # When readers first saw it; None while it has only ever been awaiting review.
    published_at = models.DateTimeField(null=True, blank=True)
    # What the thread shows in place of a removed comment.
    removal_reason = models.CharField(max_length=300, blank=True)
    # An editor's pick: shown first in its thread, marked.
    picked_at = models.DateTimeField(null=True, blank=True)
    up_count = models.PositiveIntegerField(default=0)
    down_count = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    # Sort keys kept beside the counts they come from.
    best_score = models.FloatField(default=0.0)
    controversy = models.FloatField(default=0.0)

    class Meta:
        indexes = [
            models.Index(fields=["thread", "status", "created_at", "id"]),
            # One per sort of a thread's pages (selectors.SORTS), in its order, so
            # that any page is a seek and a walk of at most a page (the oldest
            # and newest walk the first one either way).
            models.Index(
                fields=["thread", "is_listed", "created_at", "id"],
                name="comment_listed_by_time",
            ),
            models.Index(
                fields=["thread", "is_listed", "-best_score", "created_at", "id"],
                name="comment_listed_by_best",
            ),
            models.Index(
                fields=["thread", "is_listed", "-controversy", "created_at", "id"],
                name="comment_listed_by_controversy",
            ),
            models.Index(
                fields=["thread", "is_listed", "-reply_count", "created_at", "id"],
                name="comment_listed_by_replies",
            ),
            models.Index(fields=["author", "-created_at"]),
        ]
        constraints = [
            # Comment.LISTED, spelled out: Meta cannot see the class's names.
            models.CheckConstraint(
                condition=models.Q(
                    is_listed=True, status__in=["published", "removed", "deleted"]
                )
                | models.Q(is_listed=False, status__in=["pending", "rejected"]),
                name="comment_is_listed_follows_status",
            )
        ]

    def __str__(self):
        return f"Comment {self.pk}"

    @property
    def net_votes(self) -> int:
        return self.up_count - self.down_count

    # What templates ask of the status, so that they name no status themselves.
    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_deleted(self) -> bool:
        """Deleted by its author: a placeholder under the author's name."""
        return self.status == self.Status.DELETED

    @property
    def shows_text(self) -> bool:
        """Its words are shown: to every reader, or (awaiting review) to its author."""
        return self.status in (self.Status.PUBLISHED, self.Status.PENDING)


class Quote(models.Model):
    """One comment quoting another: the source of `N replies` and notifications."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="quotes"
    )
    source = models.ForeignKey(
        Comment, null=True, on_delete=models.SET_NULL, related_name="quoted_by"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "source"], name="one_quote_row_per_source"
            )
        ]

    def __str__(self):
        return f"Comment {self.comment_id} quotes {self.source_id}"


class Vote(models.Model):
    class Value(models.IntegerChoices):
        UP = 1, _("up")
        DOWN = -1, _("down")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_votes"
    )
    value = models.SmallIntegerField(choices=Value.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # What links voters, for moderation's rule on coordinated voting: keyed hashes
    # (voting.signal_hash) of the voter's network (its /24 or /48 prefix) and of
    # their browser's User-Agent, never the address or the string itself. Blanked
    # after NEWSROOM_VOTE_SIGNALS_DAYS (jobs.forget_vote_signals); "" when unknown.
    network = models.CharField(max_length=16, blank=True)
    device = models.CharField(max_length=16, blank=True)
    # Taken off the comment's counts by a moderator (coordinated voting): still the
    # reader's vote, shown to them as theirs, but not counted.
    is_discounted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_vote_each"),
            models.CheckConstraint(
                condition=models.Q(value__in=[1, -1]), name="vote_is_up_or_down"
            ),
        ]
        indexes = [
            # The coordinated-voting rule reads a comment's votes of the last minutes.
            models.Index(
                fields=["comment", "created_at"], name="vote_on_comment_by_time"
            ),
            # The votes whose signals are still kept, oldest first, for the pass that
            # blanks them: small, as it holds only the last days' votes.
            models.Index(
                fields=["created_at"],
                condition=~models.Q(network="", device=""),
                name="vote_signals_kept",
            ),
        ]

    def __str__(self):
        return f"{self.value:+d} on comment {self.comment_id}"


class ThreadEvent(models.Model):
    """What happened in a thread, in order: the log live updates replay from.

    The id is the Server-Sent Events id, so a reconnecting reader resumes with
    `Last-Event-ID` across app servers.
    """

    class Kind(models.TextChoices):
        # The Server-Sent Events' event names; data {"id", "count"}.
        COMMENT = "comment", _("A comment appeared")
        DELETE = "delete", _("A comment went")
        # data {"id"}: a comment changed in place (edited, removed, picked).
        EDIT = "edit", _("A comment changed")
        # data {"id", "up", "down"}.
        VOTE = "vote", _("A comment's votes changed")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["thread", "id"])]

    def __str__(self):
        return f"{self.kind} in thread {self.thread_id}"


@register_setting(icon="comment")
class CommentSettings(BaseSiteSetting):
    max_length = models.PositiveIntegerField(
        default=5000, help_text=_("The longest comment, in characters.")
    )
    min_interval_seconds = models.PositiveIntegerField(
        default=15, help_text=_("A reader may post one comment per this many seconds.")
    )
    edit_window_minutes = models.PositiveIntegerField(
        default=10, help_text=_("How long authors may edit a comment after posting.")
    )
    close_after_days = models.PositiveIntegerField(
        default=14,
        help_text=_(
            "Comments close this many days after an article is first published "
            "(0: never)."
        ),
    )
    page_size = models.PositiveIntegerField(
        default=50, help_text=_("Comments per page of a thread.")
    )

    panels = [
        FieldPanel("max_length"),
        FieldPanel("min_interval_seconds"),
        FieldPanel("edit_window_minutes"),
        FieldPanel("close_after_days"),
        FieldPanel("page_size"),
    ]

    class Meta:
        verbose_name = _("comments")
