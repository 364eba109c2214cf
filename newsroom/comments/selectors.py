"""Reading discussions in a fixed number of queries, whatever their size.

Pages of a thread are keyset pages. Each sort in `SORTS` has an index on
(thread, is_listed, its order…) (`Comment.Meta.indexes`; oldest and newest walk
the same one either way), and a page is found by seeking that index to a key and
walking a page's length: no sort of the thread, no OFFSET over its rows, the
same cost for page 200 as for page 1. A key is a comment's values in the sort's
order: (score, created_at, id) for the score sorts, (created_at, id) for time.

How a page names its key:
- `?after=<cursor>` / `?before=<cursor>`: the pager's next, previous and "Load
  more" links carry the cursor of the page's last or first comment (`cursor()`),
  with the page number beside it for display. Cursors are positions in the
  order, not comments: one whose comment has since moved (a vote) or gone still
  marks the same place, so walking by them neither repeats nor skips comments.
- `?cpage=N` alone (a bookmark, a shared link, a permalink, the API): the key of
  the last comment of page N-1 comes from one query over the same index that
  reads only columns the index holds, so its OFFSET steps over index entries and
  never touches the table (SQLite: USING COVERING INDEX; PostgreSQL: an Index
  Only Scan). The page itself is then seeked like any other.

The score sorts order by score downwards and then by time upwards, and no one
range of an index walked one way holds "after (score, time, id)" in that order.
So their seek is two ranges, one after the other: the rest of the key's tie
group (same score, later time and id), then the lower scores; the second query
runs only when the first leaves the page short. Walking the tie group from its
start instead would be OFFSET again: two thirds of the demo's 10,000-comment
thread have no votes and share one score.
"""

import datetime
import math

from django.db.models import (
    DateTimeField,
    F,
    Field,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    TextChoices,
    Value,
)
from django.db.models.lookups import GreaterThan, LessThan
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail.models import Site

from .models import Comment, CommentSettings, Quote, Thread, ThreadEvent, Vote


class Sort(TextChoices):
    """The orders a thread is read in: the thread page's menu and the API's `sort`."""

    OLDEST = "oldest", _lazy("Oldest")
    NEWEST = "newest", _lazy("Newest")
    BEST = "best", _lazy("Best")
    CONTROVERSIAL = "controversial", _lazy("Controversial")
    REPLIED = "replied", _lazy("Most replied")


# Each sort's order, the columns of its index.
SORTS = {
    Sort.OLDEST: ("created_at", "id"),
    Sort.NEWEST: ("-created_at", "-id"),
    Sort.BEST: ("-best_score", "created_at", "id"),
    Sort.CONTROVERSIAL: ("-controversy", "created_at", "id"),
    Sort.REPLIED: ("-reply_count", "created_at", "id"),
}
DEFAULT_SORT = Sort.OLDEST


def with_comment_counts(pages):
    """Annotate a page queryset with `comment_count`, in the same query."""
    return pages.annotate(
        comment_count=Subquery(
            Thread.objects.filter(page=OuterRef("pk")).values("comment_count")[:1]
        )
    )


def thread_of(page) -> Thread | None:
    return Thread.objects.filter(page=page).first()


def get_listed_comment(comment_id: int) -> Comment:
    """A comment that holds a place in a live page's thread, with its thread and
    author (what a vote or a report is about); Http404 otherwise."""
    return get_object_or_404(
        Comment.objects.select_related("thread__page", "thread__site", "author"),
        pk=comment_id,
        status__in=Comment.LISTED,
        thread__page__live=True,
    )


def placeholder(comment) -> str | None:
    """What a thread shows in place of a comment readers can no longer read (its
    author deleted it; a moderator removed it, with the reason they gave), or
    None for one that is shown."""
    if comment.status in (Comment.Status.PUBLISHED, Comment.Status.PENDING):
        return None
    if comment.status == Comment.Status.DELETED:
        return _("This comment was deleted by its author.")
    return comment.removal_reason or _(
        "This comment has been removed for violating our community guidelines."
    )


def listed(thread):
    # `= TRUE`, not the bare column Django writes for `is_listed=True`: SQLite
    # seeks an index only on a comparison.
    return Comment.objects.filter(thread=thread, is_listed=Value(True))


class CommentPage(list):
    """A page of a thread's comments, with the cursors of its first and last."""

    before = ""
    after = ""


def comments_page(
    thread, *, sort: str, number: int, size: int, after: str = "", before: str = ""
) -> CommentPage:
    """Return page `number` of the thread's listed comments under `sort`.

    With a valid cursor the page is the `size` comments after `after` (or before
    `before`; from the start when fewer precede it) and `number` is only shown;
    without, page `number` by position. An invalid cursor counts as none. At
    most three queries (the key of a numbered page, then two seeks)."""
    after_key, before_key = parse_cursor(after, sort), parse_cursor(before, sort)
    if after_key:
        rows = _walk(thread, sort, after_key, size)
    elif before_key:
        rows = _walk(thread, sort, before_key, size, forward=False)
        if len(rows) < size:
            rows = _walk(thread, sort, None, size)
    elif number > 1:
        key = _key_at(thread, sort, (number - 1) * size - 1)
        rows = _walk(thread, sort, key, size) if key else []
    else:
        rows = _walk(thread, sort, None, size)
    page = CommentPage(rows)
    if rows:
        page.before, page.after = cursor(rows[0], sort), cursor(rows[-1], sort)
    return page


