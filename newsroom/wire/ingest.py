"""Turn a feed's entries into articles: create, revise, withdraw; photos once.

Each entry is taken in one transaction holding its `WireItem` row (the unique
constraint on feed and identifier, with `select_for_update`), so an entry seen again,
by a later poll or a second scheduler racing this one, finds the same article.
Articles change through Wagtail revisions, as an editor's edits do.
"""

import io
import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator, slugify
from PIL import Image, UnidentifiedImageError
from wagtail.coreutils import find_available_slug
from wagtail.models import Collection, Page

from newsroom.news.models import ArticleAuthor, ArticlePage, Author, NewsImage

from . import body, fetching
from .models import WireFeed, WireImage, WireItem
from .parsing import Entry, Photo

logger = logging.getLogger(__name__)

NEW, UPDATED, KILLED, UNCHANGED = "new", "updated", "killed", "unchanged"
STANDFIRST_LENGTH = 400  # ArticlePage.standfirst
HEADLINE_LENGTH = 255  # Page.title
SLUG_LENGTH = 80
TAG_LENGTH = 100  # taggit's Tag.name
NAME_LENGTH = 100  # NewsImage.photographer, Author.name is 120
PHOTO_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def is_news(feed: WireFeed, entry: Entry) -> bool:
    """Whether `entry` may change anything, read without locking (to skip work such
    as downloading a photo for an entry already taken as it is)."""
    item = WireItem.objects.filter(feed=feed, identifier=entry.identifier).first()
    return item is None or (not item.is_killed and _is_newer(item, entry))


def take_entry(
    feed: WireFeed,
    entry: Entry,
    *,
    image: NewsImage | None = None,
    now: datetime,
) -> str:
    """Create, revise or withdraw the article of `entry`; return what happened.

    A new entry becomes an article in the feed's section (a draft, or published at
    once, as the feed says); a newer version becomes a revision, republished when
    the article is live, with `updated_at` set; a kill unpublishes the article and
    emails the site's editors after the commit. An entry already taken as it is,
    or a story once killed, changes nothing.
    """
    with transaction.atomic():
        item, created = WireItem.objects.select_for_update().get_or_create(
            feed=feed,
            identifier=entry.identifier,
            defaults={
                "version": entry.version,
                "content_hash": entry.content_hash,
                "headline": entry.headline[:HEADLINE_LENGTH],
                "first_seen_at": now,
                "changed_at": now,
            },
        )
        if item.is_killed:
            return UNCHANGED  # agencies do not revive a killed story
        if entry.is_killed:
            _kill(item, now=now, told=not created)
            return KILLED
        if created:
            item.page = _create_article(feed, entry, image=image, now=now)
            item.save(update_fields=["page"])
            return NEW
        if not _is_newer(item, entry):
            return UNCHANGED
        if item.page_id is not None:  # an editor may have deleted the article
            _revise_article(item.page, feed, entry, image=image, now=now)
        item.version, item.content_hash = entry.version, entry.content_hash
        item.headline, item.changed_at = entry.headline[:HEADLINE_LENGTH], now
        item.save(update_fields=["version", "content_hash", "headline", "changed_at"])
        return UPDATED


def _is_newer(item: WireItem, entry: Entry) -> bool:
    """ninjs versions count up; Atom `updated` times (stored as UTC ISO text) sort
    as text; an RSS item has neither and is new when its content hash changes."""
    if entry.is_killed:
        return True
    if item.version and entry.version:
        if item.version.isdigit() and entry.version.isdigit():
            return int(entry.version) > int(item.version)
        return entry.version > item.version
    return entry.content_hash != item.content_hash


def _create_article(feed, entry, *, image, now) -> ArticlePage:
    section = feed.section
    article = ArticlePage(
        title=entry.headline[:HEADLINE_LENGTH],
        slug=find_available_slug(
            section, slugify(entry.headline)[:SLUG_LENGTH].strip("-") or "wire-story"
        ),
        standfirst=_standfirst(entry),
        body=_body(entry),
        lead_image=image,
        wire_agency=feed.agency,
        first_published_at=entry.published_at or now,
        live=False,
    )
    for order, author in enumerate(_authors(feed, entry)):
        article.article_authors.add(ArticleAuthor(author=author, sort_order=order))
    article.tags.add(*_tags(entry))
    section.add_child(instance=article)
    revision = article.save_revision(log_action=True)
    if feed.publishes_at_once:
        revision.publish()
    return article


def _revise_article(page, feed, entry, *, image, now) -> None:
    page = page.specific
    draft = page.get_latest_revision_as_object()
    draft.title = entry.headline[:HEADLINE_LENGTH]
    draft.standfirst = _standfirst(entry)
    draft.body = _body(entry)
    if image is not None:
        draft.lead_image = image
    draft.updated_at = entry.updated_at or now
    draft.tags.set(_tags(entry))
    kept = {link.author_id: link for link in draft.article_authors.all()}
    draft.article_authors.set(
        [
            _byline_row(kept.get(author.pk), author, order)
            for order, author in enumerate(_authors(feed, entry))
        ]
    )
    revision = draft.save_revision(log_action=True)
    if page.live:
        revision.publish()


