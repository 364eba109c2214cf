"""Reading discussions in a fixed number of queries, whatever their size."""

from django.db.models import OuterRef, Q, Subquery

from .models import Comment, Quote, Thread, ThreadEvent, Vote

SORTS = {
    "oldest": ("created_at", "id"),
    "newest": ("-created_at", "-id"),
    "best": ("-best_score", "created_at", "id"),
    "controversial": ("-controversy", "created_at", "id"),
    "replied": ("-reply_count", "created_at", "id"),
}
DEFAULT_SORT = "oldest"


def with_comment_counts(pages):
    """Annotate a page queryset with `comment_count`, in the same query."""
    return pages.annotate(
        comment_count=Subquery(
            Thread.objects.filter(page=OuterRef("pk")).values("comment_count")[:1]
        )
    )


def thread_of(page) -> Thread | None:
    return Thread.objects.filter(page=page).first()


def listed(thread):
    return Comment.objects.filter(thread=thread, status__in=Comment.LISTED)


def comments_page(thread, *, sort: str, number: int, size: int) -> list[Comment]:
    offset = (number - 1) * size
    return list(
        listed(thread)
        .select_related("author")
        .order_by(*SORTS[sort])[offset : offset + size]
    )


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


def votes_by(user, comments) -> dict[int, int]:
    """The reader's vote on each of these comments (1 or -1), in one query."""
    if not user.is_authenticated or not comments:
        return {}
    return dict(
        Vote.objects.filter(
            user=user, comment__in=[c.pk for c in comments]
        ).values_list("comment_id", "value")
    )


def _before(comment, ordering) -> Q:
    """Comments that come before `comment` in `ordering` (a lexicographic order)."""
    condition = Q(pk__in=[])
    equal = Q()
    for key in ordering:
        field = key.lstrip("-")
        value = getattr(comment, "pk" if field == "id" else field)
        lookup = "lt" if not key.startswith("-") else "gt"
        condition |= equal & Q(**{f"{field}__{lookup}": value})
        equal &= Q(**{field: value})
    return condition


def position(comment, sort: str) -> int:
    """How many listed comments precede this one under `sort` (0-based)."""
    return listed(comment.thread_id).filter(_before(comment, SORTS[sort])).count()


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
