"""Notifications for readers. Delivery by email arrives with the alerts issue; for now
they are stored and counted, and listed on the reader's notifications page."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    QUOTED = "quoted"
    KINDS = [(QUOTED, "Your comment was quoted")]

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=KINDS)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.ForeignKey(
        "comments.Comment", null=True, on_delete=models.CASCADE, related_name="+"
    )
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
