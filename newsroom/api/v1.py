"""Version 1 of the public API: `/api/v1/`. Every change goes through the same
services as the site's own pages, so their rules (verification, moderation, rate
limits, sanctions) hold here too."""

import datetime
import math
from typing import Annotated, Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import ngettext
from ninja import Field, Path, Query, Schema, Status
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth
from wagtail.models import Page, Site

from newsroom.accounts import selectors as accounts
from newsroom.alerts import services as alerts
from newsroom.alerts.models import Notification
from newsroom.comments import posting, voting
from newsroom.comments import selectors as comment_selectors
from newsroom.comments import services as comments
from newsroom.comments.models import Comment
from newsroom.formats.display import vote_label
from newsroom.moderation import services as moderation
from newsroom.moderation.models import Report
from newsroom.news import selectors as news
from newsroom.news.models import ArticlePage, Author, SectionPage

from . import selectors
from .http import ReaderSession, api, signed_in

PAGE_SIZE = 20
MAX_PAGE = 10_000
# Ids are 64-bit in the database; a larger number names nothing and would make the
# database driver fail (a 500) instead of giving 404.
MAX_ID = 2**63 - 1
Id = Annotated[int, Path(..., ge=1, le=MAX_ID)]
# What a slug may hold; anything else (a NUL byte, which PostgreSQL refuses to
# compare, among them) is refused before it reaches the database.
SLUG = r"^[-\w]*$"
COMMON = {400, 404, 422, 429}


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str = ""


def responses(ok, *codes, status=200):
    return {status: ok, **dict.fromkeys(sorted(set(codes) | COMMON), Problem)}


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _page_number(number: int, total: int, size: int) -> tuple[int, int]:
    pages = max(1, math.ceil(total / size))
    if number > pages:
        raise Http404(
            ngettext("There is only %(n)d page.", "There are only %(n)d pages.", pages)
            % {"n": pages}
        )
    return number, pages


# Sites and sections


class SectionOut(Schema):
    id: int
    title: str
    slug: str
    url: str


class SiteOut(Schema):
    id: int
    name: str
    url: str
    sections: list[SectionOut]


@api.get("/sites", response=responses(list[SiteOut]), tags=["sites"], url_name="sites")
def sites(request):
    """Every site of the network and its sections."""
    result = []
    for site in Site.objects.select_related("root_page").order_by(
        "-is_default_site", "site_name"
    ):
        sections = SectionPage.objects.live().public().child_of(site.root_page)
        result.append(
            {
                "id": site.pk,
                "name": site.site_name,
                "url": site.root_url + "/",
                "sections": [
                    {
                        "id": s.pk,
                        "title": s.title,
                        "slug": s.slug,
                        "url": site.root_url + "/" + s.slug + "/",
                    }
                    for s in sections
                ],
            }
        )
    return result


# Articles


class AuthorOut(Schema):
    name: str
    slug: str


class PhotoOut(Schema):
    title: str
    caption: str
    credit: str


class ArticleSummary(Schema):
    id: int
    site: int
    title: str
    standfirst: str
    url: str
    section: str
    published_at: datetime.datetime
    updated_at: datetime.datetime | None
    authors: list[AuthorOut]
    tags: list[str]
    comment_count: int
    comments_url: str


class ArticleOut(ArticleSummary):
    body_html: str
    body_text: str
    photo: PhotoOut | None
    wire_copyright: str | None
    comments_closed: bool


class ArticlePage_(Schema):
    count: int
    page: int
    pages: int
    results: list[ArticleSummary]


def _site_of(page, sites_by_root) -> Site | None:
    for root_path, site in sites_by_root:
        if page.path.startswith(root_path):
            return site
    return None


def _sites_by_root():
    return sorted(
        (
            (site.root_page.path, site)
            for site in Site.objects.select_related("root_page")
        ),
        key=lambda pair: -len(pair[0]),
    )


def _summary(request, article, site, counts) -> dict:
    root = site.root_url if site else ""
    root_path = site.root_page.url_path if site else "/"
    url = root + "/" + article.url_path[len(root_path) :]
    return {
        "id": article.pk,
        "site": site.pk if site else 0,
        "title": article.title,
        "standfirst": article.standfirst,
        "url": url,
        "section": article.url_path[len(root_path) :].split("/", 1)[0],
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "authors": [
            {"name": link.author.name, "slug": link.author.slug}
            for link in article.article_authors.all()
        ],
        "tags": sorted(tag.name for tag in article.tags.all()),
        "comment_count": counts.get(article.pk, 0) or 0,
        "comments_url": _absolute(
            request, reverse("api:comments", kwargs={"article_id": article.pk})
        ),
    }


