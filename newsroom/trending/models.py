"""Read counts, the trending lists computed from them, and editors' placements.

Reads are counted per article per clock hour (`ReadCount`), written only by the
periodic flush. `TrendingEntry` rows are what the widgets show: recomputed every
few minutes per site and list, carrying the title and address so a widget costs
one query. `Placement` is an editor's pin or hide.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class ReadCount(models.Model):
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    hour = models.DateTimeField(help_text=_("The start of the clock hour, in UTC."))
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "hour"], name="one_count_per_hour")
        ]
        indexes = [models.Index(fields=["hour"])]

    def __str__(self):
        return f"{self.count} reads of page {self.page_id} at {self.hour:%Y-%m-%d %H}h"


class FlushedBatch(models.Model):
    """A buffer of counts already written: a flush retried after a crash between
    writing the counts and clearing the buffer finds its batch here and skips it."""

    key = models.CharField(max_length=80, unique=True)
    flushed_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return self.key


class TrendingEntry(models.Model):
    class List(models.TextChoices):
        TRENDING = "trending", _("Trending")
        MOST_READ = "most_read", _("Most read")
        MOST_DISCUSSED = "most_discussed", _("Most discussed")

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE)
    list = models.CharField(max_length=20, choices=List.choices)
    rank = models.PositiveSmallIntegerField()
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=255)
    url = models.URLField(max_length=500)
    section = models.CharField(max_length=255, blank=True)
    score = models.FloatField(default=0)
    reads = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    pinned = models.BooleanField(default=False)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["site", "list", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "list", "rank"], name="one_entry_per_rank"
            )
        ]

    def __str__(self):
        return f"{self.get_list_display()} #{self.rank} on {self.site}: {self.title}"


class Placement(models.Model):
    """An editor's decision about one article in the trending lists."""

    class Action(models.TextChoices):
        PIN = "pin", _("Pin to the top")
        HIDE = "hide", _("Hide")

    page = models.OneToOneField(
        "news.ArticlePage",
        on_delete=models.CASCADE,
        related_name="trending_placement",
        verbose_name=_("article"),
    )
    action = models.CharField(_("action"), max_length=4, choices=Action.choices)
    until = models.DateTimeField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep it until you remove it."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    panels = [
        FieldPanel("page"),
        FieldPanel("action"),
        FieldPanel("until"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("trending placement")
        verbose_name_plural = _("trending placements")

    def __str__(self):
        return f"{self.get_action_display()}: {self.page.title}"

    def active(self, now=None) -> bool:
        return self.until is None or self.until > (now or timezone.now())
