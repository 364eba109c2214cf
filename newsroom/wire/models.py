"""Agency feeds an editor set up, and what each one has delivered.

A `WireFeed` is polled by the scheduler (jobs.py); each story in it is a `WireItem`,
the same article across polls, restarts and racing schedulers (one row per feed and
agency identifier, held by the database). A photo is downloaded once per address
(`WireImage`).
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from newsroom.news.models import ArticlePage, NewsImage, SectionPage, WireAgency

# An agency's photo or story address can be long; a B-tree index still takes it.
URL_LENGTH = 1000


class WireFeed(models.Model):
    """One agency feed on one site, filed into one section."""

    class Format(models.TextChoices):
        RSS = "rss", _("RSS 2.0")
        ATOM = "atom", _("Atom")
        NINJS = "ninjs", _("IPTC ninjs (JSON)")

    class Mode(models.TextChoices):
        DRAFT = "draft", _("Draft for review")
        PUBLISH = "publish", _("Publish at once")

    site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.CASCADE,
        related_name="wire_feeds",
        verbose_name=_("site"),
    )
    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(
        _("feed address"),
        max_length=URL_LENGTH,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("An http:// or https:// address."),
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    section = models.ForeignKey(
        SectionPage,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("section"),
        help_text=_("Stories are filed here, on the feed's site."),
    )
    agency = models.ForeignKey(
        WireAgency,
        on_delete=models.PROTECT,
        related_name="feeds",
        verbose_name=_("agency"),
        help_text=_("Credited on every story, with its copyright line."),
    )
    mode = models.CharField(
        _("mode"), max_length=10, choices=Mode.choices, default=Mode.DRAFT
    )
    poll_interval_minutes = models.PositiveIntegerField(
        _("poll every (minutes)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    is_enabled = models.BooleanField(_("enabled"), default=True)

    # Kept by polling (jobs.py), shown on the dashboard; not edited by hand.
    etag = models.CharField(max_length=255, blank=True, editable=False)
    last_modified = models.CharField(max_length=64, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, editable=False)
    last_result = models.CharField(max_length=255, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, editable=False)
    failure_count = models.PositiveIntegerField(default=0, editable=False)
    next_attempt_at = models.DateTimeField(null=True, editable=False)
    items_taken_count = models.PositiveIntegerField(default=0, editable=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("url"),
        FieldRowPanel([FieldPanel("format"), FieldPanel("agency")]),
        FieldRowPanel([FieldPanel("site"), FieldPanel("section")]),
        MultiFieldPanel(
            [
                FieldPanel("mode"),
                FieldPanel("poll_interval_minutes"),
                FieldPanel("is_enabled"),
            ],
            heading=_("Polling"),
        ),
    ]

    class Meta:
        ordering = ["site_id", "name"]
        verbose_name = _("wire feed")
        verbose_name_plural = _("wire feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "name"], name="wire_unique_feed_name_per_site"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.section_id and self.site_id:
            root = self.site.root_page
            if not self.section.is_descendant_of(root):
                raise ValidationError(
                    {
                        "section": ValidationError(
                            _("Choose a section of %(site)s."),
                            code="section_of_another_site",
                            params={"site": self.site.site_name or self.site},
                        )
                    }
                )

    @property
    def interval(self) -> timedelta:
        return timedelta(minutes=self.poll_interval_minutes)

    @property
    def is_failing(self) -> bool:
        return self.failure_count > 0

    @property
    def publishes_at_once(self) -> bool:
        return self.mode == self.Mode.PUBLISH


class WireItem(models.Model):
    """One agency story as it reached us: its identity, its version, its article."""

    feed = models.ForeignKey(WireFeed, on_delete=models.CASCADE, related_name="items")
    identifier = models.CharField(
        max_length=URL_LENGTH, help_text="RSS guid, Atom id or ninjs uri."
    )
    version = models.CharField(
        max_length=64,
        blank=True,
        help_text="ninjs version or Atom updated time; empty for RSS.",
    )
    content_hash = models.CharField(max_length=64)
    page = models.ForeignKey(
        ArticlePage,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    headline = models.CharField(max_length=255, blank=True)
    first_seen_at = models.DateTimeField()
    changed_at = models.DateTimeField()
    killed_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "identifier"], name="wire_unique_item_per_feed"
            )
        ]

    def __str__(self):
        return self.headline or self.identifier

    @property
    def is_killed(self) -> bool:
        return self.killed_at is not None


class WireImage(models.Model):
    """A photo an agency sent, downloaded once: its address and the stored image."""

    source_url = models.CharField(max_length=URL_LENGTH, unique=True)
    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="+")
    downloaded_at = models.DateTimeField()

    def __str__(self):
        return self.source_url
