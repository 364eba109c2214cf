"""Photos and articles for tests, made as editors make them: images saved to the
media storage, articles published through Wagtail's publish path."""

import datetime
import io

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image

from newsroom.news.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    NewsImage,
    SectionPage,
)

from .network import small_photo


def photo(title="Harbour at dawn", *, seed=0, size=None, **fields) -> NewsImage:
    """A new photo with a file of its own (a small flat JPEG), so a test may delete
    or change it without touching the baseline's pictures; `size` (width, height)
    makes it larger, for renditions of several widths."""
    data = small_photo("sea", seed)
    if size is not None:
        buffer = io.BytesIO()
        Image.new("RGB", size, (40 + seed * 20 % 200, 120, 90)).save(buffer, "JPEG")
        data = buffer.getvalue()
    return NewsImage.objects.create(
        title=title,
        file=ImageFile(io.BytesIO(data), name="test-photo.jpg"),
        **{"caption": f"{title}.", "agency": "Harbour Wire", **fields},
    )


def section(slug="world", site="ledger") -> SectionPage:
    """A section of the baseline: `section("national", site="courier")`."""
    return SectionPage.objects.get(slug=slug, url_path__startswith=f"/{site}/")


def publish_article(section, title, *, slug, **fields):
    """Write and publish an article as an editor would, by Wagtail's publish path;
    `fields` are those of draft_article."""
    article = draft_article(section, title, slug=slug, **fields)
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def draft_article(
    section, title, *, slug, body=None, authors=1, tags=(), image=None, **fields
):
    """Write an article and leave it unpublished; `fields` are more of the
    ArticlePage's (standfirst, wire_agency, …)."""
    article = ArticlePage(
        title=title,
        slug=slug,
        lead_image=image or ArticlePage.objects.exclude(lead_image=None)[0].lead_image,
        body=body or [("paragraph", f"<p>Body of {title}.</p>")],
        **{"standfirst": f"Standfirst of {title}.", **fields},
    )
    for order, author in enumerate(Author.objects.order_by("pk")[:authors]):
        article.article_authors.add(ArticleAuthor(author=author, sort_order=order))
    article.tags.add(*tags)
    section.add_child(instance=article)
    article.live = False  # Page.add_child keeps the default: live
    article.save(update_fields=["live"])
    return article


def article(title, *, slug, site="ledger", section_slug="world", **options):
    """Publish an article in a section of the baseline; `options` as for
    `publish_article` (body, authors, tags, image and the page's fields)."""
    return publish_article(section(section_slug, site), title, slug=slug, **options)


def with_own_photo(title, *, slug, **options) -> ArticlePage:
    """An article whose lead photo is its own (see `photo`)."""
    return article(title, slug=slug, image=photo(f"Photo for {title}"), **options)


def scheduled_article(section, title, *, slug, **fields) -> ArticlePage:
    """Write an article and publish it for tomorrow, as an editor schedules one:
    offline until the scheduler's pass after its go-live time (see `come_due`)."""
    article = draft_article(section, title, slug=slug, **fields)
    article.go_live_at = timezone.now() + datetime.timedelta(days=1)
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def come_due(article, *, now=None) -> None:
    """Move an article's scheduled go-live time (on the page and on the revision
    Wagtail holds for it) just into the past, as time passing would; the
    scheduler's next pass publishes it."""
    past = (now or timezone.now()) - datetime.timedelta(seconds=1)
    ArticlePage.objects.filter(pk=article.pk).update(go_live_at=past)
    revision = article.revisions.get(approved_go_live_at__isnull=False)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