class ArticleFilters(Schema):
    site: int | None = Field(
        None, ge=1, le=MAX_ID, description="Only this site's articles."
    )
    section: int | None = Field(
        None, ge=1, le=MAX_ID, description="Only this section's articles."
    )
    tag: str | None = Field(
        None, max_length=100, pattern=SLUG, description="A tag's slug."
    )
    author: str | None = Field(
        None, max_length=120, pattern=SLUG, description="An author's slug."
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)


@api.get(
    "/articles",
    response=responses(ArticlePage_),
    tags=["articles"],
    url_name="articles",
)
def articles(request, filters: Query[ArticleFilters]):
    """Published articles, newest first, 20 a page: by site, section, tag or
    author (combine them freely)."""
    pages = ArticlePage.objects.all()
    if filters.site is not None:
        site = get_object_or_404(
            Site.objects.select_related("root_page"), pk=filters.site
        )
        pages = pages.descendant_of(site.root_page)
    if filters.section is not None:
        section = get_object_or_404(SectionPage.objects.live(), pk=filters.section)
        pages = pages.child_of(section)
    if filters.tag:
        pages = pages.filter(tags__slug=filters.tag)
    if filters.author:
        author = get_object_or_404(Author, slug=filters.author)
        pages = pages.filter(article_authors__author=author).distinct()
    listed = news.listed(pages)
    total = listed.count()
    number, count_pages = _page_number(filters.page, total, PAGE_SIZE)
    chosen = list(
        news.with_bylines(listed)[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    )
    roots = _sites_by_root()
    counts = {a.pk: a.comment_count for a in chosen}
    return {
        "count": total,
        "page": number,
        "pages": count_pages,
        "results": [_summary(request, a, _site_of(a, roots), counts) for a in chosen],
    }


@api.get(
    "/articles/{article_id}",
    response=responses(ArticleOut),
    tags=["articles"],
    url_name="article",
)
def article(request, article_id: Id):
    """One published article, with its body as HTML and as plain text."""
    page = get_object_or_404(
        news.with_bylines(
            ArticlePage.objects.live()
            .public()
            .select_related("lead_image", "wire_agency")
        ),
        pk=article_id,
    )
    thread = comment_selectors.thread_of(page)
    body_html = "".join(str(block) for block in page.body)
    out = _summary(
        request,
        page,
        _site_of(page, _sites_by_root()),
        {page.pk: thread.comment_count if thread else 0},
    )
    image = page.lead_image
    out.update(
        body_html=body_html,
        body_text="\n\n".join(
            " ".join(strip_tags(str(block)).split()) for block in page.body
        ),
        photo=(
            {"title": image.title, "caption": image.caption, "credit": image.credit}
            if image
            else None
        ),
        wire_copyright=(
            f"© {page.wire_agency.copyright_holder} {page.published_at.year}."
            if page.wire_agency
            else None
        ),
        comments_closed=bool(comments.closed_reason(page, comments.settings_for(page))),
    )
    return out


# Comments


class ReaderRef(Schema):
    id: int
    name: str
    url: str


class QuoteOut(Schema):
    comment: int | None
    author: str
    at: str
    html: str


class Segment(Schema):
    text_html: str | None = None
    quote: QuoteOut | None = None


class Votes(Schema):
    net: int
    up: int
    down: int
    label: str = Field(description="As shown on the site: `-3 ( +3 / -6 )`.")


class CommentOut(Schema):
    id: int
    article: int
    url: str
    status: str
    author: ReaderRef | None
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    segments: list[Segment]
    votes: Votes
    reply_count: int
    picked: bool
    placeholder: str | None = Field(
        None, description="What the site shows instead of a removed or deleted one."
    )


class CommentPage(Schema):
    count: int
    page: int
    pages: int
    sort: str
    results: list[CommentOut]


def _comment(request, comment, page_id) -> dict:
    shown = comment.status in (Comment.Status.PUBLISHED, Comment.Status.PENDING)
    author = comment.author if shown and comment.status != "deleted" else None
    placeholder = None
    if comment.status == Comment.Status.DELETED:
        placeholder = "This comment was deleted by its author."
    elif comment.status == Comment.Status.REMOVED:
        placeholder = comment.removal_reason or (
            "This comment has been removed for violating our community guidelines."
        )
    segments = []
    if shown:
        for segment in comment.segments:
            if "quote" in segment:
                quote = segment["quote"]
                segments.append(
                    {
                        "quote": {
                            "comment": quote.get("id"),
                            "author": quote.get("author", ""),
                            "at": str(quote.get("at", "")),
                            "html": quote.get("html", ""),
                        }
                    }
                )
            else:
                segments.append({"text_html": segment["text"]["html"]})
    return {
        "id": comment.pk,
        "article": page_id,
        "url": _absolute(request, reverse("comments:permalink", args=[comment.pk])),
        "status": comment.status,
        "author": (
            {
                "id": author.pk,
                "name": author.get_username(),
                "url": _absolute(
                    request, reverse("api:reader", kwargs={"reader_id": author.pk})
                ),
            }
            if author
            else None
        ),
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "segments": segments,
        "votes": {
            "net": comment.net_votes,
            "up": comment.up_count,
            "down": comment.down_count,
            "label": vote_label(comment.up_count, comment.down_count),
        },
        "reply_count": comment.reply_count,
        "picked": bool(comment.picked_at) and comment.status == "published",
        "placeholder": placeholder,
    }


def _discussion(article_id):
    """A live page readers can comment on (an article or an embedded thread)."""
    page = Page.objects.live().public().filter(pk=article_id).first()
    if page is None or not hasattr(page.specific, "comments_closed"):
        raise Http404("No article with comments has this id.")
    return page.specific


Sort = Literal["oldest", "newest", "best", "controversial", "replied"]


@api.get(
    "/articles/{article_id}/comments",
    response=responses(CommentPage),
    tags=["comments"],
    url_name="comments",
)
def comment_list(
    request,
    article_id: Id,
    sort: Sort = "oldest",
    page: int = Query(1, ge=1, le=MAX_PAGE),
):
    """The comments of an article in one of the site's sort orders, a page at a
    time (the site's page size). Removed and deleted comments keep their place
    and show what the site shows instead."""
    discussion = _discussion(article_id)
    thread = comment_selectors.thread_of(discussion)
    size = comments.settings_for(discussion).page_size or 50
    total = thread.listed_count if thread else 0
    number, pages = _page_number(page, total, size)
    found = (
        comment_selectors.comments_page(thread, sort=sort, number=number, size=size)
        if thread
        else []
    )
    return {
        "count": thread.comment_count if thread else 0,
        "page": number,
        "pages": pages,
        "sort": sort,
        "results": [_comment(request, c, discussion.pk) for c in found],
    }


class CommentIn(Schema):
    body: str = Field(
        ...,
        max_length=50_000,
        description="Plain text; quote with [quote=ID]…[/quote].",
    )
    confirmed: bool = Field(
        False, description="Post even though a rule asked you to reconsider."
    )


@api.post(
    "/articles/{article_id}/comments",
    response=responses(CommentOut, 401, 403, 409, status=201),
    auth=signed_in,
    tags=["comments"],
    url_name="post_comment",
)
def post_comment(request, article_id: Id, payload: CommentIn):
    """Post a comment as the signed-in reader. It is published at once, or held
    for a moderator (status `pending`), as on the site."""
    discussion = _discussion(article_id)
    comment = posting.post_comment(
        page=discussion,
        author=request.user,
        body=payload.body,
        ip=request.META.get("REMOTE_ADDR", ""),
        confirmed=payload.confirmed,
    )
    return Status(201, _comment(request, comment, discussion.pk))


class VoteIn(Schema):
    value: Literal["up", "down"]


class VoteOut(Schema):
    votes: Votes
    mine: Literal["up", "down", "none"] = Field(
        description="Your vote now: voting the same way again takes it back."
    )


def _published_comment(comment_id):
    return get_object_or_404(
        Comment.objects.select_related("thread__page", "thread__site", "author"),
        pk=comment_id,
        status__in=Comment.LISTED,
        thread__page__live=True,
    )


@api.post(
    "/comments/{comment_id}/vote",
    response=responses(VoteOut, 401, 403),
    auth=signed_in,
    tags=["comments"],
    url_name="vote",
)
def vote(request, comment_id: Id, payload: VoteIn):
    """Vote a comment up or down; the same vote again takes it back."""
    comment = _published_comment(comment_id)
    up, down, mine = voting.cast_vote(
        comment,
        request.user,
        1 if payload.value == "up" else -1,
        ip=request.META.get("REMOTE_ADDR", ""),
    )
    comment.up_count, comment.down_count = up, down
    return {
        "votes": {
            "net": up - down,
            "up": up,
            "down": down,
            "label": vote_label(comment.up_count, comment.down_count),
        },
        "mine": {1: "up", -1: "down"}.get(mine, "none"),
    }


class ReportIn(Schema):
    reason: Literal[tuple(Report.Reason.values)]  # type: ignore[valid-type]
    note: str = Field("", max_length=5000)


class ReportOut(Schema):
    received: bool


@api.post(
    "/comments/{comment_id}/report",
    response=responses(ReportOut, 401, 403, status=201),
    auth=signed_in,
    tags=["comments"],
    url_name="report",
)
def report(request, comment_id: Id, payload: ReportIn):
    """Report a comment to the moderators, with a reason (and a note for
    `other`)."""
    comment = _published_comment(comment_id)
    moderation.report_comment(
        comment,
        reporter=request.user,
        reason=payload.reason,
        note=payload.note,
        ip=request.META.get("REMOTE_ADDR", ""),
    )
    return Status(201, {"received": True})


class CountsIn(Schema):
    url: list[str] = Field(
        ...,
        min_length=1,
        max_length=selectors.MAX_URLS,
        description="Up to 100 article addresses (repeat the parameter).",
    )


class CountOut(Schema):
    url: str
    article: int | None
    count: int | None = Field(description="None when we hold no such article.")


class CountsOut(Schema):
    counts: list[CountOut]


@api.get(
    "/comment-counts",
    response=responses(CountsOut),
    tags=["comments"],
    url_name="comment_counts",
)
def comment_counts(request, query: Query[CountsIn]):
    """Comment counts for up to 100 article addresses in one call, for listing
    pages on other websites (`?url=…&url=…`)."""
    return {
        "counts": [
            {"url": row["url"], "article": row["page"], "count": row["count"]}
            for row in selectors.counts_for([u[:2000] for u in query.url])
        ]
    }


# Readers


class ReaderOut(Schema):
    id: int
    name: str
    joined: datetime.date
    joined_site: str | None
    comment_count: int
    profile_url: str


@api.get(
    "/readers/{reader_id}",
    response=responses(ReaderOut),
    tags=["readers"],
    url_name="reader",
)
def reader(request, reader_id: Id):
    """A reader's public profile."""
    profile = accounts.public_profile(reader_id)
    if profile is None:
        raise Http404("No reader here.")
    return {
        "id": profile.user.pk,
        "name": profile.user.get_username(),
        "joined": profile.user.date_joined.date(),
        "joined_site": profile.joined_site.site_name if profile.joined_site else None,
        "comment_count": comment_selectors.published_by(profile.user).count(),
        "profile_url": _absolute(
            request, reverse("accounts:profile", args=[profile.user.pk])
        ),
    }


class MeOut(Schema):
    signed_in: bool
    id: int | None = None
    name: str | None = None
    unread_notifications: int = 0


@api.get(
    "/me",
    response=responses(MeOut, 401),
    auth=[BearerTokenAuth(), ReaderSession(), AllowAnonymous()],
    tags=["readers"],
    url_name="me",
)
def me(request):
    """Who is signed in (by session or token); `signed_in` false otherwise."""
    user = request.user
    if not user.is_authenticated:
        return {"signed_in": False}
    return {
        "signed_in": True,
        "id": user.pk,
        "name": user.get_username(),
        "unread_notifications": alerts.unread_count(user),
    }


class NotificationOut(Schema):
    id: int
    kind: str
    message: str
    actor: str | None
    comment_url: str | None
    created_at: datetime.datetime
    read: bool


class NotificationPage(Schema):
    unread: int
    page: int
    pages: int
    results: list[NotificationOut]


@api.get(
    "/notifications",
    response=responses(NotificationPage, 401, 403),
    auth=signed_in,
    tags=["notifications"],
    url_name="notifications",
)
def notifications(request, page: int = Query(1, ge=1, le=MAX_PAGE)):
    """Your notifications, newest first, 20 a page."""
    mine = Notification.objects.filter(recipient=request.user)
    number, pages = _page_number(page, mine.count(), PAGE_SIZE)
    rows = mine.select_related("actor").order_by("-created_at", "-pk")[
        (number - 1) * PAGE_SIZE : number * PAGE_SIZE
    ]
    return {
        "unread": alerts.unread_count(request.user),
        "page": number,
        "pages": pages,
        "results": [
            {
                "id": n.pk,
                "kind": n.kind,
                "message": n.message or n.get_kind_display(),
                "actor": n.actor.get_username() if n.actor else None,
                "comment_url": (
                    _absolute(
                        request, reverse("comments:permalink", args=[n.comment_id])
                    )
                    if n.comment_id
                    else None
                ),
                "created_at": n.created_at,
                "read": n.read_at is not None,
            }
            for n in rows
        ],
    }


class MarkedOut(Schema):
    unread: int


@api.post(
    "/notifications/read",
    response=responses(MarkedOut, 401, 403),
    auth=signed_in,
    tags=["notifications"],
    url_name="notifications_read",
)
def notifications_read(request):
    """Mark all your notifications read."""
    alerts.mark_all_read(request.user)
    return {"unread": 0}
