"""News alerts by email, and notifications of what happens to a reader's comments.

News alerts: an address (Subscriber) subscribes to sister sites (Subscription, double
opt-in); each mailing (Alert) is fanned out to one Delivery row per subscription
before anything is sent, which is what makes sending idempotent.

Notifications: stored per reader, counted in the masthead, listed on the
notifications page and emailed at once, daily or never (EmailPreference)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.accounts.models import TIME_ZONE_CHOICES

# As long as the removal reason a thread shows in place of a comment.
MESSAGE_LENGTH = 300


class Notification(models.Model):
    class Kind(models.TextChoices):
        QUOTED = "quoted", _("Your comment was quoted")
        REMOVED = "removed", _("Your comment was removed by a moderator")
        PICKED = "picked", _("Your comment became an editor's pick")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.ForeignKey(
        "comments.Comment", null=True, on_delete=models.CASCADE, related_name="+"
    )
    # What the reader is told beyond the kind: the reason a thread shows in place
    # of a removed comment, kept here since the comment may be restored or changed.
    message = models.CharField(max_length=MESSAGE_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Email(models.TextChoices):
        NONE = "", _("Not emailed")
        DUE = "due", _("Due")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    email = models.CharField(
        max_length=10,
        blank=True,
        choices=Email.choices,
        help_text=_("Where the notification's email stands."),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email", "recipient"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "comment"], name="one_notice_per_comment"
            )
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"

    # What templates ask of the kind, so that they name no kind themselves.
    @property
    def is_quote(self) -> bool:
        return self.kind == self.Kind.QUOTED

    @property
    def is_removal(self) -> bool:
        return self.kind == self.Kind.REMOVED

    @property
    def is_pick(self) -> bool:
        return self.kind == self.Kind.PICKED


# News alerts ----------------------------------------------------------------------

DIGEST_HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


class Subscriber(models.Model):
    """An email address that receives news alerts from one or more sister sites.

    Readers without an account subscribe too; a signed-in reader's subscriptions are
    linked to their account so the manage page finds them. Addresses are stored
    lower-cased. Deliveries that keep failing pause the address (`paused_at`)."""

    email = models.EmailField(max_length=254, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_subscribers",
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, choices=TIME_ZONE_CHOICES
    )
    created_at = models.DateTimeField(default=timezone.now)
    failures = models.PositiveIntegerField(
        default=0, help_text=_("Deliveries that failed in a row.")
    )
    paused_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alert subscriber")

    def __str__(self):
        return self.email


class Subscription(models.Model):
    """What one address receives from one site: breaking news, a daily digest, both.

    Nothing is sent until the address confirms from the emailed link
    (`confirmed_at`); a new confirmation also retires every earlier unsubscribe
    link, so an old link replayed later changes nothing."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    site = models.ForeignKey(
        "wagtailcore.Site", on_delete=models.CASCADE, related_name="+"
    )
    breaking = models.BooleanField(_("breaking news"), default=True)
    digest = models.BooleanField(_("daily digest"), default=False)
    digest_hour = models.PositiveSmallIntegerField(
        _("digest time"), default=7, choices=DIGEST_HOURS
    )
    sections = models.ManyToManyField(
        "news.SectionPage",
        blank=True,
        related_name="+",
        help_text=_("The digest's sections; none means every section."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    invited_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "site"], name="one_subscription_per_site"
            )
        ]
        verbose_name = _("alert subscription")

    def __str__(self):
        return f"{self.subscriber} on {self.site}"

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and (self.breaking or self.digest)


class Alert(models.Model):
    """One mailing: a breaking-news article, or one hour's daily digests on a site."""

    class Kind(models.TextChoices):
        BREAKING = "breaking", _("Breaking news")
        DIGEST = "digest", _("Daily digest")

    site = models.ForeignKey(
        "wagtailcore.Site", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    article = models.ForeignKey(
        "news.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    slot = models.DateTimeField(
        null=True, blank=True, help_text=_("A digest's hour (UTC).")
    )
    subject = models.CharField(max_length=255)
    recipients = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Set when the deliveries are written.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # "Once, even if the article is republished": a second publish finds
            # this row and sends nothing.
            models.UniqueConstraint(
                fields=["article"],
                condition=models.Q(kind="breaking"),
                name="one_breaking_alert_per_article",
            ),
            models.UniqueConstraint(
                fields=["site", "slot"],
                condition=models.Q(kind="digest"),
                name="one_digest_run_per_site_and_hour",
            ),
        ]
        verbose_name = _("news alert")

    def __str__(self):
        return self.subject


class BreakingRequest(models.Model):
    """An editor's "send as breaking alert" on an article: it goes out when the
    article is published (at once when the editor ticks it and publishes in one
    step), once ever."""

    article = models.OneToOneField(
        "news.ArticlePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("article"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("breaking alert request")

    def __str__(self):
        return f"Breaking alert for article {self.article_id}"


class Delivery(models.Model):
    """One alert to one subscription, recorded before it is sent.

    A worker claims a batch (QUEUED → SENDING, with its id and the time), marks each
    message SENT as soon as the mail server accepts it, and schedules a failed one
    again with back-off. Rows left SENDING by a worker that died are queued again
    once their lease runs out, so nobody is skipped."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "subscription"], name="one_delivery_per_subscription"
            )
        ]
        indexes = [models.Index(fields=["alert", "status", "next_attempt_at"])]
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")

    def __str__(self):
        return f"{self.alert_id} → {self.subscription_id}: {self.status}"


class EmailPreference(models.Model):
    """How a reader hears about notifications by email. Without a row: at once,
    provided their address is verified."""

    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately")
        DAILY = "daily", _("A daily summary")
        OFF = "off", _("Off (only on the site)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_email",
    )
    frequency = models.CharField(
        _("email me about notifications"),
        max_length=12,
        choices=Frequency.choices,
        default=Frequency.IMMEDIATELY,
    )

    def __str__(self):
        return f"{self.user_id}: {self.frequency}"
