"""The screening chain, rule by rule, as readers meet it through the comment form."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from conftest import COURIER, LEDGER
from newsroom.comments.models import Comment
from newsroom.comments.tests.factories import set_rules
from newsroom.comments.tests.helpers import an_article, last_comment
from newsroom.formats.display import news_datetime
from newsroom.news.tests.helpers import visible_text
from newsroom.ratelimit.tests.helpers import refusal

from .. import decisions
from ..models import ArticleRules, CommentReview, RemovalReason
from .factories import sanction
from .helpers import (
    another_article,
    article_html,
    article_text,
    browser_for,
    edit,
    post,
    post_from,
    signed_in,
    vote,
)

INSULT = "You are a stupid idiot and a moron"


@pytest.fixture
def hana(network):
    return signed_in("Hana")[1]


def flags_of(comment):
    return CommentReview.objects.get(comment=comment).flags


# Pre-moderation -------------------------------------------------------------------


def test_with_premoderation_off_a_comment_appears_at_once(article, kenji, hana):
    response = post(kenji, article, "The seawall vote was long overdue.")

    assert response.status_code == 302
    assert last_comment().status == Comment.Status.PUBLISHED
    text = article_text(hana, article)
    assert "1 Comment" in text
    assert "The seawall vote was long overdue." in text


def test_with_premoderation_of_everything_a_comment_is_held(article, kenji, hana):
    set_rules(article, premoderation="all")

    response = post(kenji, article, "Held for the moderators.")

    comment = last_comment()
    path = article.relative_url(article.get_site())
    assert response["Location"] == f"{path}#comment-{comment.pk}"
    assert comment.status == Comment.Status.PENDING
    assert {
        "rule": "pre-moderation",
        "action": "hold",
        "message": "Every comment on this site",
    } in flags_of(comment)
    assert "Held for the moderators." not in article_html(hana, article)


def test_an_article_under_premoderation_holds_only_its_own_comments(article, kenji):
    ArticleRules.objects.create(page=article, premoderate=True)
    elsewhere = another_article()

    post(kenji, article, "On the heated article.")
    heated = last_comment()
    post(kenji, elsewhere, "On a calm article.")
    calm = last_comment()

    assert heated.status == Comment.Status.PENDING
    assert "Every comment on this article" in str(flags_of(heated))
    assert calm.status == Comment.Status.PUBLISHED


def test_a_reader_under_premoderation_is_held_while_others_are_not(
    article, kenji, hana, moderator
):
    sanction(
        get_user_model().objects.get(username="Kenji"),
        moderator,
        kind="premoderate",
        reason="Several off-topic comments.",
        site=article.get_site(),
    )

    courier_article = an_article("courier")
    set_rules(courier_article)
    kenji_on_courier = browser_for("Kenji", host=COURIER)

    post(kenji, article, "Kenji writes.")
    kenjis = last_comment()
    post(hana, article, "Hana writes.")
    hanas = last_comment()
    post(kenji_on_courier, courier_article, "Kenji on the other site.")
    kenjis_elsewhere = last_comment()

    assert kenjis.status == Comment.Status.PENDING
    assert "This reader's comments" in str(flags_of(kenjis))
    assert hanas.status == Comment.Status.PUBLISHED
    assert kenjis_elsewhere.status == Comment.Status.PUBLISHED  # that site only
    text = article_text(hana, article)
    assert "Hana writes." in text
    assert "Kenji writes." not in text


def test_new_commenters_are_held_until_three_comments_are_approved(
    article, kenji, hana, moderator
):
    set_rules(article, premoderation="new")

    for number in range(3):
        post(kenji, article, f"Early comment number {number}.")
        held = last_comment()
        assert held.status == Comment.Status.PENDING
        assert f"{number} of 3 approved comments" in str(flags_of(held))
        decisions.approve_comment(held, moderator=moderator)
    response = post(kenji, article, "Now my comments appear at once.")

    assert response.status_code == 302
    assert last_comment().status == Comment.Status.PUBLISHED
    text = article_text(hana, article)
    assert "4 Comments" in text
    assert "Now my comments appear at once." in text


# Banned words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "disguise",
    [
        "idiot",
        "IDIOT",
        "Idiots",
        "i d i o t",
        "i.d.i.o.t",
        "\u0456d\u0456\u043et",  # Cyrillic і and о
        "\uff49\uff44\uff49\uff4f\uff54",  # fullwidth ｉｄｉｏｔ
        "1d10t",
        "idiiiooottt",
    ],
)
def test_a_banned_word_is_refused_however_it_is_disguised(article, kenji, disguise):
    set_rules(article, banned_words="scoundrel\nidiot")
    body = f"Only an {disguise} believes the council."

    response = post(kenji, article, body)

    assert response.status_code == 400
    assert (
        "Your comment contains language that is not allowed here (“idiot”). "
        "Please rephrase it." in visible_text(response)
    )
    assert body in response.content.decode()  # kept in the form to rephrase
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "A classic assessment of the grass roots campaign.",
        "The embassy passes the message on.",
    ],
)
def test_a_banned_word_inside_other_words_is_not_matched(article, kenji, body):
    set_rules(article, banned_words="ass")

    response = post(kenji, article, body)

    assert response.status_code == 302
    assert last_comment().status == Comment.Status.PUBLISHED


def test_an_edit_with_a_banned_word_is_refused_and_the_comment_kept(article, kenji):
    set_rules(article, banned_words="scoundrel")
    post(kenji, article, "The minister explained the plan.")
    comment = last_comment()

    response = edit(kenji, comment, "The minister is a scoundrel.")

    assert response.status_code == 400
    assert "(“scoundrel”)" in visible_text(response)
    assert "The minister is a scoundrel." in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "The minister explained the plan."
    assert comment.status == Comment.Status.PUBLISHED


def test_a_refusal_wins_over_rules_that_would_only_hold(article, kenji):
    set_rules(
        article,
        banned_words="scoundrel",
        suspect_words="pills",
        blocked_domains="cheap-pills.com",
        premoderation="all",
    )

    response = post(kenji, article, "Scoundrel! Buy pills at https://cheap-pills.com")

    assert response.status_code == 400
    assert "(“scoundrel”)" in visible_text(response)
    assert not Comment.objects.exists()


# Suspect words and links ----------------------------------------------------------


def test_a_suspect_word_holds_the_comment_and_records_the_flag(article, kenji, hana):
    set_rules(article, suspect_words="crypto\nguaranteed returns")

    response = post(kenji, article, "Buy crypto now, friends.")

    comment = last_comment()
    assert response.status_code == 302
    assert comment.status == Comment.Status.PENDING
    assert {"rule": "suspect word", "action": "hold", "message": "crypto"} in (
        flags_of(comment)
    )
    assert "Buy crypto now" not in article_html(hana, article)


def test_more_links_than_allowed_hold_the_comment(article, kenji):
    set_rules(article, max_links=2)

    post(kenji, article, "Sources: https://a.org/1 and https://b.org/2")
    two = last_comment()
    post(kenji, article, "More: https://a.org/1 https://b.org/2 https://c.org/3")
    three = last_comment()

    assert two.status == Comment.Status.PUBLISHED
    assert three.status == Comment.Status.PENDING
    assert {"rule": "links", "action": "hold", "message": "3 links"} in flags_of(three)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("Read https://cheap-pills.com/buy first.", "pending"),
        ("Read https://shop.cheap-pills.com/ first.", "pending"),
        ("Read www.cheap-pills.com today.", "pending"),
        ("Read https://notcheap-pills.com/ first.", "published"),
    ],
)
def test_a_link_to_a_blocked_domain_or_its_subdomains_holds_the_comment(
    article, kenji, body, status
):
    set_rules(article, blocked_domains="cheap-pills.com")

    post(kenji, article, body)

    comment = last_comment()
    assert comment.status == status
    if status == "pending":
        assert {
            "rule": "blocked domain",
            "action": "hold",
            "message": "Links to cheap-pills.com",
        } in flags_of(comment)


# Repeat posting -------------------------------------------------------------------


def test_the_same_text_on_another_article_is_refused_within_the_window(article, kenji):
    set_rules(article, repeat_window_minutes=60)
    elsewhere = another_article()
    post(kenji, article, "Read my blog for the real story.")
    post(kenji, article, "Something in between.")

    response = post(kenji, elsewhere, "Read my  blog for the REAL story.")

    assert response.status_code == 400
    assert "You posted this same comment a short while ago." in visible_text(response)
    assert "Read my  blog for the REAL story." in response.content.decode()
    assert not Comment.objects.filter(thread__page=elsewhere).exists()


def test_the_same_text_is_allowed_again_after_the_window(article, kenji):
    set_rules(article, repeat_window_minutes=60)
    elsewhere = another_article()
    post(kenji, article, "Read my blog for the real story.")
    first = last_comment()
    post(kenji, article, "Something in between.")
    an_hour_ago = timezone.now() - datetime.timedelta(minutes=61)
    Comment.objects.filter(pk=first.pk).update(created_at=an_hour_ago)

    response = post(kenji, elsewhere, "Read my blog for the real story.")

    assert response.status_code == 302
    assert Comment.objects.filter(thread__page=elsewhere).count() == 1


# Offensive language ---------------------------------------------------------------


def test_an_insulting_comment_is_sent_back_to_reconsider(article, kenji):
    response = post(kenji, article, INSULT)

    text = visible_text(response)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Before you post: please read your comment again" in text
    assert "Your comment may read as offensive to other readers." in text
    assert INSULT in html
    assert (
        '<button type="submit" name="confirmed" value="1" class="button">'
        "Post it as it is</button>" in html
    )
    assert not Comment.objects.exists()


def test_an_insulting_comment_posted_anyway_is_held_with_its_score(
    article, kenji, hana
):
    response = post(kenji, article, INSULT, confirmed="1")

    comment = last_comment()
    review = CommentReview.objects.get(comment=comment)
    assert response.status_code == 302
    assert comment.status == Comment.Status.PENDING
    assert review.toxicity >= 0.85
    assert review.waiting_since is not None
    assert [flag["rule"] for flag in review.flags] == ["offensive language"]
    assert INSULT not in article_html(hana, article)


def test_a_calm_comment_is_published_with_its_low_score_recorded(article, kenji):
    post(kenji, article, "I disagree with the council on the seawall budget.")

    comment = last_comment()
    review = CommentReview.objects.get(comment=comment)
    assert comment.status == Comment.Status.PUBLISHED
    assert review.toxicity is not None
    assert review.toxicity < 0.2
    assert review.flags == []


def test_with_the_check_off_an_insulting_comment_is_not_scored(article, kenji):
    set_rules(article, toxicity_check=False)

    response = post(kenji, article, INSULT)

    comment = last_comment()
    assert response.status_code == 302
    assert comment.status == Comment.Status.PUBLISHED
    assert CommentReview.objects.get(comment=comment).toxicity is None


def test_an_insulting_edit_is_sent_back_and_saved_anyway_is_held(article, kenji, hana):
    post(kenji, article, "A measured remark.")
    comment = last_comment()

    first = edit(kenji, comment, INSULT)
    anyway = edit(kenji, comment, INSULT, confirmed="1")

    assert first.status_code == 400
    assert "Save it as it is" in visible_text(first)
    assert anyway.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    review = CommentReview.objects.get(comment=comment)
    assert review.toxicity >= 0.85
    assert review.waiting_since is not None
    assert "No comments yet" in article_text(hana, article)


# Slow mode ------------------------------------------------------------------------


def test_slow_mode_refuses_a_second_comment_until_the_wait_is_over(article, kenji):
    ArticleRules.objects.create(page=article, slow_mode_seconds=60)
    post(kenji, article, "My one comment for now.")

    response = post(kenji, article, "And another one.")

    text = visible_text(response)
    assert response.status_code == 400
    assert (
        "This discussion is in slow mode: each reader may comment once every "
        "60 seconds. Please wait" in text
    )
    wait = int(text.split("Please wait ")[1].split(" second")[0])
    assert 55 <= wait <= 60
    assert "And another one." in response.content.decode()
    assert Comment.objects.count() == 1

    Comment.objects.update(created_at=timezone.now() - datetime.timedelta(seconds=61))
    assert post(kenji, article, "And another one.").status_code == 302


def test_slow_mode_on_one_article_leaves_other_articles_and_readers_alone(
    article, kenji, hana
):
    ArticleRules.objects.create(page=article, slow_mode_seconds=60)
    post(kenji, article, "My one comment for now.")

    elsewhere = post(kenji, another_article(), "Meanwhile on another story.")
    other_reader = post(hana, article, "Hana's first comment here.")

    assert elsewhere.status_code == 302
    assert other_reader.status_code == 302
    assert Comment.objects.filter(status=Comment.Status.PUBLISHED).count() == 3


# Rate limits ----------------------------------------------------------------------


def assert_too_many(response, lead: str, window: int = 60) -> None:
    """A refusal by a rate limit: 429, the seconds to wait, and when to try again."""
    assert response.status_code == 429
    assert refusal(lead, response, window) in visible_text(response)


def test_a_burst_of_comments_is_stopped_with_a_clear_message(article, kenji, hana):
    set_rules(article, comments_per_minute=2, toxicity_check=False)

    first = post(kenji, article, "First of many.")
    second = post(kenji, article, "Second of many.")
    third = post(kenji, article, "Third of many.")
    someone_else = post(hana, article, "Hana is not in a hurry.")

    assert (first.status_code, second.status_code) == (302, 302)
    assert_too_many(third, "Too many comments in a short time.")
    # The reader's text comes back in the box.
    assert ">Third of many.</textarea>" in third.content.decode()
    assert someone_else.status_code == 302
    assert Comment.objects.count() == 3


def test_a_burst_of_comments_through_htmx_gets_the_composer_back(article, kenji):
    set_rules(article, comments_per_minute=1, toxicity_check=False)
    post(kenji, article, "Only one a minute.", htmx=True)

    refused = post(kenji, article, "And another.", htmx=True)

    assert_too_many(refused, "Too many comments in a short time.")
    html = refused.content.decode()
    assert html.startswith('<form method="post"') and "<html" not in html
    assert ">And another.</textarea>" in html
    assert Comment.objects.count() == 1


def test_a_comment_posted_through_htmx_goes_to_its_place(article, kenji):
    response = post(kenji, article, "Swapped in place.", htmx=True)

    comment = last_comment()
    assert response.status_code == 200
    assert response["HX-Redirect"].endswith(f"#comment-{comment.pk}")


def test_an_hourly_limit_on_comments_holds_across_minutes(article, kenji):
    set_rules(article, comments_per_hour=1, toxicity_check=False)

    post(kenji, article, "My comment of the hour.")
    refused = post(kenji, article, "One more.")
    edited = edit(kenji, last_comment(), "My comment of the hour, edited.")

    assert_too_many(refused, "Too many comments in a short time.", 3600)
    assert int(refused["Retry-After"]) > 60  # the hour's limit, not a minute's
    # An edit counts as a comment, and is refused the same way.
    assert_too_many(edited, "Too many comments in a short time.", 3600)
    assert Comment.objects.get().body == "My comment of the hour."


def test_a_burst_of_votes_is_stopped_and_the_last_vote_not_counted(
    article, kenji, hana
):
    post(kenji, article, "Vote on this.")
    comment = last_comment()
    set_rules(article, votes_per_minute=2)

    vote(hana, comment, "up")
    vote(hana, comment, "down")
    refused = vote(hana, comment, "up")

    assert_too_many(refused, "Too many votes in a short time.")
    assert "Your vote was not counted" in visible_text(refused)
    comment.refresh_from_db()
    assert (comment.up_count, comment.down_count) == (0, 1)


def test_a_burst_of_votes_through_htmx_gets_the_votes_back_with_the_reason(
    article, kenji, hana
):
    post(kenji, article, "Vote on this.")
    comment = last_comment()
    set_rules(article, votes_per_minute=1)
    vote(hana, comment, "up", htmx=True)

    refused = vote(hana, comment, "down", htmx=True)

    assert_too_many(refused, "Too many votes in a short time.")
    html = refused.content.decode()
    assert html.startswith(f'<div class="votes voted-up" id="votes-{comment.pk}">')
    assert "1 ( +1 / -0 )" in html
    comment.refresh_from_db()
    assert (comment.up_count, comment.down_count) == (1, 0)


def test_readers_sharing_an_address_share_its_looser_limit(article, kenji, hana):
    set_rules(article, comments_per_minute=2, ip_factor=1, toxicity_check=False)
    shared, own = "203.0.113.9", "198.51.100.7"

    post_from(kenji, article, "Kenji at the cafe.", shared)
    post_from(kenji, article, "Kenji again at the cafe.", shared)
    same_address = post_from(hana, article, "Hana at the same cafe.", shared)
    other_address = post_from(hana, article, "Hana at home.", own)

    assert_too_many(same_address, "Too many comments in a short time.")
    assert other_address.status_code == 302
    assert list(
        Comment.objects.order_by("pk").values_list("author__username", flat=True)
    ) == ["Kenji", "Kenji", "Hana"]


# Held comments and moderators' decisions ------------------------------------------


def test_a_held_comment_is_shown_only_to_its_author_awaiting_review(
    article, kenji, hana
):
    post(hana, article, "Hana was here before pre-moderation.")
    set_rules(article, premoderation="all")
    post(kenji, article, "Waiting for a moderator.")
    anonymous = Client(HTTP_HOST=LEDGER)

    mine = article_text(kenji, article)
    others = article_html(hana, article)
    visitors = article_html(anonymous, article)

    held_at = news_datetime(last_comment().created_at)
    assert f"Your comments awaiting review Kenji {held_at}" in mine
    assert "Awaiting review Waiting for a moderator." in mine
    assert "Only you can see this comment until a moderator approves it." in mine
    assert "Waiting for a moderator." not in others
    assert "Waiting for a moderator." not in visitors
    for page in (mine, visible_text(anonymous.get(article.url))):
        assert "1 Comment" in page  # the held one is not counted
        assert "2 Comments" not in page


def test_an_edit_that_trips_a_hold_takes_the_comment_out_of_the_thread(
    article, kenji, hana
):
    set_rules(article, suspect_words="crypto")
    post(kenji, article, "Nice analysis of the budget.")
    comment = last_comment()
    assert "1 Comment" in article_text(hana, article)

    response = edit(kenji, comment, "Nice analysis of the budget. Buy crypto!")

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    review = CommentReview.objects.get(comment=comment)
    assert review.waiting_since is not None  # in the queue, its wait measured
    assert "crypto" in str(review.flags)
    others = article_text(hana, article)
    assert "Nice analysis" not in others
    assert "No comments yet" in others
    assert "Awaiting review Nice analysis of the budget. Buy crypto!" in (
        article_text(kenji, article)
    )


def test_approving_a_held_comment_shows_and_counts_it(article, kenji, hana, moderator):
    set_rules(article, premoderation="all")
    post(kenji, article, "Worth the wait.")

    assert decisions.approve_comment(last_comment(), moderator=moderator)

    text = article_text(hana, article)
    assert "1 Comment" in text
    assert "Worth the wait." in text
    assert "Awaiting review" not in article_text(kenji, article)


def test_a_removed_comment_shows_the_reason_in_its_place(
    article, kenji, hana, moderator
):
    post(kenji, article, "Something the moderators disliked.")
    comment = last_comment()

    assert decisions.remove_comment(comment, moderator=moderator)

    html = article_html(hana, article)
    assert "This comment has been removed for violating our community guidelines." in (
        html
    )
    assert "Something the moderators disliked." not in html
    assert "Something the moderators disliked." not in article_html(kenji, article)
    assert last_comment().status == Comment.Status.REMOVED


def test_a_removal_reason_chosen_by_the_moderator_is_shown(
    article, kenji, hana, moderator
):
    post(kenji, article, "A personal jab at another reader.")
    attack = RemovalReason.objects.get(title="Personal attack")

    decisions.remove_comment(last_comment(), moderator=moderator, reason_id=attack.pk)

    assert "This comment has been removed: personal attacks are not allowed." in (
        article_text(hana, article)
    )


def test_a_held_comment_removed_leaves_no_placeholder(article, kenji, hana, moderator):
    set_rules(article, premoderation="all")
    post(kenji, article, "Never to be seen.")
    comment = last_comment()

    decisions.remove_comment(comment, moderator=moderator)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    for client in (hana, kenji):
        html = article_html(client, article)
        assert f'id="comment-{comment.pk}"' not in html
        assert "Never to be seen." not in html
        assert "has been removed" not in html


def test_restoring_a_removed_comment_brings_it_back(article, kenji, hana, moderator):
    post(kenji, article, "Removed by mistake.")
    comment = last_comment()
    decisions.remove_comment(comment, moderator=moderator)

    assert decisions.restore_comment(comment, moderator=moderator)

    text = article_text(hana, article)
    assert "1 Comment" in text
    assert "Removed by mistake." in text
    assert "has been removed" not in text
