"""Exporting a site's discussions as a Disqus or WordPress (WXR) file (`write`).

So that nobody is locked in (issue 17): the file is what `sources.read` takes in,
written as the two services write theirs, and importing it into an empty install
gives back the threads, their comments in order with time, author and status, and
the quotes between them.

What goes out, per format:

| status            | Disqus                | WXR `comment_approved` |
|-------------------|-----------------------|------------------------|
| published         | post                  | `1`                    |
| pending review    | left out (a)          | `0`                    |
| deleted / removed | `isDeleted`, no words | `trash`, no words (b)  |
| rejected          | left out              | left out               |

(a) Disqus has no "awaiting review" flag: written as a post it would come back
published, words nobody approved; so a Disqus export leaves pending comments out.
(b) Readers see only a placeholder for these, so their words are not exported
either; the placeholder keeps its place when it has replies, as on import.

A comment's parent is the one it replied to where it was imported from (kept in
ImportedComment.parent_id), else the first comment it quotes; only a comment
written out earlier in the same thread qualifies, so replies can never loop. Times
are UTC to the second, the precision of both formats.

Everything is streamed: threads and comments come from the database in chunks and
go straight to the file, so memory stays flat however many there are.
"""

import datetime
import email.utils
import itertools
import re
from typing import BinaryIO
from xml.sax.saxutils import XMLGenerator

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import CharField, Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Length, Substr
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.models import Page, Site

from newsroom.comments.models import Comment, Thread
from newsroom.news.models import ArticleAuthor, ArticlePage

from . import markup
from .models import Source

CHUNK = 500  # rows fetched at a time: a few hundred KB of comments in memory
DISQUS_NS = "http://disqus.com"
DISQUS_INTERNALS_NS = "http://disqus.com/disqus-internals"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
DISQUS_SCHEMA = (
    "http://disqus.com/api/schemas/1.0/disqus.xsd "
    "http://disqus.com/api/schemas/1.0/disqus-internals.xsd"
)
WXR_NAMESPACES = {
    "xmlns:excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
    "xmlns:wfw": "http://wellformedweb.org/CommentAPI/",
    "xmlns:dc": "http://purl.org/dc/elements/1.1/",
    "xmlns:wp": "http://wordpress.org/export/1.2/",
}
CATEGORY_ID = "1"  # the one Disqus category every thread is filed under
WXR_DATE = "%Y-%m-%d %H:%M:%S"
# Characters XML 1.0 does not allow in a document at all, not even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

EXPORTED = {
    Source.DISQUS: (
        Comment.Status.PUBLISHED,
        Comment.Status.DELETED,
        Comment.Status.REMOVED,
    ),
    Source.WXR: (
        Comment.Status.PUBLISHED,
        Comment.Status.PENDING,
        Comment.Status.DELETED,
        Comment.Status.REMOVED,
    ),
}
WITHOUT_WORDS = (Comment.Status.DELETED, Comment.Status.REMOVED)
WXR_APPROVED = {
    Comment.Status.PUBLISHED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.DELETED: "trash",
    Comment.Status.REMOVED: "trash",
}


def write(site: Site, out: BinaryIO, *, source: str, now=None) -> int:
    """Write `site`'s discussions to `out` (a binary file) as a Disqus export
    (`source` Source.DISQUS) or a WXR one (Source.WXR); returns how many comments
    were written. Reads only; raises ValueError for another `source`."""
    if source not in EXPORTED:
        raise ValueError(f"Cannot export as {source!r}: disqus or wxr.")
    xml = _Writer(out)
    xml.startDocument()
    if source == Source.DISQUS:
        written = _Disqus(site, xml).write()
    else:
        written = _Wxr(site, xml, now or timezone.now()).write()
    xml.endDocument()
    return written


