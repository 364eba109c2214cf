"""Moderation: the rules comments are screened by, reports, sanctions, the log.

The comments app never imports this one: it asks for decisions through the
signals in `newsroom.comments.signals`, and this app changes comments only through
the comments' actions (`newsroom.comments.transitions`).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from newsroom.comments.models import Vote

MODERATORS_GROUP = "Moderators"


@register_setting(icon="warning")
class ModerationSettings(BaseSiteSetting):
    """The screening rules of one site, in the order they run."""

    class Premoderation(models.TextChoices):
        OFF = "off", _("Off: comments appear at once unless a rule holds them")
        NEW = "new", _("New commenters: hold comments until enough are approved")
        ALL = "all", _("Everything: hold every comment for review")

    premoderation = models.CharField(
        max_length=3, choices=Premoderation.choices, default=Premoderation.OFF
    )
    new_commenter_approvals = models.PositiveIntegerField(
        default=3,
        help_text=_(
            "With pre-moderation of new commenters: how many approved comments a "
            "reader needs before their comments appear at once."
        ),
    )
    banned_words = models.TextField(
        blank=True,
        help_text=_(
            "One word or phrase per line. A comment containing one is refused with a "
            "message. Matching ignores case, accents, spacing inside a word, "
            "look-alike letters and simple number-for-letter swaps."
        ),
    )
    suspect_words = models.TextField(
        blank=True,
        help_text=_(
            "One word or phrase per line. A comment containing one is held for review."
        ),
    )
    max_links = models.PositiveIntegerField(
        default=2, help_text=_("A comment with more links than this is held.")
    )
    blocked_domains = models.TextField(
        blank=True,
        help_text=_(
            "One domain per line (example.com also covers www.example.com). A comment "
            "linking to one is held."
        ),
    )
    repeat_window_minutes = models.PositiveIntegerField(
        default=60,
        help_text=_(
            "The same text posted again on any article within this many minutes is "
            "refused (0: no check)."
        ),
    )
    toxicity_check = models.BooleanField(
        default=True,
        help_text=_(
            "Score comments with the offensive-language classifier that runs on this "
            "server."
        ),
    )
    toxicity_threshold = models.FloatField(
        default=0.85,
        help_text=_(
            "From 0 to 1. At or above it the author is asked to reconsider; a comment "
            "posted anyway is held for review."
        ),
    )
    report_threshold = models.PositiveIntegerField(
        default=3,
        help_text=_(
            "Reports from this many readers hide a comment until a moderator decides."
        ),
    )
    comments_per_minute = models.PositiveIntegerField(default=3)
    comments_per_hour = models.PositiveIntegerField(default=30)
    votes_per_minute = models.PositiveIntegerField(default=30)
    votes_per_hour = models.PositiveIntegerField(default=300)
    reports_per_minute = models.PositiveIntegerField(default=5)
    reports_per_hour = models.PositiveIntegerField(default=20)
    ip_factor = models.PositiveIntegerField(
        default=5,
        help_text=_(
            "Limits per network address are this many times the limits per reader "
            "(several readers may share an address)."
        ),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("premoderation"), FieldPanel("new_commenter_approvals")],
            heading=_("Pre-moderation"),
        ),
        MultiFieldPanel(
            [FieldPanel("banned_words"), FieldPanel("suspect_words")],
            heading=_("Words"),
        ),
        MultiFieldPanel(
            [FieldPanel("max_links"), FieldPanel("blocked_domains")],
            heading=_("Links"),
        ),
        FieldPanel("repeat_window_minutes"),
        MultiFieldPanel(
            [FieldPanel("toxicity_check"), FieldPanel("toxicity_threshold")],
            heading=_("Offensive language"),
        ),
        FieldPanel("report_threshold"),
        MultiFieldPanel(
            [
                FieldPanel("comments_per_minute"),
                FieldPanel("comments_per_hour"),
                FieldPanel("votes_per_minute"),
                FieldPanel("votes_per_hour"),
                FieldPanel("reports_per_minute"),
                FieldPanel("reports_per_hour"),
                FieldPanel("ip_factor"),
            ],
            heading=_("Rate limits"),
        ),
    ]

    class Meta:
        verbose_name = _("moderation")

    def clean(self):
        from django.core.exceptions import ValidationError

        if not 0 <= self.toxicity_threshold <= 1:
            raise ValidationError(
                {"toxicity_threshold": _("Give a number from 0 to 1.")}
            )

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]


class ArticleRules(models.Model):
    """Switches moderators set on one heated article."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="moderation_rules"
    )
    premoderate = models.BooleanField(
        default=False, help_text=_("Hold every new comment on this article for review.")
    )
    slow_mode_seconds = models.PositiveIntegerField(
        default=0,
        help_text=_("Each reader may comment once per this many seconds (0: off)."),
    )
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Rules for page {self.page_id}"


class CommentReview(models.Model):
    """What screening and readers said about one comment, and where it stands."""

    comment = models.OneToOneField(
        "comments.Comment", on_delete=models.CASCADE, related_name="review"
    )
    toxicity = models.FloatField(null=True, blank=True)
    # The rules the comment tripped: [{"rule", "action", "message"}].
    flags = models.JSONField(default=list, blank=True)
    report_count = models.PositiveIntegerField(default=0)
    open_reports = models.PositiveIntegerField(default=0)
    # In the queue since (held, or first open report); None when nothing waits.
    waiting_since = models.DateTimeField(null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True, db_index=True)
    waited = models.DurationField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["open_reports", "waiting_since"])]

    def __str__(self):
        return f"Review of comment {self.comment_id}"


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abuse or harassment")
        HATE = "hate", _("Hate speech")
        OFF_TOPIC = "off_topic", _("Off-topic")
        MISINFORMATION = "misinformation", _("Misinformation")
        OTHER = "other", _("Something else (please say what)")

    NOTE_MAX = 1000

    comment = models.ForeignKey(
        "comments.Comment", on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True, max_length=NOTE_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="one_report_per_reader"
            )
        ]

    def __str__(self):
        return f"Report on comment {self.comment_id}"


