"""Writing comments: who may, what is kept, what is refused, and how it reads."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from newsroom.accounts.tests.helpers import sign_in
from newsroom.alerts.models import Notification
from newsroom.comments.services import close_discussion
from newsroom.formats.display import news_datetime
from newsroom.news.tests.helpers import visible_text

from ..models import Comment, CommentSettings, Quote, Thread
from .helpers import last_comment, post


@pytest.fixture
def kenji(ledger, make_reader):
    reader = make_reader("Kenji")
    sign_in(ledger, "Kenji")
    return reader


def test_anonymous_readers_are_asked_to_sign_in_and_come_back(ledger, article):
    page = ledger.get(article.url)
    text = visible_text(page)

    assert "No comments yet Login to comment" in text
    assert "Login to leave a comment" in text
    path = article.relative_url(article.get_site())
    assert f'/accounts/login/?next={path}%23comments"'.encode() in (
        page.content.replace(b"%2F", b"/")
    )
    assert post(ledger, article, "Hello").status_code == 302  # to sign-in
    assert not Comment.objects.exists()


def test_unverified_readers_read_but_are_told_how_to_comment(
    ledger, article, make_reader
):
    make_reader("Tanuki", verified=False)
    sign_in(ledger, "Tanuki")

    page = visible_text(ledger.get(article.url))
    response = post(ledger, article, "Let me in")

    assert "Confirm your email address to comment" in page
    assert response.status_code == 400
    assert "confirm your email address first" in visible_text(response)
    assert "Let me in" in response.content.decode()  # the text is kept
    assert not Comment.objects.exists()


def test_a_verified_reader_posts_and_lands_on_the_comment(ledger, article, kenji):
    response = post(ledger, article, "The seawall vote was long overdue.")

    comment = last_comment()
    assert response.status_code == 302
    path = article.relative_url(article.get_site())
    assert response["Location"] == f"{path}#comment-{comment.pk}"
    page = ledger.get(article.url)
    text = visible_text(page)
    assert "1 Comment" in text
    # The time as a date in the reader's zone; the browser says "Today".
    assert f"Kenji {news_datetime(comment.created_at)}" in text
    assert "Today" not in text
    utc = f"{comment.created_at:%Y-%m-%dT%H:%M:%S}Z"
    assert f'<time datetime="{utc}" data-relative>' in page.content.decode()
    assert "The seawall vote was long overdue. 0 ( +0 / -0 )" in text
    assert Thread.objects.get(page=article).comment_count == 1


def test_counts_read_naturally_at_top_bottom_and_in_listings(
    ledger, courier, article, kenji
):
    post(ledger, article, "One")
    post(ledger, article, "Two")

    page = visible_text(ledger.get(article.url))
    home = visible_text(ledger.get("/"))
    section = visible_text(ledger.get(article.get_parent().url))

    assert page.count("2 Comments") == 3  # under the headline, above and below
    assert "2 Comments" in home
    assert "2 Comments" in section
    assert "No comments yet" in visible_text(courier.get("/"))


def test_plain_text_paragraphs_line_breaks_and_safe_links(ledger, article, kenji):
    post(
        ledger,
        article,
        "First line\nsecond line\n\nNew paragraph: https://example.org/a?b=1&c=2.",
    )

    html = ledger.get(article.url).content.decode()
    assert "<p>First line<br>second line</p>" in html
    assert (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
        "https://example.org/a?b=1&amp;c=2</a>." in html
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write something before posting."),
        ("   \n\n  ", "Write something before posting."),
        ("\u200b\u202e", "Write something before posting."),
        ("x" * 5001, "at most 5000 characters; this one has 5001"),
        ("[quote=999999]\nmade up\n[/quote]\nGotcha", "no longer in this discussion"),
    ],
)
def test_bad_comments_are_refused_with_the_text_kept(
    ledger, article, kenji, body, message
):
    response = post(ledger, article, body)

    assert response.status_code == 400
    assert message in visible_text(response)
    assert not Comment.objects.exists()
    if body.strip() and len(body) < 100:
        assert body.split("\n")[-1] in response.content.decode()


def test_a_duplicate_and_a_too_fast_comment_are_refused(ledger, article, kenji):
    CommentSettings.objects.filter(site=article.get_site()).update(
        min_interval_seconds=15
    )
    post(ledger, article, "Same again")

    duplicate = post(ledger, article, "Same again")
    too_fast = post(ledger, article, "Something new")

    assert "You have already posted this comment." in visible_text(duplicate)
    assert "You are commenting too fast. Please wait" in visible_text(too_fast)
    assert "Something new" in too_fast.content.decode()
    assert Comment.objects.count() == 1


def test_closed_threads_say_so_and_take_no_comments(ledger, article, kenji):
    post(ledger, article, "Before closing")
    close_discussion(article)  # at once: no publishing needed

    page = visible_text(ledger.get(article.url))
    response = post(ledger, article, "After closing")

    assert "Comments on this article are closed." in page
    assert "Your comment, as Kenji" not in page
    assert "Before closing" in page
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_comments_close_by_themselves_after_the_sites_days(ledger, article, kenji):
    CommentSettings.objects.filter(site=article.get_site()).update(close_after_days=3)
    type(article).objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - datetime.timedelta(days=4)
    )

    response = post(ledger, article, "Too late")

    assert "Comments close 3 days after publication." in visible_text(response)
    assert not Comment.objects.exists()


def test_quotes_are_attributed_linked_and_counted_as_replies(
    ledger, article, kenji, make_reader, django_capture_on_commit_callbacks
):
    post(ledger, article, "The reef is not theirs to claim.\n\nAnd the talks failed.")
    source = last_comment()
    other = Client(HTTP_HOST="ledger.localhost")
    make_reader("JJE")
    sign_in(other, "JJE")

    with django_capture_on_commit_callbacks(execute=True):
        post(
            other,
            article,
            f"[quote={source.pk}]\nnot theirs to claim\n[/quote]\nSays who?\n\n"
            f"[quote={source.pk}]\nthe talks failed.\n[/quote]\nThey resume next week.",
        )

    reply = last_comment()
    html = ledger.get(article.url).content.decode()
    text = visible_text(ledger.get(article.url))
    assert f'<blockquote class="comment-quote" cite="/comments/{source.pk}/">' in html
    assert f"Kenji {news_datetime(source.created_at)}" in text  # the quote's head
    utc = f"{source.created_at:%Y-%m-%dT%H:%M:%S}Z"
    assert f'<time datetime="{utc}" data-relative>' in html
    assert "not theirs to claim Says who?" in text
    assert "the talks failed. They resume next week." in text
    assert "1 reply" in text
    assert Quote.objects.filter(comment=reply, source=source).count() == 1
    source.refresh_from_db()
    assert source.reply_count == 1
    replies = visible_text(ledger.get(f"/comments/{source.pk}/replies/"))
    assert "Says who?" in replies
    # The quoted author is notified once, however many times they were quoted.
    [notice] = Notification.objects.filter(recipient=kenji)
    assert notice.comment == reply
    assert "Notifications 1 unread" in visible_text(ledger.get("/"))


def test_a_passage_from_elsewhere_is_quoted_without_attribution(ledger, article, kenji):
    post(
        ledger,
        article,
        "[quote]\nThe ministry said talks <b>resume</b> on Thursday.\n[/quote]\n"
        "Thursday again?",
    )

    comment = last_comment()
    assert [next(iter(segment)) for segment in comment.segments] == [
        "excerpt",
        "text",
    ]
    assert not Quote.objects.filter(comment=comment).exists()
    html = ledger.get(article.url).content.decode()
    assert '<blockquote class="comment-quote comment-excerpt">' in html
    assert "talks &lt;b&gt;resume&lt;/b&gt; on Thursday." in html
    # A passage alone is not a comment: the reader's own words are needed.
    refused = post(ledger, article, "[quote]\nOnly the ministry's words.\n[/quote]")
    assert "Add your own words to the quote." in visible_text(refused)


def test_a_quote_must_match_what_its_author_wrote(ledger, article, kenji):
    post(ledger, article, "Rates will rise in spring.")
    source = last_comment()

    response = post(
        ledger, article, f"[quote={source.pk}]\nRates will fall\n[/quote]\nQuite."
    )

    assert response.status_code == 400
    assert "does not match what Kenji wrote" in visible_text(response)


def test_quotes_survive_the_source_being_deleted(ledger, article, kenji, make_reader):
    post(ledger, article, "Original words here.")
    source = last_comment()
    other = Client(HTTP_HOST="ledger.localhost")
    make_reader("JJE")
    sign_in(other, "JJE")
    post(other, article, f"[quote={source.pk}]\nOriginal words\n[/quote]\nAgreed.")

    ledger.post(f"/comments/{source.pk}/delete/")

    text = visible_text(ledger.get(article.url))
    assert "This comment was deleted by its author." in text
    assert "Original words Agreed." in text  # the quote kept its own copy
    assert "1 Comment" in text


def test_quoting_yourself_sends_no_notification(
    ledger, article, kenji, django_capture_on_commit_callbacks
):
    post(ledger, article, "My first point.")
    source = last_comment()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post(
            ledger, article, f"[quote={source.pk}]\nMy first point.\n[/quote]\nTo add:"
        )

    assert callbacks  # the hook ran, and chose to send nothing
    assert not Notification.objects.exists()


def test_authors_edit_within_the_window_and_then_not(ledger, article, kenji):
    post(ledger, article, "Teh typo")
    comment = last_comment()

    form = ledger.get(f"/comments/{comment.pk}/edit/")
    assert "Teh typo" in form.content.decode()
    ledger.post(f"/comments/{comment.pk}/edit/", {"body": "The typo"})
    text = visible_text(ledger.get(article.url))
    assert "The typo" in text
    assert "edited" in text

    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    late = ledger.post(f"/comments/{comment.pk}/edit/", {"body": "Changed later"})
    assert late.status_code == 400
    assert "the editing time is over" in visible_text(late)
    comment.refresh_from_db()
    assert comment.body == "The typo"


def test_nobody_else_edits_or_deletes_a_comment(ledger, article, kenji, make_reader):
    post(ledger, article, "Mine")
    comment = last_comment()
    other = Client(HTTP_HOST="ledger.localhost")
    make_reader("JJE")
    sign_in(other, "JJE")

    assert other.post(f"/comments/{comment.pk}/edit/", {"body": "x"}).status_code == 404
    assert other.post(f"/comments/{comment.pk}/delete/").status_code == 404
    comment.refresh_from_db()
    assert (comment.body, comment.status) == ("Mine", "published")


def test_deleting_keeps_the_place_and_the_counts_consistent(ledger, article, kenji):
    post(ledger, article, "Keep me")
    post(ledger, article, "Delete me")
    doomed = last_comment()

    ledger.post(f"/comments/{doomed.pk}/delete/")

    thread = Thread.objects.get(page=article)
    assert (thread.comment_count, thread.listed_count) == (1, 2)
    text = visible_text(ledger.get(article.url))
    assert "1 Comment" in text
    assert "This comment was deleted by its author." in text
    assert "Delete me" not in text


def test_old_live_update_events_are_pruned(ledger, article, kenji):
    from .. import jobs
    from ..models import ThreadEvent

    post(ledger, article, "An event")
    ThreadEvent.objects.update(created_at=timezone.now() - datetime.timedelta(days=3))
    post(ledger, article, "A newer event")

    assert jobs.prune_events() == 1
    assert ThreadEvent.objects.count() == 1


def test_only_articles_take_comments(ledger, article, kenji):
    home = article.get_site().root_page

    response = ledger.post(f"/comments/on/{home.pk}/post/", {"body": "Hello, home"})

    assert response.status_code == 404
    assert not Comment.objects.exists()