class _Writer(XMLGenerator):
    """XMLGenerator that drops what XML 1.0 forbids and indents as the services do."""

    def __init__(self, out: BinaryIO):
        super().__init__(out, encoding="utf-8", short_empty_elements=True)
        self.depth = 0

    def characters(self, content):
        super().characters(NOT_XML.sub("", content))

    def open(self, name: str, attrs: dict | None = None) -> None:
        if self.depth:  # the declaration before the root ends its own line
            self.ignorableWhitespace("\n" + "  " * self.depth)
        self.startElement(name, _clean(attrs))
        self.depth += 1

    def close(self, name: str) -> None:
        self.depth -= 1
        self.ignorableWhitespace("\n" + "  " * self.depth)
        self.endElement(name)

    def leaf(self, name: str, text="", attrs: dict | None = None) -> None:
        self.ignorableWhitespace("\n" + "  " * self.depth)
        self.startElement(name, _clean(attrs))
        if text != "":
            self.characters(str(text))
        self.endElement(name)

    def endDocument(self):
        self.ignorableWhitespace("\n")
        super().endDocument()


def _clean(attrs: dict | None) -> dict:
    return {name: NOT_XML.sub("", str(value)) for name, value in (attrs or {}).items()}


# What both formats read ---------------------------------------------------------


def _threads(site: Site, statuses):
    """The site's threads that have a comment to export, oldest first, with what
    the files say about their page."""
    root = site.root_page
    bylines = ArticleAuthor.objects.filter(page_id=OuterRef("page_id")).order_by(
        "sort_order", "pk"
    )
    # A page's parent is the page whose path is its own less one step.
    parent = Page.objects.filter(
        path=Substr(
            OuterRef("page__path"), 1, Length(OuterRef("page__path")) - Page.steplen
        )
    )
    return (
        Thread.objects.filter(
            Exists(Comment.objects.filter(thread=OuterRef("pk"), status__in=statuses)),
            page__path__startswith=root.path,
        )
        .select_related("page")
        .annotate(
            standfirst=Subquery(
                ArticlePage.objects.filter(pk=OuterRef("page_id")).values("standfirst")
            ),
            byline=Subquery(bylines.values("author__name")[:1]),
            section_slug=Subquery(parent.values("slug")[:1]),
            section_title=Subquery(parent.values("title")[:1]),
        )
        .order_by("pk")
        .iterator(chunk_size=CHUNK)
    )


def _comments(site: Site, statuses):
    """The comments to export, thread after thread (in the order of `_threads`),
    each thread's oldest first, with their authors' addresses."""
    verified = EmailAddress.objects.filter(
        user=OuterRef("author_id"), verified=True
    ).order_by("-primary", "pk")
    return (
        Comment.objects.filter(
            thread__page__path__startswith=site.root_page.path, status__in=statuses
        )
        .select_related("author", "author__imported", "imported")
        .annotate(
            verified_email=Coalesce(
                Subquery(verified.values("email")[:1]),
                F("author__email"),
                Value(""),
                output_field=CharField(),
            )
        )
        .order_by("thread_id", "created_at", "pk")
        .iterator(chunk_size=CHUNK)
    )


def _by_thread(site: Site, statuses):
    """(thread, its comments) pairs, both streamed in the order of thread ids. The
    two are separate queries: a thread whose first comment came (or whose last
    went) between them is left out, not misattributed."""
    threads = _threads(site, statuses)
    thread = next(threads, None)
    for thread_id, comments in itertools.groupby(
        _comments(site, statuses), key=lambda comment: comment.thread_id
    ):
        while thread is not None and thread.pk < thread_id:
            thread = next(threads, None)
        if thread is None:
            return
        if thread.pk == thread_id:
            yield thread, comments


class _Author:
    """Who wrote a comment, as the files name them."""

    def __init__(self, comment: Comment):
        user = comment.author
        imported = getattr(user, "imported", None) if user else None
        self.name = user.get_username() if user else "deleted user"
        self.username = self.name
        if imported is not None:
            self.email = imported.email
        else:
            self.email = comment.verified_email if user else ""
        # Imported without an address: a Disqus guest, who stays one.
        self.anonymous = user is None or (imported is not None and not imported.email)


class _Parents:
    """Each comment's parent among those already written in its thread."""

    def __init__(self):
        self.written: set[int] = set()
        self.by_source: dict[tuple, int] = {}

    def parent_of(self, comment: Comment) -> int | None:
        imported = getattr(comment, "imported", None)
        candidates = []
        if imported is not None and imported.parent_id:
            candidates.append(self.by_source.get((imported.source, imported.parent_id)))
        candidates += [
            segment["quote"].get("id")
            for segment in comment.segments
            if "quote" in segment
        ]
        return next((pk for pk in candidates if pk in self.written), None)

    def add(self, comment: Comment) -> None:
        self.written.add(comment.pk)
        imported = getattr(comment, "imported", None)
        if imported is not None:
            self.by_source[(imported.source, imported.source_id)] = comment.pk


