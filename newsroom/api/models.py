"""The discussions embedded on other websites, and which websites may embed them.

(Personal API tokens are Wagtail's own `wagtail.models.APIToken`.)

An embedded discussion is a page in the site's tree (`DiscussionPage`, kept under
one `DiscussionIndexPage` per site) so that everything comments rely on, from
threads to moderation, closing and permalinks, works for it unchanged. Its address
on this site redirects to the article it discusses.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page


def origin_of(url: str) -> str:
    """`https://example.com` (with a port only when it is not the default)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    default = {"http": 80, "https": 443}[parts.scheme]
    try:
        port = parts.port
    except ValueError:
        return ""
    host = parts.hostname.lower()
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def validate_origins(value: str) -> None:
    for line in value.splitlines():
        line = line.strip()
        if line and origin_of(line) != line.rstrip("/").lower():
            raise ValidationError(
                _(
                    "“%(line)s” is not an origin. Write one per line as "
                    "https://www.example.com, with a port only if it is not the "
                    "usual one and nothing after the host."
                ),
                params={"line": line[:100]},
            )


@register_setting(icon="code")
class EmbedSettings(BaseSiteSetting):
    allowed_origins = models.TextField(
        _("websites allowed to embed comments"),
        blank=True,
        validators=[validate_origins],
        help_text=_(
            "One origin per line, e.g. https://www.example.com. Pages on these "
            "websites may show this site's comment threads, and their discussions "
            "belong to this site. Any other website is refused."
        ),
    )

    panels = [FieldPanel("allowed_origins")]

    class Meta:
        verbose_name = _("embedded comments")

    @property
    def origins(self) -> list[str]:
        return [
            line.strip().rstrip("/").lower()
            for line in self.allowed_origins.splitlines()
            if line.strip()
        ]


class DiscussionIndexPage(Page):
    """Holds a site's embedded discussions; it has no page of its own."""

    parent_page_types = ["news.HomePage"]
    subpage_types = ["api.DiscussionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("embedded discussions")

    def serve(self, request, *args, **kwargs):
        raise Http404

    def get_sitemap_urls(self, request=None):
        return []


class DiscussionPage(Page):
    """The discussion of an article published on another website."""

    canonical_url = models.URLField(_("article address"), max_length=500, unique=True)

    content_panels = [FieldPanel("title"), FieldPanel("canonical_url", read_only=True)]
    parent_page_types = ["api.DiscussionIndexPage"]
    subpage_types = []
    search_fields = []

    class Meta:
        verbose_name = _("embedded discussion")

    def serve(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.canonical_url)

    def get_sitemap_urls(self, request=None):
        return []
