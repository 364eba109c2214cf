"""Pages of a thread: keyset pages equal to the OFFSET pages they replace, found by
walking the sort's index (no sort, no OFFSET over rows) in a bounded number of
queries, whatever the page."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from .. import render, selectors
from ..models import Comment, Thread
from .helpers import an_article

SIZE = 5
INDEXES = {
    "oldest": "comment_listed_by_time",
    "newest": "comment_listed_by_time",
    "best": "comment_listed_by_best",
    "controversial": "comment_listed_by_controversy",
    "replied": "comment_listed_by_replies",
}
# Awaiting review and rejected comments hold no place; the others do.
STATUSES = ["published"] * 6 + ["removed", "deleted", "pending", "rejected"]


def tied_thread(article, author, count=34, seed=15, spread=5):
    """A thread whose comments tie often: `spread` distinct times, a few scores."""
    rng = random.Random(seed)  # noqa: S311 - a repeatable mix, not a secret
    thread, _ = Thread.objects.get_or_create(page=article, site=article.get_site())
    start = timezone.now() - datetime.timedelta(hours=1)
    rows = []
    for n in range(count):
        status = rng.choice(STATUSES)
        text = f"Comment {n}"
        rows.append(
            Comment(
                thread=thread,
                author=author,
                status=status,
                is_listed=status in Comment.LISTED,
                body=text,
                segments=[{"text": {"raw": text, "html": render.text_to_html(text)}}],
                created_at=start + datetime.timedelta(minutes=rng.randrange(spread)),
                best_score=rng.choice([0.0, 0.0, 0.20654329147389294, 0.5]),
                controversy=rng.choice([0.0, 1.0, 1.7320508075688772]),
                reply_count=rng.choice([0, 0, 1, 3]),
            )
        )
    Comment.objects.bulk_create(rows)
    listed = sum(row.is_listed for row in rows)
    Thread.objects.filter(pk=thread.pk).update(listed_count=listed)
    thread.refresh_from_db()
    return thread


def offset_pages(thread, sort) -> list[list[int]]:
    """The pages as the OFFSET query before keyset pagination gave them."""
    ids = list(
        Comment.objects.filter(thread=thread, status__in=Comment.LISTED)
        .order_by(*selectors.SORTS[sort])
        .values_list("pk", flat=True)
    )
    return [ids[start : start + SIZE] for start in range(0, len(ids), SIZE)]


def ids(page) -> list[int]:
    return [comment.pk for comment in page]


@pytest.fixture
def thread(network, make_reader):
    return tied_thread(an_article(), make_reader("Writer"))


@pytest.mark.parametrize("sort", selectors.SORTS)
def test_keyset_pages_equal_the_offset_pages(thread, sort):
    expected = offset_pages(thread, sort)
    assert len(expected) >= 5 and thread.listed_count < 34  # ties, unlisted rows

    numbered = [
        ids(selectors.comments_page(thread, sort=sort, number=n, size=SIZE))
        for n in range(1, len(expected) + 2)
    ]
    forward, page = [], selectors.comments_page(thread, sort=sort, number=1, size=SIZE)
    while page:
        forward.append(ids(page))
        page = selectors.comments_page(
            thread, sort=sort, number=0, size=SIZE, after=page.after
        )
    page = selectors.comments_page(thread, sort=sort, number=len(expected), size=SIZE)
    backward = [ids(page)]
    while len(backward) < len(expected):
        page = selectors.comments_page(
            thread, sort=sort, number=0, size=SIZE, before=page.before
        )
        backward.insert(0, ids(page))

    assert numbered == [*expected, []]
    assert forward == expected
    assert backward == expected


@pytest.mark.parametrize("sort", selectors.SORTS)
def test_a_comment_s_position_is_its_place_in_the_order(thread, sort):
    order = [pk for page in offset_pages(thread, sort) for pk in page]
    comments = Comment.objects.in_bulk(order)

    assert [selectors.position(comments[pk], sort) for pk in order] == list(
        range(len(order))
    )


def page_queries(thread, sort) -> dict[str, list[dict]]:
    """The SQL of page 1, a numbered deep page, and the pages after and before it."""
    deep = selectors.comments_page(thread, sort=sort, number=4, size=SIZE)
    ways = {
        "first": {"number": 1},
        "numbered": {"number": 4},
        "after": {"number": 5, "after": deep.after},
        "before": {"number": 3, "before": deep.before},
    }
    found = {}
    for way, options in ways.items():
        with CaptureQueriesContext(connection) as captured:
            selectors.comments_page(thread, sort=sort, size=SIZE, **options)
        found[way] = captured.captured_queries
    return found


def plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"{connection.ops.explain_query_prefix()} {sql}")
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.parametrize("sort", selectors.SORTS)
def test_every_page_walks_the_sort_s_index_without_sorting(thread, sort):
    if connection.vendor == "postgresql":
        # Thirty rows fit one block, where PostgreSQL rightly reads them all and
        # sorts. Priced out of that, it must find a walk of an index in the page's
        # order; where there is none, the plan still sorts (and fails below).
        with connection.cursor() as cursor:
            for method in ("seqscan", "bitmapscan", "sort"):
                cursor.execute(f"SET LOCAL enable_{method} = off")
    index = INDEXES[sort]

    for way, queries in page_queries(thread, sort).items():
        for query in queries:
            explained = plan(query["sql"])
            assert index in explained, (way, explained)
            if connection.vendor == "sqlite":
                assert "TEMP B-TREE" not in explained, (way, explained)
            else:
                assert "Sort" not in explained, (way, explained)
            if "OFFSET" in query["sql"]:  # a numbered page's key: the index alone
                assert way == "numbered"
                assert "comments_comment.body" not in query["sql"].replace('"', "")
                covering = (
                    "COVERING INDEX" if connection.vendor == "sqlite" else "Index Only"
                )
                assert covering in explained, explained


@pytest.mark.parametrize("sort", selectors.SORTS)
def test_a_deep_page_costs_the_queries_of_the_first(
    network, make_reader, sort, django_assert_max_num_queries
):
    author = make_reader("Writer")
    small = tied_thread(an_article(), author, count=34)
    large = tied_thread(an_article("courier"), author, count=340, seed=16)

    for thread in (small, large):
        deep = thread.listed_count // SIZE  # the last full page
        with django_assert_max_num_queries(1):
            first = selectors.comments_page(thread, sort=sort, number=1, size=SIZE)
        # The key of the page before, then the rest of a tie group and the
        # lower scores.
        with django_assert_max_num_queries(3):
            numbered = selectors.comments_page(
                thread, sort=sort, number=deep, size=SIZE
            )
        with django_assert_max_num_queries(2):
            selectors.comments_page(
                thread, sort=sort, number=2, size=SIZE, after=first.after
            )
        assert len(first) == len(numbered) == SIZE


@given(
    score=st.floats(min_value=0, max_value=1e300),
    # Hypothesis takes naive bounds and makes the values aware.
    at=st.datetimes(
        min_value=datetime.datetime(1971, 1, 1),  # noqa: DTZ001
        max_value=datetime.datetime(2999, 1, 1),  # noqa: DTZ001
        timezones=st.just(datetime.UTC),
    ),
    pk=st.integers(min_value=1, max_value=2**62),
    replies=st.integers(min_value=0, max_value=2**31),
)
def test_a_cursor_reads_back_as_the_key_it_was_written_from(score, at, pk, replies):
    comment = Comment(
        pk=pk, best_score=score, controversy=score, reply_count=replies, created_at=at
    )

    for sort, order in selectors.SORTS.items():
        key = tuple(getattr(comment, name.lstrip("-")) for name in order)
        assert selectors.parse_cursor(selectors.cursor(comment, sort), sort) == key


@given(st.text(max_size=200))
def test_anything_else_is_no_cursor_rather_than_an_error(text):
    for sort in selectors.SORTS:
        key = selectors.parse_cursor(text, sort)
        assert key is None or len(key) == len(selectors.SORTS[sort])


@pytest.mark.parametrize(
    "text", ["", "nan_1_2", "inf_1_2", "1e999_1_2", "1_2", "1_2_3_4", "9" * 200]
)
def test_a_cursor_that_is_not_one_is_ignored(text):
    assert selectors.parse_cursor(text, "best") is None