def _order(sort: str) -> list[tuple[str, bool]]:
    """The sort's (field, descending) pairs."""
    return [(key.lstrip("-"), key.startswith("-")) for key in SORTS[sort]]


def _key_at(thread, sort: str, index: int) -> tuple | None:
    """The key of the listed comment at `index` (0-based) under `sort`, read from
    the sort's index alone."""
    fields = [field for field, _descending in _order(sort)]
    found = listed(thread).order_by(*SORTS[sort]).values_list(*fields)
    return next(iter(found[index : index + 1]), None)


def _walk(thread, sort: str, key, size: int, *, forward=True) -> list[Comment]:
    """Up to `size` listed comments following `key` in `sort` (preceding it when
    not `forward`; from the start without a key), in `sort`'s order."""
    ordering = [key_name if forward else _flip(key_name) for key_name in SORTS[sort]]
    rows = []
    for condition in _ranges(_order(sort), key, forward):
        rows += (
            listed(thread)
            .filter(condition)
            .select_related("author")
            .order_by(*ordering)[: size - len(rows)]
        )
        if len(rows) == size:
            break
    return rows if forward else rows[::-1]


def _flip(key_name: str) -> str:
    return key_name[1:] if key_name.startswith("-") else f"-{key_name}"


def _ranges(order, key, forward: bool) -> list[Q]:
    """What follows `key` in `order` (precedes, when not `forward`), as conditions
    each one range of the sort's index, in the order those ranges are walked.

    The order splits into runs of one direction (best: [score↓] [time↑, id↑]).
    Past the key means: the same values in every run but the last and past them
    in the last; or the same in all runs before the second-to-last and past it;
    and so on. Each run's "past" is a lexicographic comparison whose first
    column is also bounded on its own, which is what an index seeks on."""
    if key is None:
        return [Q()]
    runs, start = [], 0
    for index in range(1, len(order) + 1):
        if index == len(order) or order[index][1] != order[start][1]:
            runs.append(range(start, index))
            start = index
    ranges = []
    for run in reversed(runs):
        equal = Q(**{order[i][0]: key[i] for i in range(run.start)})
        ascending = not order[run.start][1]
        ranges.append(
            equal & _past([(order[i][0], key[i]) for i in run], ascending == forward)
        )
    return ranges


def _past(pairs, upwards: bool) -> Q:
    """(a, b, …) after (x, y, …), upwards or downwards, as one comparison of row
    values, which SQLite and PostgreSQL both seek an index on (spelled out as
    `a > x OR (a = x AND b > y)`, PostgreSQL plans a bitmap scan and a sort)."""
    lookup = GreaterThan if upwards else LessThan
    if len(pairs) == 1:
        ((field, value),) = pairs
        return Q(lookup(F(field), Value(value, _field(field))))
    return Q(
        lookup(
            Row(*(F(field) for field, _value in pairs)),
            Row(*(Value(value, _field(field)) for field, value in pairs)),
        )
    )


def _field(name: str):
    return Comment._meta.get_field(name)


class Row(Func):
    """A row value, `(created_at, id)`."""

    function = ""
    output_field = Field()


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)
# A cursor is a few numbers; anything much longer is not one.
CURSOR_MAX_LENGTH = 100


def cursor(comment, sort: str) -> str:
    """The comment's key under `sort` for a URL: `0.2065_1796611876335215_8123`
    (score, microseconds since 1970 UTC, id); floats in their exact repr."""
    parts = []
    for field, _descending in _order(sort):
        value = getattr(comment, field)
        if isinstance(value, datetime.datetime):
            value = (value - EPOCH) // MICROSECOND
        parts.append(repr(value))
    return "_".join(parts)


def parse_cursor(text: str, sort: str) -> tuple | None:
    """The key a `cursor()` wrote, or None for anything else."""
    order = _order(sort)
    parts = (text or "").split("_")
    if len(text or "") > CURSOR_MAX_LENGTH or len(parts) != len(order):
        return None
    key = []
    try:
        for (field, _descending), part in zip(order, parts, strict=True):
            kind = Comment._meta.get_field(field)
            if isinstance(kind, DateTimeField):
                key.append(EPOCH + int(part) * MICROSECOND)
            elif isinstance(kind, FloatField):
                number = float(part)
                if not math.isfinite(number):
                    return None
                key.append(number)
            else:
                key.append(int(part))
    except (ValueError, OverflowError):
        return None
    return tuple(key)


