"""Comments written elsewhere before a publisher moved here (an imported archive).

They are added with their own time, author and status, without the screening,
notices and live updates of a comment posted here; the thread's counts are then
recounted from its rows (`recount`), so a resumed import cannot count twice.
"""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from newsroom.edge import keys as surrogate_keys
from newsroom.edge.purge import purge

from .models import Comment, Quote, Thread
from .render import body_from_segments
from .transitions import quoted_ids


def shaped(rows: list):
    """`rows` in slices of a few fixed sizes (256, then the remainder by powers of
    two), for bulk statements: each distinct size is another prepared statement in
    the connection's cache, and a long import would otherwise fill that cache with
    one large statement per remainder it met (memory grew with the file)."""
    start = 0
    while start < len(rows):
        left = len(rows) - start
        size = 256 if left >= 256 else 1 << (left.bit_length() - 1)
        yield rows[start : start + size]
        start += size


def insert(model, rows: list) -> None:
    for rows_of_a_size in shaped(rows):
        model.objects.bulk_create(rows_of_a_size)


def new_comment(thread, *, author, segments, created_at, status) -> Comment:
    """A comment as it stood where it was written (`status`: published, pending for
    review, or deleted, kept as a placeholder where it was answered), to store with
    `add_comments`."""
    published = status == Comment.Status.PUBLISHED
    return Comment(
        thread=thread,
        author=author,
        segments=segments,
        created_at=created_at,
        published_at=created_at if published else None,
        status=status,
        is_listed=status in Comment.LISTED,
    )


def add_comments(comments: list[Comment], resolve=None) -> None:
    """Store `comments` (from `new_comment`, oldest first) in one statement and link
    their quotes. A comment may quote one stored in the same call, whose id is not
    known when its segments are made: `resolve`, called once every comment has its
    id, fills those in and returns the comments whose segments it changed."""
    for comment in comments:
        comment.body = body_from_segments(comment.segments)
    insert(Comment, comments)
    changed = resolve() if resolve else []
    if changed:
        for comment in changed:
            comment.body = body_from_segments(comment.segments)
        for comments_of_a_size in shaped(changed):
            Comment.objects.bulk_update(comments_of_a_size, ["segments", "body"])
    insert(
        Quote,
        [
            Quote(comment=comment, source_id=source)
            for comment in comments
            for source in quoted_ids(comment.segments)
        ],
    )


def recount(thread: Thread) -> None:
    """Set the thread's counts, and its comments' reply counts, from the rows; then
    let the article's shared pages show them."""
    published = Q(status=Comment.Status.PUBLISHED)
    counts = Comment.objects.filter(thread=thread).aggregate(
        comments=Count("pk", filter=published),
        listed=Count("pk", filter=Q(is_listed=True)),
        picks=Count("pk", filter=published & Q(picked_at__isnull=False)),
    )
    Thread.objects.filter(pk=thread.pk).update(
        comment_count=counts["comments"],
        listed_count=counts["listed"],
        pick_count=counts["picks"],
    )
    replies = (
        Quote.objects.filter(source=OuterRef("pk"), comment__status="published")
        .order_by()
        .values("source")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Comment.objects.filter(thread=thread).update(
        reply_count=Coalesce(Subquery(replies, output_field=IntegerField()), Value(0))
    )
    purge(surrogate_keys.thread(thread.page_id))


def reattribute(old_author, new_author) -> int:
    """Give every comment of `old_author` to `new_author` (a reader claiming an
    imported history), quotes of them included; returns how many moved."""
    moved = list(Comment.objects.filter(author=old_author).values_list("pk", flat=True))
    if not moved:
        return 0
    Comment.objects.filter(pk__in=moved).update(author=new_author)
    quoting = Comment.objects.filter(quotes__source_id__in=moved).distinct()
    for comment in quoting:
        for segment in comment.segments:
            quote = segment.get("quote")
            if quote and quote.get("id") in moved:
                quote["author"] = new_author.get_username()
                quote["author_id"] = new_author.pk
        Comment.objects.filter(pk=comment.pk).update(segments=comment.segments)
    threads = Thread.objects.filter(comments__pk__in=moved).distinct()
    for page_id in threads.values_list("page_id", flat=True):
        purge(surrogate_keys.thread(page_id))
    return len(moved)
