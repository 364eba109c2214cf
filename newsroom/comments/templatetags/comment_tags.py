import hashlib
import re

from django import template
from django.core.cache import cache
from django.core.paginator import Paginator
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _lazy
from wagtail.models import Site

from newsroom.accounts.services import can_participate
from newsroom.news.templatetags.news_tags import time_element

from .. import render, selectors, services
from ..models import CommentSettings

register = template.Library()

# A reader's public history: a page a reader scrolls in one go, and excerpts long
# enough to recognise a comment by, short enough to scan the list.
HISTORY_PAGE_SIZE = 20
EXCERPT_LENGTH = 300


@register.filter
def comment_time(value) -> str:
    """`<time datetime="2026-12-06T21:53:00Z" data-relative>Dec 7 2026 06:53 am
    JST</time>`, which times.js shows as `Today 06:53 am JST`, `Yesterday 11:40 pm
    JST` or the date, on the reader's day: the page holds no day, so it may be kept."""
    return time_element(value, relative=True)


@register.filter
def vote_summary(comment) -> str:
    """`-3 ( +3 / -6 )`: net, then up and down."""
    up, down = comment.up_count, comment.down_count
    return f"{up - down} ( +{up} / -{down} )"


def remembered_sort(request) -> str:
    sort = request.GET.get("sort", "")
    if sort in selectors.SORTS:
        if (
            request.user.is_authenticated
            and request.session.get("comment_sort") != sort
        ):
            request.session["comment_sort"] = sort
        return sort
    if request.user.is_authenticated:
        remembered = request.session.get("comment_sort")
        if remembered in selectors.SORTS:
            return remembered
    return selectors.DEFAULT_SORT


def page_number(request, pages: int) -> int:
    try:
        number = int(request.GET.get("cpage", "1"))
    except ValueError:
        number = 1
    return min(max(number, 1), pages)


@register.simple_tag(takes_context=True)
def discussion_context(context, page) -> dict:
    """All the discussion under an article needs, in a fixed number of queries."""
    request = context["request"]
    if not page.pk or getattr(request, "is_preview", False):
        return {"page": page, "preview": True, "count": 0}
    user = request.user
    rules = CommentSettings.for_request(request)
    thread = selectors.thread_of(page)
    sort = remembered_sort(request)
    pages = selectors.page_count(thread, rules.page_size)
    number = page_number(request, pages)
    comments = (
        selectors.comments_page(
            thread,
            sort=sort,
            number=number,
            size=rules.page_size,
            after=request.GET.get("after", ""),
            before=request.GET.get("before", ""),
        )
        if thread and thread.listed_count
        else []
    )
    picks = selectors.picks(thread) if number == 1 else []
    last_event_id, last_change = selectors.last_event(thread)
    changed = max(filter(None, [page.last_published_at, last_change]), default=None)
    if changed is not None:
        # A shared page's Last-Modified: the article's or its discussion's last
        # change, the same whichever process renders it.
        request.newsroom_last_modified = changed
    return {
        "page": page,
        "thread": thread,
        "picks": picks,
        "awaiting": selectors.awaiting_review(thread, user),
        "count": thread.comment_count if thread else 0,
        "comments": comments,
        "my_votes": selectors.votes_by(user, comments + picks),
        "sort": sort,
        "sorts": SORT_LABELS,
        "number": number,
        "pages": pages,
        "closed": services.closed_reason(page, rules),
        "can_comment": can_participate(user),
        "refusal": services.refusal(user, site=Site.find_for_request(request))
        if user.is_authenticated
        else "",
        "rules": rules,
        "now": timezone.now(),
        # Where the page's live updates start: after the last event it shows. Not
        # the time of rendering, so that rendering an unchanged thread again gives
        # the same bytes (and ETag) to every cache.
        "last_event": last_event_id,
        "since": page.first_published_at or page.go_live_at or timezone.now(),
    }


SORT_LABELS = [
    ("oldest", _lazy("Oldest")),
    ("newest", _lazy("Newest")),
    ("best", _lazy("Best")),
    ("controversial", _lazy("Controversial")),
    ("replied", _lazy("Most replied")),
]


FRAGMENT_SECONDS = 60 * 60
# A line break and the indentation after it: the template's layout, not the page's
# (comment text holds no line breaks of its own: paragraphs are <p> elements).
_LAYOUT = re.compile(r"\n\s+")


def squeeze(html: str) -> str:
    """Drop the template's indentation and blank lines: a third of a thread's bytes."""
    return _LAYOUT.sub("\n", html)


def _fragment_key(comment, id_prefix: str) -> str:
    """A comment's HTML as anonymous readers see it changes with these, and only
    these (its times are absolute, in the current zone: times.js says "Today")."""
    author = comment.author.get_username() if comment.author_id else ""
    state = "|".join(
        str(part)
        for part in (
            comment.status,
            comment.edited_at,
            comment.up_count,
            comment.down_count,
            comment.reply_count,
            comment.picked_at,
            comment.removal_reason,
            comment.author_id,
            author,
            id_prefix,
            timezone.get_current_timezone_name(),
        )
    )
    digest = hashlib.blake2b(state.encode(), digest_size=10).hexdigest()
    return f"comments:html:{comment.pk}:{digest}"


@register.simple_tag(takes_context=True)
def comment_list(context, comments, d, id_prefix=""):
    """A page of comments. Anonymous readers' pages are a join of each comment's
    HTML, rendered once per version of the comment (its state is in the key) and
    kept in the cache, so a page costs one cache read rather than a render per
    comment; a signed-in reader's page (without JavaScript) is rendered for them."""
    template = get_template("comments/comment.html").template
    extra = {"my_votes": d.get("my_votes"), "now": d.get("now"), "id_prefix": id_prefix}

    def render_one(comment) -> str:
        with context.push(comment=comment, **extra):
            return squeeze(template.render(context))

    user = context.get("user")
    if user is not None and user.is_authenticated:
        return mark_safe("".join(render_one(c) for c in comments))  # noqa: S308
    keys = {comment.pk: _fragment_key(comment, id_prefix) for comment in comments}
    found = cache.get_many(list(keys.values()))
    missing = {}
    parts = []
    for comment in comments:
        html = found.get(keys[comment.pk])
        if html is None:
            html = missing[keys[comment.pk]] = render_one(comment)
        parts.append(html)
    if missing:
        cache.set_many(missing, FRAGMENT_SECONDS)
    return mark_safe("".join(parts))  # noqa: S308 - rendered by our template


@register.filter
def my_vote(my_votes, comment) -> int:
    return (my_votes or {}).get(comment.pk, 0)


@register.filter
def excerpt(comment) -> str:
    """The author's own words (quotes left out) as plain text, cut near 300
    characters; autoescaped where it is shown."""
    text = " ".join(render.own_words(comment.segments).split())
    return Truncator(text).chars(EXCERPT_LENGTH)


@register.inclusion_tag("comments/reader_comments.html", takes_context=True)
def reader_comments(context, reader) -> dict:
    """A reader's published comments, newest first, 20 a page (`?page=N`).

    Two queries whatever their number: the count and the page, articles joined.
    A page number that is not one shows the first page, one past the end the last.
    """
    request = context["request"]
    paginator = Paginator(selectors.published_by(reader), HISTORY_PAGE_SIZE)
    return {
        "request": request,
        "comments": paginator.get_page(request.GET.get("page")),
        "count": paginator.count,
    }
