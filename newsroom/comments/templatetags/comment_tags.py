import datetime

from django import template
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail.models import Site

from newsroom.accounts.services import can_participate
from newsroom.news.templatetags.news_tags import clock_time, news_datetime

from .. import render, selectors, services
from ..models import CommentSettings

register = template.Library()

# A reader's public history: a page a reader scrolls in one go, and excerpts long
# enough to recognise a comment by, short enough to scan the list.
HISTORY_PAGE_SIZE = 20
EXCERPT_LENGTH = 300


@register.filter
def comment_time(value, now=None) -> str:
    """`Today 06:53 am JST`, `Yesterday 11:40 pm JST`, `Apr 22 2025 11:40 pm JST`."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    local = timezone.localtime(value)
    today = timezone.localtime(now or timezone.now()).date()
    if local.date() == today:
        return _("Today %(clock)s") % {"clock": clock_time(local)}
    if local.date() == today - datetime.timedelta(days=1):
        return _("Yesterday %(clock)s") % {"clock": clock_time(local)}
    return news_datetime(value)


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
        selectors.comments_page(thread, sort=sort, number=number, size=rules.page_size)
        if thread and thread.listed_count
        else []
    )
    picks = selectors.picks(thread) if number == 1 else []
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
    }


SORT_LABELS = [
    ("oldest", _lazy("Oldest")),
    ("newest", _lazy("Newest")),
    ("best", _lazy("Best")),
    ("controversial", _lazy("Controversial")),
    ("replied", _lazy("Most replied")),
]


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
