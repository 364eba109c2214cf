"""Notifications for readers. Delivery by email arrives with the alerts issue; for now
they are stored and counted, and listed on the reader's notifications page."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "comment"], name="one_notice_per_comment"
            )
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"