def _message(comment: Comment) -> str:
    """The comment's HTML: its paragraphs and links, each quote and excerpt a
    blockquote holding the passage (what an import recognises as a quote)."""
    if comment.status in WITHOUT_WORDS:
        return ""
    blocks = []
    for segment in comment.segments:
        if "quote" in segment:
            blocks.append(("quote", segment["quote"].get("raw", "")))
        elif "excerpt" in segment:
            blocks.append(("quote", segment["excerpt"].get("raw", "")))
        elif "text" in segment:
            blocks.append(("text", segment["text"].get("raw", "")))
    return markup.to_html([block for block in blocks if block[1].strip()])


def _utc(when: datetime.datetime) -> datetime.datetime:
    return when.astimezone(datetime.UTC).replace(microsecond=0)


def _page_url(site: Site, page: Page) -> str:
    relative = page.url_path[len(site.root_page.url_path) :]
    return f"{site.root_url}/{relative}"


def _thread_identifier(thread: Thread) -> str:
    return f"newsroom-{thread.page_id}"


# Disqus -----------------------------------------------------------------------


class _Disqus:
    """<disqus>: a category, every thread, then every post (as Disqus lists them)."""

    def __init__(self, site: Site, xml: _Writer):
        self.site, self.xml = site, xml
        self.statuses = EXPORTED[Source.DISQUS]
        self.forum = slugify(site.site_name or site.hostname) or "newsroom"

    def write(self) -> int:
        xml = self.xml
        xml.open(
            "disqus",
            {
                "xmlns": DISQUS_NS,
                "xmlns:dsq": DISQUS_INTERNALS_NS,
                "xmlns:xsi": XSI_NS,
                "xsi:schemaLocation": DISQUS_SCHEMA,
            },
        )
        xml.open("category", {"dsq:id": CATEGORY_ID})
        xml.leaf("forum", self.forum)
        xml.leaf("title", "General")
        xml.leaf("isDefault", "true")
        xml.close("category")
        listed = set()  # thread ids: a post of a thread not listed is refused
        for thread in _threads(self.site, self.statuses):
            self._thread(thread)
            listed.add(thread.pk)
        written = 0
        for thread, comments in _by_thread(self.site, self.statuses):
            if thread.pk not in listed:
                continue
            parents = _Parents()
            for comment in comments:
                self._post(thread, comment, parents.parent_of(comment))
                parents.add(comment)
                written += 1
        xml.close("disqus")
        return written

    def _thread(self, thread: Thread) -> None:
        xml = self.xml
        xml.open("thread", {"dsq:id": thread.page_id})
        xml.leaf("id", _thread_identifier(thread))
        xml.leaf("forum", self.forum)
        xml.leaf("category", attrs={"dsq:id": CATEGORY_ID})
        xml.leaf("link", _page_url(self.site, thread.page))
        xml.leaf("title", thread.page.title)
        xml.leaf("message")
        # The discussion began with the article, however much later its thread
        # row was made (by the first comment, or an import).
        begun = thread.page.first_published_at or thread.created_at
        xml.leaf("createdAt", _disqus_time(begun))
        xml.open("author")
        xml.leaf("name", self.site.site_name or self.site.hostname)
        xml.leaf("isAnonymous", "false")
        xml.leaf("username", self.forum)
        xml.close("author")
        xml.leaf("isClosed", _flag(thread.closed))
        xml.leaf("isDeleted", "false")
        xml.close("thread")

    def _post(self, thread: Thread, comment: Comment, parent: int | None) -> None:
        xml = self.xml
        author = _Author(comment)
        xml.open("post", {"dsq:id": comment.pk})
        xml.leaf("id")
        xml.leaf("message", _message(comment))
        xml.leaf("createdAt", _disqus_time(comment.created_at))
        xml.leaf("isDeleted", _flag(comment.status in WITHOUT_WORDS))
        xml.leaf("isSpam", "false")
        xml.open("author")
        if author.email:
            xml.leaf("email", author.email)
        xml.leaf("name", author.name)
        xml.leaf("isAnonymous", _flag(author.anonymous))
        if not author.anonymous:
            xml.leaf("username", author.username)
        xml.close("author")
        xml.leaf("thread", attrs={"dsq:id": thread.page_id})
        if parent is not None:
            xml.leaf("parent", attrs={"dsq:id": parent})
        xml.close("post")