def picks(thread, limit: int = 5) -> list[Comment]:
    """Editor's picks, newest pick first; no query when the thread has none."""
    if not thread or not thread.pick_count:
        return []
    return list(
        Comment.objects.filter(
            thread=thread, status=Comment.Status.PUBLISHED, picked_at__isnull=False
        )
        .select_related("author")
        .order_by("-picked_at")[:limit]
    )


def awaiting_review(thread, user) -> list[Comment]:
    """The reader's own comments in this thread that a moderator has yet to see."""
    if not thread or not user.is_authenticated:
        return []
    return list(
        Comment.objects.filter(
            thread=thread, author=user, status=Comment.Status.PENDING
        ).order_by("created_at", "id")[:20]
    )


def page_count(thread, size: int) -> int:
    total = thread.listed_count if thread else 0
    return max(1, -(-total // size))


def published_by(user):
    """A reader's published comments on live articles, newest first, with their
    articles (for a public profile); paginate it, the queryset is unbounded."""
    return (
        Comment.objects.filter(
            author=user, status=Comment.Status.PUBLISHED, thread__page__live=True
        )
        .select_related("thread__page")
        .order_by("-created_at", "-id")
    )


def vote_flags(value: int) -> dict[str, bool]:
    """A reader's vote (a `Vote.Value`, or 0 for none) as the vote buttons show it."""
    return {"up": value == Vote.Value.UP, "down": value == Vote.Value.DOWN}


def votes_by(user, comments) -> dict[int, int]:
    """The reader's vote on each of these comments (1 or -1), in one query."""
    if not user.is_authenticated or not comments:
        return {}
    return dict(
        Vote.objects.filter(
            user=user, comment__in=[c.pk for c in comments]
        ).values_list("comment_id", "value")
    )


def position(comment, sort: str) -> int:
    """How many listed comments precede this one under `sort` (0-based): a count
    of each range before its key, over the sort's index alone."""
    order = _order(sort)
    key = tuple(getattr(comment, field) for field, _descending in order)
    return sum(
        listed(comment.thread_id).filter(condition).count()
        for condition in _ranges(order, key, forward=False)
    )


def replies_to(comment):
    """Published comments that quote this one, oldest first."""
    return (
        Comment.objects.filter(
            status=Comment.Status.PUBLISHED,
            pk__in=Quote.objects.filter(source=comment).values("comment_id"),
        )
        .select_related("author")
        .order_by("created_at", "id")
    )


def events_after(thread_id: int, *, after_id: int = 0, since=None, limit: int = 200):
    events = ThreadEvent.objects.filter(thread_id=thread_id)
    if after_id:
        events = events.filter(pk__gt=after_id)
    elif since is not None:
        events = events.filter(created_at__gt=since)
    return list(events.order_by("pk")[:limit])


def last_event(thread) -> tuple:
    """The id and time of the thread's latest live-update event, or (None, None)
    (one indexed read): where a page's live updates start, and when its
    discussion last changed."""
    if thread is None:
        return None, None
    found = (
        ThreadEvent.objects.filter(thread=thread)
        .order_by("-id")
        .values_list("id", "created_at")
        .first()
    )
    return found or (None, None)


SORT_LABELS = Sort.choices


def requested_sort(request) -> str:
    """`?sort=`, else the sort a signed-in reader chose before, else the default."""
    sort = request.GET.get("sort", "")
    if sort in SORTS:
        return sort
    if request.user.is_authenticated:
        remembered = request.session.get("comment_sort")
        if remembered in SORTS:
            return remembered
    return DEFAULT_SORT


def page_number(request, pages: int) -> int:
    try:
        number = int(request.GET.get("cpage", "1"))
    except ValueError:
        number = 1
    return min(max(number, 1), pages)


def thread_page(request, page, *, sort: str) -> dict:
    """Everything the discussion under an article shows, display-ready, in a fixed
    number of queries whatever the size of the thread."""
    from newsroom.accounts.services import can_participate

    from . import services

    if not page.pk or getattr(request, "is_preview", False):
        return {"page": page, "preview": True, "count": 0}
    user = request.user
    rules = CommentSettings.for_request(request)
    thread = thread_of(page)
    pages = page_count(thread, rules.page_size)
    number = page_number(request, pages)
    comments = (
        comments_page(
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
    chosen = picks(thread) if number == 1 else []
    last_event_id, last_change = last_event(thread)
    changed = max(filter(None, [page.last_published_at, last_change]), default=None)
    if changed is not None:
        # A shared page's Last-Modified: the article's or its discussion's last
        # change, the same whichever process renders it.
        request.newsroom_last_modified = changed
    return {
        "page": page,
        "thread": thread,
        "picks": chosen,
        "awaiting": awaiting_review(thread, user),
        "count": thread.comment_count if thread else 0,
        "comments": comments,
        "my_votes": votes_by(user, comments + chosen),
        "sort": sort,
        "sorts": SORT_LABELS,
        "default_sort": DEFAULT_SORT,
        "number": number,
        "pages": pages,
        "closed": services.closed_reason(page, rules, thread=thread),
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
