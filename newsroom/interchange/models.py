"""What an import brought in, keyed by where it came from, so that running the same
file again adds nothing and an interrupted run continues where it stopped."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    DISQUS = "disqus", _("Disqus export")
    WXR = "wxr", _("WordPress export (WXR)")


class ImportedThread(models.Model):
    """A source's thread (a Disqus thread, a WordPress post) and the page it became
    part of."""

    source = models.CharField(max_length=10, choices=Source.choices)
    source_id = models.CharField(max_length=255)
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    # Set when the import made the page (an archive stub for an unmatched thread).
    created_page = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], name="one_page_per_imported_thread"
            )
        ]

    def __str__(self):
        return f"{self.source} thread {self.source_id}"


class ImportedComment(models.Model):
    """A source's comment and the comment it became; `parent_id` is the source's
    reply link, kept so an export can write it back."""

    source = models.CharField(max_length=10, choices=Source.choices)
    source_id = models.CharField(max_length=255)
    comment = models.OneToOneField(
        "comments.Comment", on_delete=models.CASCADE, related_name="imported"
    )
    # The source's thread: two of them may share one page (an article that had two
    # addresses), and a resumed import reads back only the thread it is on.
    thread_id = models.CharField(max_length=255, db_index=True)
    parent_id = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], name="one_comment_per_imported_post"
            )
        ]

    def __str__(self):
        return f"{self.source} post {self.source_id}"


class ImportedAuthor(models.Model):
    """An account made for an author of imported comments who had none here.

    Nobody can sign in to it. A reader who verifies `email` claims it: its comments
    become theirs and it is deleted. An anonymous author (no email) stays as it is.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imported"
    )
    email = models.EmailField(blank=True, db_index=True)
    original_name = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.original_name


class ImportJob(models.Model):
    """An import started from the admin, run by the task worker; its progress and
    report are shown to the editor who started it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    path = models.CharField(max_length=500)  # the upload, in the data directory
    dry_run = models.BooleanField(default=True)
    hostnames = models.JSONField(default=list, blank=True)  # the site's old ones
    stubs_section = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.WAITING
    )
    stage = models.CharField(max_length=100, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name