def _byline_row(row, author, order) -> ArticleAuthor:
    row = row or ArticleAuthor(author=author)
    row.sort_order = order
    return row


def _kill(item: WireItem, *, now, told: bool) -> None:
    item.killed_at = now
    item.save(update_fields=["killed_at"])
    if item.page_id is None or not told:
        return
    page = item.page.specific
    was_live = page.live
    if was_live:
        page.unpublish(log_action=True)
    feed_id, page_id = item.feed_id, page.pk
    transaction.on_commit(
        lambda: tell_editors_of_kill(feed_id, page_id, was_live=was_live)
    )


def tell_editors_of_kill(feed_id: int, page_id: int, *, was_live: bool) -> int:
    """Email the editors of the feed's section that the agency withdrew a story.

    The editors are the active users with an address in a group that may publish
    the section (Wagtail page permissions on it or above). Returns how many were
    told.
    """
    feed = WireFeed.objects.select_related("agency", "site").get(pk=feed_id)
    page = Page.objects.get(pk=page_id)
    recipients = sorted(
        set(
            get_user_model()
            .objects.filter(
                is_active=True,
                groups__page_permissions__page__in=feed.section.get_ancestors(
                    inclusive=True
                ),
                groups__page_permissions__permission__codename="publish_page",
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if not recipients:
        return 0
    edit_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "wagtailadmin_pages:edit", args=[page.pk]
    )
    context = {"feed": feed, "page": page, "was_live": was_live, "edit_url": edit_url}
    send_mail(
        render_to_string("wire/email/kill_subject.txt", context).strip(),
        render_to_string("wire/email/kill.txt", context),
        None,
        recipients,
    )
    return len(recipients)


def _standfirst(entry: Entry) -> str:
    text = body.plain_text(entry.summary) or entry.headline
    return Truncator(text).chars(STANDFIRST_LENGTH)


def _body(entry: Entry) -> list:
    paragraphs = body.paragraphs(entry.body_html) or body.paragraphs(entry.summary)
    if not paragraphs:  # a body needs one block (ArticleBodyBlock.min_num)
        paragraphs = body.paragraphs(entry.headline)
    return [("paragraph", paragraph) for paragraph in paragraphs]


def _tags(entry: Entry) -> list[str]:
    tags = {}
    for tag in entry.tags:
        tag = " ".join(tag.split())[:TAG_LENGTH]
        if tag:
            tags.setdefault(tag.lower(), tag)
    return list(tags.values())


def _authors(feed: WireFeed, entry: Entry) -> list[Author]:
    """The byline's authors, found by name or created; the agency when unsigned."""
    names = [" ".join(name.split())[:120] for name in entry.bylines] or [
        feed.agency.name
    ]
    authors = []
    for name in dict.fromkeys(n for n in names if n):
        author = Author.objects.filter(name__iexact=name).order_by("pk").first()
        authors.append(author or Author.objects.create(name=name))
    return authors


# Photos


def lead_image(feed: WireFeed, photo: Photo, *, headline: str, now) -> NewsImage:
    """The stored image of `photo`, downloaded and stored the first time its address
    is seen. Raises fetching.FetchError when it cannot be had or is not a picture."""
    known = WireImage.objects.filter(source_url=photo.url).select_related("image")
    if known:
        return known[0].image
    fetched = fetching.fetch(photo.url)
    try:
        picture = Image.open(io.BytesIO(fetched.body))
        picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise fetching.FetchError(f"{photo.url} is not a picture.") from error
    if picture.format not in PHOTO_FORMATS:
        raise fetching.FetchError(f"{photo.url} is a {picture.format}, not a photo.")
    caption = body.plain_text(photo.caption)
    with transaction.atomic():
        image = NewsImage.objects.create(
            title=Truncator(headline).chars(HEADLINE_LENGTH),
            collection=Collection.get_first_root_node(),
            file=ImageFile(
                io.BytesIO(fetched.body),
                name=f"wire-{slugify(headline)[:40]}.{picture.format.lower()}",
            ),
            caption=caption,
            agency=feed.agency.name[:NAME_LENGTH],
            photographer=body.plain_text(photo.photographer)[:NAME_LENGTH],
        )
        try:
            with transaction.atomic():
                WireImage.objects.create(
                    source_url=photo.url, image=image, downloaded_at=now
                )
        except IntegrityError:  # another poll stored it first: use theirs
            image.delete()
            return WireImage.objects.get(source_url=photo.url).image
    return image
