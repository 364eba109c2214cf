"""The API's comments: a thread's pages, posting, voting (mounted by `api/`).

Comments also fills fields of news' and accounts' answers (rest.additions): an
article's comment count, the address of its comments and whether they are closed,
and a reader's count of published comments; apps.py registers them.
"""

import datetime
from typing import Literal

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from wagtail.models import Page

from newsroom.formats.display import vote_label
from newsroom.ratelimit.clients import client_address
from newsroom.rest.auth import signed_in
from newsroom.rest.conventions import (
    MAX_PAGE,
    Id,
    operation_url,
    page_number,
    responses,
)

from . import posting, selectors, services, voting
from .models import Comment
from .pages import is_commentable

router = Router()

# The thread page's own sorts (selectors.Sort), as the `sort` parameter's choices.
SortKey = Literal[tuple(selectors.Sort.values)]  # type: ignore[valid-type]


class ReaderRef(Schema):
    id: int
    name: str
    url: str


class QuoteOut(Schema):
    comment: int | None
    author: str
    at: str
    html: str


class CommentSegment(Schema):
    text_html: str | None = None
    quote: QuoteOut | None = None
    # A passage from outside the discussion (the article, another source).
    excerpt_html: str | None = None


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
    segments: list[CommentSegment]
    votes: Votes
    reply_count: int
    picked: bool
    placeholder: str | None = Field(
        None, description="What the site shows instead of a removed or deleted one."
    )


class PostedCommentOut(CommentOut):
    removals: list[str] = Field(
        description="What was taken out of the text before it was stored (invisible "
        "or control characters, accent marks stacked past three on one character), "
        "one sentence per kind, for its author; empty when nothing was. Direction "
        "controls are refused instead (400)."
    )


class CommentListPage(Schema):
    count: int
    page: int
    pages: int
    sort: str
    results: list[CommentOut]


def _votes(up: int, down: int) -> dict:
    return {"net": up - down, "up": up, "down": down, "label": vote_label(up, down)}


def _segments(comment) -> list[dict]:
    segments = []
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
        elif "excerpt" in segment:
            segments.append({"excerpt_html": segment["excerpt"]["html"]})
        else:
            segments.append({"text_html": segment["text"]["html"]})
    return segments


def _comment(request, comment, page_id) -> dict:
    placeholder = selectors.placeholder(comment)
    shown = placeholder is None
    author = comment.author if shown else None
    return {
        "id": comment.pk,
        "article": page_id,
        "url": request.build_absolute_uri(
            reverse("comments:permalink", args=[comment.pk])
        ),
        "status": comment.status,
        "author": (
            {
                "id": author.pk,
                "name": author.get_username(),
                "url": operation_url(request, "reader", reader_id=author.pk),
            }
            if author
            else None
        ),
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "segments": _segments(comment) if shown else [],
        "votes": _votes(comment.up_count, comment.down_count),
        "reply_count": comment.reply_count,
        "picked": bool(comment.picked_at)
        and comment.status == Comment.Status.PUBLISHED,
        "placeholder": placeholder,
    }


def _discussion(article_id):
    """A live page readers can comment on (an article or an embedded thread)."""
    page = Page.objects.live().public().filter(pk=article_id).first()
    if not is_commentable(page):
        raise Http404(_("No article with comments has this id."))
    return page.specific


@router.get(
    "/articles/{article_id}/comments",
    response=responses(CommentListPage),
    tags=["comments"],
    url_name="comments",
)
def comment_list(
    request,
    article_id: Id,
    sort: SortKey = selectors.DEFAULT_SORT.value,
    page: int = Query(1, ge=1, le=MAX_PAGE),
):
    """The comments of an article in one of the site's sort orders, a page at a
    time (the site's page size). Removed and deleted comments keep their place
    and show what the site shows instead."""
    discussion = _discussion(article_id)
    thread = selectors.thread_of(discussion)
    size = services.settings_for(discussion).page_size or 50
    total = thread.listed_count if thread else 0
    number, pages = page_number(page, total, size)
    found = (
        selectors.comments_page(thread, sort=sort, number=number, size=size)
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


@router.post(
    "/articles/{article_id}/comments",
    response=responses(PostedCommentOut, 401, 403, 409, status=201),
    auth=signed_in,
    tags=["comments"],
    url_name="post_comment",
)
def post_comment(request, article_id: Id, payload: CommentIn):
    """Post a comment as the signed-in reader. It is published at once, or held
    for a moderator (status `pending`), as on the site; `removals` says what was
    taken out of its text."""
    discussion = _discussion(article_id)
    comment = posting.post_comment(
        page=discussion,
        author=request.user,
        body=payload.body,
        ip=client_address(request),
        confirmed=payload.confirmed,
    )
    return Status(
        201,
        {**_comment(request, comment, discussion.pk), "removals": comment.removals},
    )


class VoteIn(Schema):
    value: Literal["up", "down", "none"] = Field(
        description="The vote you want on the comment: `none` takes yours back. "
        "Sending the same again changes nothing, so a retried request is harmless."
    )


class VoteOut(Schema):
    votes: Votes
    mine: Literal["up", "down", "none"] = Field(description="Your vote now.")


@router.post(
    "/comments/{comment_id}/vote",
    response=responses(VoteOut, 401, 403),
    auth=signed_in,
    tags=["comments"],
    url_name="vote",
)
def vote(request, comment_id: Id, payload: VoteIn):
    """Set your vote on a comment: up, down, or none."""
    comment = selectors.get_listed_comment(comment_id)
    up, down, mine = voting.cast_vote(
        comment,
        request.user,
        voting.CHOICES[payload.value],
        ip=client_address(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return {"votes": _votes(up, down), "mine": voting.NAMES[mine]}


# What comments adds to news' and accounts' answers (registered in apps.py).


def article_comments(request, article) -> dict:
    """An article's comment count (the listings' annotation,
    selectors.with_comment_counts) and the address of its comments."""
    return {
        "comment_count": article.comment_count or 0,
        "comments_url": operation_url(request, "comments", article_id=article.pk),
    }


def article_comments_closed(request, article) -> dict:
    return {
        "comments_closed": bool(
            services.closed_reason(article, services.settings_for(article))
        )
    }


def reader_comments(request, user) -> dict:
    """How many comments a reader has published, for their public profile."""
    return {"comment_count": selectors.published_by(user).count()}