class RemovalReason(models.Model):
    """Reasons moderators pick from; the thread shows `message` in place."""

    title = models.CharField(max_length=80, help_text=_("What moderators pick from."))
    message = models.CharField(
        max_length=300,
        help_text=_("What readers see in the thread where the comment was."),
    )
    sort_order = models.PositiveIntegerField(default=0)

    panels = [FieldPanel("title"), FieldPanel("message"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.title


class SanctionQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True, starts_at__lte=now).filter(
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now)
        )


class Sanction(models.Model):
    class Kind(models.TextChoices):
        WARN = "warn", _("Warning")
        PREMODERATE = "premoderate", _("Pre-moderation of their comments")
        SUSPEND = "suspend", _("Suspension")
        BAN = "ban", _("Ban")

    # Kinds that stop a reader commenting, voting and reporting.
    BLOCKING = (Kind.SUSPEND, Kind.BAN)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # None: the whole network.
    site = models.ForeignKey(
        "wagtailcore.Site", null=True, blank=True, on_delete=models.CASCADE
    )
    reason = models.TextField(max_length=1000)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = SanctionQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "lifted_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user_id}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.lifted_at is None
            and self.starts_at <= now
            and (self.ends_at is None or self.ends_at > now)
        )

    def applies_to(self, site) -> bool:
        return self.site_id is None or (site is not None and self.site_id == site.pk)

    @property
    def is_warning(self) -> bool:
        return self.kind == self.Kind.WARN

    @property
    def duration(self) -> datetime.timedelta | None:
        return self.ends_at - self.starts_at if self.ends_at else None


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The moderation log is append-only.")

    def delete(self):
        raise PermissionDenied("The moderation log is append-only.")


class LogEntry(models.Model):
    """One moderator action. Rows are written once and never changed or deleted
    (names are copied so the entry still reads right after an account goes)."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved a comment")
        REMOVE = "remove", _("Removed a comment")
        RESTORE = "restore", _("Restored a comment")
        PICK = "pick", _("Made a comment an editor's pick")
        UNPICK = "unpick", _("Took a comment off the editor's picks")
        DISMISS = "dismiss", _("Dismissed the reports on a comment")
        SANCTION = "sanction", _("Sanctioned a reader")
        LIFT = "lift", _("Lifted a sanction")
        ARTICLE = "article", _("Changed an article's moderation")
        DISCOUNT = "discount", _("Discounted coordinated votes")
        RECOUNT = "recount", _("Counted discounted votes again")
        CLEAR = "clear", _("Left flagged votes counted")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderator_name = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=Action.choices, db_index=True)
    comment_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reader_name = models.CharField(max_length=150, blank=True)
    site = models.ForeignKey(
        "wagtailcore.Site", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")

    def __str__(self):
        return f"{self.moderator_name}: {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("The moderation log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The moderation log is append-only.")


class VoteRing(models.Model):
    """Votes that look coordinated (rings.check_vote): at least
    NEWSROOM_VOTE_RING_ACCOUNTS accounts, linked by one thing, voting one comment
    the same way within NEWSROOM_VOTE_RING_MINUTES. Moderators discount the
    members' votes, count them again, or leave them counted (decisions)."""

    class Link(models.TextChoices):
        NETWORK = "network", _("Voting from one network")
        DEVICE = "device", _("One browser, accounts created close together")
        NEW = "new", _("New accounts")

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting review")
        DISCOUNTED = "discounted", _("Votes discounted")
        CLEARED = "cleared", _("Votes left counted")

    comment = models.ForeignKey(
        "comments.Comment", on_delete=models.CASCADE, related_name="vote_rings"
    )
    value = models.SmallIntegerField(choices=Vote.Value.choices)
    link = models.CharField(max_length=10, choices=Link.choices)
    # The shared hash (Vote.network or Vote.device); "" for new accounts.
    key = models.CharField(max_length=16, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    found_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Racing votes of one ring add to one flag.
            models.UniqueConstraint(
                fields=["comment", "value", "link", "key"],
                condition=models.Q(status="open"),
                name="one_open_ring_per_link",
            )
        ]
        indexes = [
            models.Index(fields=["status", "-found_at"], name="vote_ring_by_status")
        ]

    def __str__(self):
        return f"{self.get_link_display()} on comment {self.comment_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_discounted(self) -> bool:
        return self.status == self.Status.DISCOUNTED

    @property
    def is_up(self) -> bool:
        return self.value == Vote.Value.UP

    @property
    def fingerprint(self) -> str:
        """What moderators see of the shared hash: enough to tell two apart."""
        return self.key[:8]


class VoteRingMember(models.Model):
    """One account of a ring, as it was when it voted (names copied, so the
    evidence still reads right after the account goes)."""

    ring = models.ForeignKey(VoteRing, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=150)
    joined_at = models.DateTimeField()
    voted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ring", "user"], name="one_ring_member_each"
            )
        ]

    def __str__(self):
        return f"{self.name} in ring {self.ring_id}"
