"""Publishing: the page tree of every site, the people and agencies behind a story.

Tree per site: HomePage -> SectionPage -> ArticlePage. An article's section is its
parent page, so moving a story between sections is a Wagtail move.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Orderable, Page, Site
from wagtail.search import index

from .blocks import ArticleBodyBlock
from .routes import HomeRoutes, SectionRoutes


class NewsImage(AbstractImage):
    """A photo whose caption and credit travel with it wherever it is used.

    The image's title is the photo's title line, shown above the caption.
    """

    caption = models.TextField(
        _("caption"),
        blank=True,
        help_text=_(
            "What the photo shows, "
            "e.g. 'FILE PHOTO: Ferries at Kobe port, May 2, 2026.'"
        ),
    )
    agency = models.CharField(
        _("agency"), max_length=100, blank=True, help_text=_("Photo agency, if any.")
    )
    photographer = models.CharField(_("photographer"), max_length=100, blank=True)

    admin_form_fields = (*Image.admin_form_fields, "caption", "agency", "photographer")

    class Meta(AbstractImage.Meta):
        verbose_name = _("news image")
        verbose_name_plural = _("news images")

    @property
    def credit(self) -> str:
        """`Agency/Photographer`, or whichever of the two is known."""
        return "/".join(part for part in (self.agency, self.photographer) if part)


class NewsRendition(AbstractRendition):
    image = models.ForeignKey(
        NewsImage, on_delete=models.CASCADE, related_name="renditions"
    )

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class Author(index.Indexed, models.Model):
    """A byline: staff writer, correspondent or wire reporter."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"), max_length=120, unique=True, allow_unicode=True, blank=True
    )
    bio = models.TextField(
        _("bio"), blank=True, max_length=600, help_text=_("One or two sentences.")
    )
    photo = models.ForeignKey(
        NewsImage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo"),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("bio"),
        FieldPanel("photo"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.free_slug()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not self.slug:
            self.slug = self.free_slug()

    def free_slug(self) -> str:
        """A slug from the name not used by another author: `ann-lee`, `ann-lee-2`, …"""
        base = slugify(self.name, allow_unicode=True)[:110] or "author"
        slug, number = base, 2
        while Author.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, number = f"{base}-{number}", number + 1
        return slug


class WireAgency(models.Model):
    """A news agency whose copy we run, with the wording of its copyright line."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    copyright_holder = models.CharField(
        _("copyright holder"),
        max_length=120,
        help_text=_("Printed as '© <holder> <year>.' under its stories."),
    )

    panels = [FieldPanel("name"), FieldPanel("copyright_holder")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("wire agency")
        verbose_name_plural = _("wire agencies")

    def __str__(self):
        return self.name


MIN_TEXT_CONTRAST = 4.5  # WCAG 2 AA for normal text


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of white text on `colour` (#rrggbb)."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return 1.05 / (luminance + 0.05)


@register_setting(icon="site")
class NewsSiteSettings(BaseSiteSetting):
    """Brand and publisher of one site of the network."""

    publisher_name = models.CharField(
        _("publisher name"),
        max_length=120,
        default="Newsroom Inc.",
        help_text=_("Printed as '©<year> <publisher>'."),
    )
    tagline = models.CharField(_("tagline"), max_length=160, blank=True)
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#1f4e79",
        validators=[
            RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1f4e79."))
        ],
        help_text=_("Header colour; white text must stay readable on it."),
    )
    logo = models.ForeignKey(
        NewsImage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )

    panels = [
        FieldPanel("publisher_name"),
        FieldPanel("tagline"),
        FieldPanel("brand_colour"),
        FieldPanel("logo"),
    ]

    class Meta:
        verbose_name = _("site brand and publisher")
        verbose_name_plural = _("site brands and publishers")

    @classmethod
    def for_request(cls, request):
        """Every page shows the brand: kept in the cache under the content version
        (saving these settings or a photo bumps it), logo included."""
        from django.core.cache import cache

        from .freshness import FRAGMENT_TIMEOUT, content_version

        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)
        key = f"news:brand:{site.pk}:{content_version(request)}"
        brand = cache.get(key)
        if brand is None:
            brand = (
                cls.base_queryset().select_related("logo").get_or_create(site=site)[0]
            )
            cache.set(key, brand, FRAGMENT_TIMEOUT)
        brand._request = request
        setattr(request, attr_name, brand)
        return brand

    def clean(self):
        super().clean()
        if (
            self.brand_colour
            and contrast_with_white(self.brand_colour) < MIN_TEXT_CONTRAST
        ):
            raise ValidationError(
                {
                    "brand_colour": ValidationError(
                        _(
                            "White masthead text would be hard to read on this "
                            "colour (contrast %(contrast).1f:1, at least "
                            "%(minimum)s:1 needed). Choose a darker colour."
                        ),
                        code="low_contrast",
                        params={
                            "contrast": contrast_with_white(self.brand_colour),
                            "minimum": MIN_TEXT_CONTRAST,
                        },
                    )
                }
            )


class HomePage(HomeRoutes, RoutablePageMixin, Page):
    """The front page of one site; also serves search, tag, author and feed routes."""

    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Used in feeds and search engines."),
    )

    content_panels = [*Page.content_panels, FieldPanel("description")]
    parent_page_types = ["wagtailcore.Page"]
    # No subpage_types: what goes under a home page is said by each child's
    # parent_page_types (a section here; api's index of embedded discussions).

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def route(self, request, path_components):
        """Wagtail's routing, after the process's index of the network's addresses
        (lookups.Reachable) rules out a path no page can answer: a crawler's misses
        cost no query per path component."""
        from django.http import Http404

        from .lookups import reachable

        if not reachable(request).may_route(self.url_path, path_components):
            raise Http404
        return super().route(request, path_components)

    route.routes_as_wagtail = True  # the index reads this class's routes as usual


# A section with one of these slugs could not be reached: the home page's own routes
# (routes.py) or the project's URLconf answer those paths first.
RESERVED_SECTION_SLUGS = {
    "search",
    "tags",
    "authors",
    "feeds",  # HomeRoutes
    "accounts",
    "readers",
    "alerts",
    "cms",
    "documents",
    "media",
    "api",
    "discussions",
    "embed",
    "embed.js",
    "static",
}


class SectionPage(SectionRoutes, RoutablePageMixin, Page):
    """A section such as world or sports: a paginated list of its articles."""

    description = models.TextField(_("description"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("description")]
    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage"]

    class Meta:
        verbose_name = _("section page")
        verbose_name_plural = _("section pages")

    @property
    def label(self) -> str:
        """The lower-case label shown above headlines, as on the reference page."""
        return self.slug

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SECTION_SLUGS:
            raise ValidationError(
                {
                    "slug": ValidationError(
                        _(
                            "“%(slug)s” is taken by the site's own pages; "
                            "choose another slug."
                        ),
                        code="reserved_slug",
                        params={"slug": self.slug},
                    )
                }
            )


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(Page):
    """A story. The page title is the headline; the parent page is the section."""

    standfirst = models.TextField(
        _("standfirst"),
        max_length=400,
        help_text=_("One or two sentences under the headline."),
    )
    lead_image = models.ForeignKey(
        NewsImage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lead image"),
        help_text=_("Its title, caption and credit are edited on the image itself."),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    wire_agency = models.ForeignKey(
        WireAgency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("wire agency"),
        help_text=_("Set for wire copy: prints the agency's copyright line."),
    )
    updated_at = models.DateTimeField(
        _("updated at"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the story changes materially; "
            "shown as 'Updated' and in dateModified."
        ),
    )

    # Apps above news add their own switches (comments: close comments; alerts:
    # send as breaking alert) to these panels and the Settings tab: news/options.py.
    content_panels = [
        FieldPanel("title", heading=_("Headline")),
        FieldPanel("standfirst"),
        InlinePanel(
            "article_authors", label=_("Author"), min_num=1, heading=_("Byline")
        ),
        FieldPanel("lead_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("tags"), FieldPanel("wire_agency"), FieldPanel("updated_at")],
            heading=_("Metadata"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    parent_page_types = ["news.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article page")
        verbose_name_plural = _("article pages")

    @property
    def modified_at(self):
        return self.updated_at or self.last_published_at or self.first_published_at

    @property
    def published_at(self):
        return self.first_published_at or self.go_live_at or timezone.now()

    def get_context(self, request, *args, **kwargs):
        from .selectors import article_context

        context = super().get_context(request, *args, **kwargs)
        context.update(article_context(self, request))
        return context


class ArticleAuthor(Orderable):
    """An author on an article's byline, in byline order."""

    page = ParentalKey(
        ArticlePage, on_delete=models.CASCADE, related_name="article_authors"
    )
    author = models.ForeignKey(
        Author,
        on_delete=models.PROTECT,
        related_name="article_links",
        verbose_name=_("author"),
    )

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        verbose_name = _("article author")
        verbose_name_plural = _("article authors")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "author"], name="news_unique_author_per_article"
            )
        ]


class SchedulerRun(models.Model):
    """The last run of a periodic job, so editors can see the scheduler is alive."""

    name = models.CharField(max_length=60, unique=True)
    last_run_at = models.DateTimeField()
    last_result = models.CharField(max_length=255, blank=True)

    def __str__(self):
        return self.name


class ContentVersion(models.Model):
    """A network-wide counter, bumped whenever published content changes.

    Cached page fragments carry it in their keys. It lives in the database rather than
    the cache so that every process (uvicorn workers, the scheduler, other app servers)
    sees a change at once even when each has a cache of its own.
    """

    version = models.BigIntegerField(default=1)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"content version {self.version}"
