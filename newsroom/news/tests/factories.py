"""Photos and articles for tests, made as editors make them: images saved to the
media storage, articles published through Wagtail's publish path."""

import io

from django.core.files.images import ImageFile

from newsroom.news.models import ArticlePage, NewsImage, SectionPage

from .network import small_photo


def photo(title="Harbour at dawn", *, seed=0, **fields) -> NewsImage:
    """A new photo with a file of its own (a small flat JPEG), so a test may delete
    or change it without touching the baseline's pictures."""
    return NewsImage.objects.create(
        title=title,
        file=ImageFile(io.BytesIO(small_photo("sea", seed)), name="test-photo.jpg"),
        **{"caption": f"{title}.", "agency": "Harbour Wire", **fields},
    )


def section(slug="world", site="ledger") -> SectionPage:
    """A section of the baseline: `section("national", site="courier")`."""
    return SectionPage.objects.get(slug=slug, url_path__startswith=f"/{site}/")


def article(title, *, slug, site="ledger", section_slug="world", **options):
    """Publish an article in a section of the baseline; `options` as for
    helpers.publish_article (body, authors, tags, image)."""
    from .helpers import publish_article

    return publish_article(section(section_slug, site), title, slug=slug, **options)


def with_own_photo(title, *, slug, **options) -> ArticlePage:
    """An article whose lead photo is its own (see `photo`)."""
    return article(title, slug=slug, image=photo(f"Photo for {title}"), **options)