def _disqus_time(when: datetime.datetime) -> str:
    return _utc(when).strftime("%Y-%m-%dT%H:%M:%SZ")


def _flag(value: bool) -> str:
    return "true" if value else "false"


# WXR ---------------------------------------------------------------------------


class _Wxr:
    """<rss><channel>: the site, then one <item> per page with its comments."""

    def __init__(self, site: Site, xml: _Writer, now: datetime.datetime):
        self.site, self.xml, self.now = site, xml, now
        self.statuses = EXPORTED[Source.WXR]

    def write(self) -> int:
        xml, site = self.xml, self.site
        xml.open("rss", {"version": "2.0", **WXR_NAMESPACES})
        xml.open("channel")
        xml.leaf("title", site.site_name or site.hostname)
        xml.leaf("link", site.root_url)
        xml.leaf("description")
        xml.leaf("pubDate", email.utils.format_datetime(_utc(self.now)))
        xml.leaf("language", settings.LANGUAGE_CODE)
        xml.leaf("wp:wxr_version", "1.2")
        xml.leaf("wp:base_site_url", site.root_url)
        xml.leaf("wp:base_blog_url", site.root_url)
        xml.leaf("generator", "Newsroom")
        written = 0
        for thread, comments in _by_thread(site, self.statuses):
            self._item_start(thread)
            parents = _Parents()
            for comment in comments:
                self._comment(comment, parents.parent_of(comment))
                parents.add(comment)
                written += 1
            xml.close("item")
        xml.close("channel")
        xml.close("rss")
        return written

    def _item_start(self, thread: Thread) -> None:
        xml, page = self.xml, thread.page
        published = page.first_published_at or thread.created_at
        xml.open("item")
        xml.leaf("title", page.title)
        xml.leaf("link", _page_url(self.site, page))
        xml.leaf("pubDate", email.utils.format_datetime(_utc(published)))
        xml.leaf("dc:creator", thread.byline or "")
        xml.leaf("guid", _thread_identifier(thread), {"isPermaLink": "false"})
        xml.leaf("description")
        standfirst = thread.standfirst or ""
        xml.leaf(
            "content:encoded", f"<p>{escape(standfirst)}</p>" if standfirst else ""
        )
        xml.leaf("excerpt:encoded")
        xml.leaf("wp:post_id", page.pk)
        xml.leaf("wp:post_date", _wxr_local(published))
        xml.leaf("wp:post_date_gmt", _utc(published).strftime(WXR_DATE))
        xml.leaf("wp:comment_status", "closed" if thread.closed else "open")
        xml.leaf("wp:post_name", page.slug)
        xml.leaf("wp:status", "publish")
        xml.leaf("wp:post_parent", "0")
        xml.leaf("wp:post_type", "post")
        if thread.section_slug:
            xml.leaf(
                "category",
                thread.section_title,
                {"domain": "category", "nicename": thread.section_slug},
            )

    def _comment(self, comment: Comment, parent: int | None) -> None:
        xml = self.xml
        author = _Author(comment)
        xml.open("wp:comment")
        xml.leaf("wp:comment_id", comment.pk)
        xml.leaf("wp:comment_author", author.name)
        xml.leaf("wp:comment_author_email", author.email)
        xml.leaf("wp:comment_author_url")
        xml.leaf("wp:comment_date", _wxr_local(comment.created_at))
        xml.leaf("wp:comment_date_gmt", _utc(comment.created_at).strftime(WXR_DATE))
        xml.leaf("wp:comment_content", _message(comment))
        xml.leaf("wp:comment_approved", WXR_APPROVED[comment.status])
        xml.leaf("wp:comment_type", "comment")
        xml.leaf("wp:comment_parent", parent or 0)
        xml.leaf("wp:comment_user_id", "0")
        xml.close("wp:comment")


def _wxr_local(when: datetime.datetime) -> str:
    """WordPress's `*_date`: the site's local time (the `*_gmt` twin is UTC)."""
    return timezone.localtime(_utc(when)).strftime(WXR_DATE)
