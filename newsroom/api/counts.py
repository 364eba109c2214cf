"""The API's comment counts by article address (mounted in v1.py).

The api app's own Router, not comments': an address may be an article on one of
the network's sites or a page of another website that embeds a thread, and the
embedded threads are this app's (selectors.counts_for)."""

from ninja import Field, Query, Router, Schema

from newsroom.rest.conventions import responses

from . import selectors

router = Router()


class CommentCountsIn(Schema):
    url: list[str] = Field(
        ...,
        min_length=1,
        max_length=selectors.MAX_URLS,
        description="Up to 100 article addresses (repeat the parameter).",
    )


class CommentCountOut(Schema):
    url: str
    article: int | None
    count: int | None = Field(description="None when we hold no such article.")


class CommentCountsOut(Schema):
    counts: list[CommentCountOut]


@router.get(
    "/comment-counts",
    response=responses(CommentCountsOut),
    tags=["comments"],
    url_name="comment_counts",
)
def comment_counts(request, query: Query[CommentCountsIn]):
    """Comment counts for up to 100 article addresses in one call, for listing
    pages on other websites (`?url=…&url=…`)."""
    return {
        "counts": [
            {"url": row["url"], "article": row["page"], "count": row["count"]}
            for row in selectors.counts_for([u[:2000] for u in query.url])
        ]
    }
