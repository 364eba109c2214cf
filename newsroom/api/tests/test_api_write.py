"""Taking part through the API: commenting, voting, reporting and notifications,
by session (with the site's CSRF token) or by personal token, under the same rules
as the site's own pages."""

import json

import pytest

from newsroom.alerts.models import Notification
from newsroom.comments import transitions
from newsroom.comments.models import Comment, CommentSettings, Vote
from newsroom.comments.tests.factories import comment as written
from newsroom.comments.tests.factories import set_rules
from newsroom.comments.tests.test_hostile import HOSTILE, assert_inert, audit
from newsroom.moderation.models import Report
from newsroom.moderation.tests.factories import a_moderator, sanction
from newsroom.moderation.tests.helpers import browser_for, signed_in
from newsroom.news.tests.helpers import visible_text
from newsroom.ratelimit.tests.helpers import refusal

from .. import services
from .helpers import API, assert_problem, bearer, comment_on, post_json, token_for

RLO = "Read the file \u202etxt.exe please"

INSULT = "You are a stupid idiot and a moron"
CSRF_DETAIL = "The request lacks the site's CSRF token (X-CSRFToken header)"


def thread_of(client, article) -> list[dict]:
    response = client.get(f"{API}/articles/{article.pk}/comments")
    return response.json()["results"]


# Who may post -----------------------------------------------------------------------


def test_a_session_change_needs_the_sites_csrf_token(article, hana):
    kenji, browser = signed_in("Kenji", enforce_csrf_checks=True)
    comment = written(article, hana, "Hana's view of the reef standoff.")
    token = browser.cookies["csrftoken"].value

    refused = [
        comment_on(article, browser, "Without the token."),
        post_json(browser, f"{API}/comments/{comment.pk}/vote", {"value": "up"}),
        post_json(browser, f"{API}/comments/{comment.pk}/report", {"reason": "spam"}),
        browser.post(f"{API}/notifications/read"),
    ]
    posted = comment_on(article, browser, "With the token.", HTTP_X_CSRFTOKEN=token)
    read = browser.get(f"{API}/me")  # reading needs no token

    for response in refused:
        assert_problem(response, 403, CSRF_DETAIL)
    assert posted.status_code == 201
    assert posted.json()["author"]["name"] == "Kenji"
    assert list(
        Comment.objects.filter(author=kenji).values_list("body", flat=True)
    ) == ["With the token."]
    assert not Vote.objects.exists() and not Report.objects.exists()
    assert read.json()["signed_in"] is True


def test_an_app_posts_with_a_token_and_the_comment_is_on_the_article(
    app, article, kenji, ledger
):
    response = comment_on(
        article, app, "The ambassador should return.", **bearer(token_for(kenji))
    )

    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    comment = Comment.objects.get()
    assert body == {
        "id": comment.pk,
        "article": article.pk,
        "url": f"http://ledger.localhost/comments/{comment.pk}/",
        "status": "published",
        "author": {
            "id": kenji.pk,
            "name": "Kenji",
            "url": f"http://ledger.localhost{API}/readers/{kenji.pk}",
        },
        "created_at": body["created_at"],
        "edited_at": None,
        "segments": [
            {
                "text_html": "<p>The ambassador should return.</p>",
                "quote": None,
                "excerpt_html": None,
            }
        ],
        "votes": {"net": 0, "up": 0, "down": 0, "label": "0 ( +0 / -0 )"},
        "reply_count": 0,
        "picked": False,
        "placeholder": None,
        "removals": [],
    }
    assert "Kenji" in visible_text(ledger.get(article.url))
    assert "The ambassador should return. 0 ( +0 / -0 )" in visible_text(
        ledger.get(article.url)
    )


def test_without_a_valid_token_or_session_an_app_is_asked_to_sign_in(
    app, article, kenji
):
    token = token_for(kenji)
    revoked = token_for(kenji, "Old phone")
    services.revoke_token(kenji, kenji.api_tokens.get(name="Old phone").pk)
    browser = browser_for("Kenji", enforce_csrf_checks=True)

    attempts = [
        comment_on(article, app, "No credentials."),
        comment_on(article, app, "Made up.", **bearer("wagtail_not-a-real-token")),
        comment_on(article, app, "Revoked.", **bearer(revoked)),
        comment_on(article, app, "Not bearer.", HTTP_AUTHORIZATION=f"Token {token}"),
        # A refused token does not fall back to the session beside it.
        comment_on(article, browser, "Revoked, signed in.", **bearer(revoked)),
    ]

    for response in attempts:
        assert_problem(response, 401, "Authorization: Bearer <token>")
        assert response["WWW-Authenticate"] == 'Bearer realm="newsroom"'
    assert not Comment.objects.exists()
    assert comment_on(article, app, "Valid.", **bearer(token)).status_code == 201


def test_an_unverified_reader_is_told_to_confirm_their_address(
    app, article, make_reader
):
    tanuki = make_reader("Tanuki", verified=False)

    response = comment_on(article, app, "Let me in.", **bearer(token_for(tanuki)))

    assert_problem(
        response, 403, "Please confirm your email address first; see your settings."
    )
    assert not Comment.objects.exists()


def test_suspended_and_banned_readers_may_not_post_vote_or_report(
    app, article, kenji, hana, make_reader
):
    moderator = a_moderator()
    comment = written(article, hana, "Something to vote on.")
    banned = make_reader("Banned")
    sanction(kenji, moderator, kind="suspend", reason="Personal attacks.", days=7)
    sanction(banned, moderator, kind="ban", reason="Spam.", site=article.get_site())
    suspended_token, banned_token = token_for(kenji), token_for(banned)

    for token, message in (
        (
            suspended_token,
            "You are suspended from commenting, voting and reporting on our sites "
            "until",
        ),
        (banned_token, "You are banned from commenting on this site. Reason: Spam."),
    ):
        auth = bearer(token)
        assert_problem(comment_on(article, app, "Hello again.", **auth), 403, message)
        vote = post_json(
            app, f"{API}/comments/{comment.pk}/vote", {"value": "up"}, **auth
        )
        assert_problem(vote, 403, message)
        report = post_json(
            app, f"{API}/comments/{comment.pk}/report", {"reason": "spam"}, **auth
        )
        assert_problem(report, 403, message)
    assert_problem(
        comment_on(article, app, "Hello.", **bearer(suspended_token)),
        403,
        "Reason: Personal attacks.",
    )
    assert Comment.objects.count() == 1
    assert not Vote.objects.exists() and not Report.objects.exists()


def test_posting_again_too_soon_is_refused_with_the_wait(app, article, kenji):
    CommentSettings.objects.filter(site=article.get_site()).update(
        min_interval_seconds=15
    )
    auth = bearer(token_for(kenji))

    first = comment_on(article, app, "My first thought.", **auth)
    second = comment_on(article, app, "My second thought.", **auth)

    assert first.status_code == 201
    assert_problem(second, 400, "You are commenting too fast. Please wait")
    assert Comment.objects.count() == 1


def test_posting_voting_and_reporting_past_the_sites_limits_is_429(
    app, article, kenji, hana
):
    set_rules(article, comments_per_minute=1, votes_per_minute=1, reports_per_minute=1)
    kenjis, hanas = bearer(token_for(kenji)), bearer(token_for(hana))
    comment_on(article, app, "One a minute.", **kenjis)
    first = Comment.objects.get()
    comment_on(article, app, "Hana's comment.", **hanas)
    second = Comment.objects.exclude(pk=first.pk).get()

    posted = comment_on(article, app, "And another.", **kenjis)
    votes = [
        post_json(app, f"{API}/comments/{c.pk}/vote", {"value": "up"}, **hanas)
        for c in (first, first)
    ]
    reports = [
        post_json(app, f"{API}/comments/{c.pk}/report", {"reason": "spam"}, **kenjis)
        for c in (second, second)
    ]

    refusals = {
        "Too many comments in a short time.": posted,
        "Too many votes in a short time.": votes[1],
        "Too many reports in a short time.": reports[1],
    }
    for lead, refused in refusals.items():
        assert_problem(refused, 429, refusal(lead, refused, 60))
    assert (votes[0].status_code, reports[0].status_code) == (200, 201)
    assert Comment.objects.count() == 2
    assert Vote.objects.count() == 1 and Report.objects.count() == 1


def test_a_comment_screening_questions_is_reconsidered_or_held(
    app, client, article, kenji
):
    auth = bearer(token_for(kenji))

    reconsider = comment_on(article, app, INSULT, **auth)
    nothing_kept = Comment.objects.count()
    anyway = post_json(
        app,
        f"{API}/articles/{article.pk}/comments",
        {"body": INSULT, "confirmed": True},
        **auth,
    )
    set_rules(article, premoderation="all")
    calm = comment_on(article, app, "A calm remark, held like every other.", **auth)

    problem = assert_problem(
        reconsider, 409, "Your comment may read as offensive to other readers."
    )
    assert problem["title"] == "Please reconsider"
    assert '"confirmed": true' in problem["hint"]
    assert nothing_kept == 0
    for held in (anyway, calm):
        assert held.status_code == 201
        assert held.json()["status"] == "pending"
    assert Comment.objects.filter(status="pending").count() == 2
    assert thread_of(client, article) == []  # readers do not see them yet


def test_the_api_says_what_it_removed_and_refuses_direction_controls(
    app, article, kenji
):
    auth = bearer(token_for(kenji))

    posted = comment_on(
        article, app, "Tab\tkept, bell\x07 not, ZWSP\u200b not.", **auth
    )
    plain = comment_on(article, app, "Nothing to remove.", **auth)
    refused = comment_on(article, app, RLO, **auth)

    assert posted.status_code == 201
    assert posted.json()["removals"] == [
        "We removed 1 invisible character (zero width space U+200B) from your comment.",
        "We removed 1 control character (bell U+0007) from your comment.",
    ]
    assert Comment.objects.get(pk=posted.json()["id"]).body == (
        "Tab\tkept, bell not, ZWSP not."
    )
    assert plain.json()["removals"] == []
    assert_problem(refused, 400, "changes the direction text is shown in")
    assert Comment.objects.count() == 2


# Hostile input ----------------------------------------------------------------------


def test_hostile_comments_are_stored_inert_or_refused_clearly(app, article, kenji):
    auth = bearer(token_for(kenji))
    refused = {}
    stored = []
    for body in HOSTILE:
        response = comment_on(article, app, body + " end", **auth)
        if response.status_code == 201:
            stored.append(response.json())
        else:
            refused[body] = assert_problem(response, 400)["detail"]

    # Only direction controls and the forged quotes are refused: text that reads
    # differently from what it says, a quote of a comment not in this thread, one
    # putting words in the first comment's mouth (or of no comment at all, where
    # the database does not number this test's comments from 1).
    directions = {"\u202egnp.exe", "bidi \u2066isolate\u2069 and \u202aembedding\u202c"}
    assert set(refused) == directions | {
        "[quote=999999]<script>alert(1)</script>[/quote] answer",
        "[quote=1]words nobody wrote[/quote] answer",
    }
    for body, detail in refused.items():
        if body in directions:
            assert "changes the direction text is shown in" in detail or (
                "change the direction text is shown in" in detail
            )
            continue
        assert detail in (
            "A comment you quoted is no longer in this discussion. "
            "Remove that quote and try again.",
            "The quoted passage does not match what Kenji wrote. "
            "Use Quote on their comment again.",
        )
    assert len(stored) == len(HOSTILE) - 4
    for comment in stored:
        assert comment["status"] in ("published", "pending")
        for segment in comment["segments"]:
            html = segment["text_html"] or segment["quote"]["html"]
            assert_inert(audit(f'<div class="comment-text">{html}</div>'))
    everything = json.dumps(stored)
    assert "<script" not in everything and "<img" not in everything
    assert "&lt;img src=x onerror=alert(1)&gt;" in everything
    assert "{{ 7*7 }} {% debug %} {{ request.user.password }} end" in everything
    assert "\\u202e" not in everything and "\\u200b" not in everything
    assert Comment.objects.count() == len(stored)  # the table is still there
    kenji.refresh_from_db()
    assert not kenji.is_staff and not kenji.is_superuser


@pytest.mark.parametrize(
    ("data", "status", "detail"),
    [
        ({"body": ""}, 400, "Write something before posting."),
        ({"body": "  \n\n \t "}, 400, "Write something before posting."),
        ({"body": "\x00\x07\u200b\u202e"}, 400, "Write something before posting."),
        ({"body": "x" * 5001}, 400, "at most 5000 characters; this one has 5001"),
        ({"body": "x" * 50_001}, 422, "not valid"),
        ({}, 422, "not valid"),
        ({"body": None}, 422, "not valid"),
        ({"body": ["a", "list"]}, 422, "not valid"),
        ({"body": {"nested": "object"}}, 422, "not valid"),
        (["body"], 422, "not valid"),
    ],
)
def test_empty_huge_and_malformed_bodies_are_refused_and_nothing_is_kept(
    app, article, kenji, data, status, detail
):
    path = f"{API}/articles/{article.pk}/comments"

    response = post_json(app, path, data, **bearer(token_for(kenji)))

    assert_problem(response, status, detail)
    assert not Comment.objects.exists()


def test_a_body_that_is_not_json_is_refused(app, article, kenji):
    path = f"{API}/articles/{article.pk}/comments"
    auth = bearer(token_for(kenji))

    broken = app.post(
        path, '{"body": "unfinished', content_type="application/json", **auth
    )
    form = app.post(path, {"body": "As a form."}, **auth)

    assert broken.status_code in (400, 422)
    assert_problem(broken, broken.status_code)
    assert form.status_code in (400, 422)
    assert_problem(form, form.status_code)
    assert not Comment.objects.exists()


# Votes and reports ------------------------------------------------------------------


def test_a_vote_states_the_vote_wanted_but_never_on_ones_own_comment(
    app, article, kenji, hana
):
    comment = written(article, hana, "Vote on this.")
    kenjis, hanas = bearer(token_for(kenji)), bearer(token_for(hana))
    path = f"{API}/comments/{comment.pk}/vote"

    def vote(value, auth=kenjis):
        response = post_json(app, path, {"value": value}, **auth)
        assert response.status_code == 200, response.content
        body = response.json()
        return body["votes"]["label"], body["mine"]

    assert vote("up") == ("1 ( +1 / -0 )", "up")
    assert vote("up") == ("1 ( +1 / -0 )", "up")  # a retried request: the same
    assert Vote.objects.count() == 1
    assert vote("none") == ("0 ( +0 / -0 )", "none")  # none takes it back
    assert vote("none") == ("0 ( +0 / -0 )", "none")
    assert not Vote.objects.exists()
    assert vote("down") == ("-1 ( +0 / -1 )", "down")
    assert vote("up") == ("1 ( +1 / -0 )", "up")  # the other way switches it
    assert_problem(
        post_json(app, path, {"value": "up"}, **hanas),
        403,
        "You can't vote on your own comment.",
    )
    assert_problem(post_json(app, path, {"value": "sideways"}, **kenjis), 422)
    assert_problem(post_json(app, path, {"value": "up"}), 401)
    missing = f"{API}/comments/999999/vote"
    assert_problem(post_json(app, missing, {"value": "up"}, **kenjis), 404)
    assert list(Vote.objects.values_list("user__username", "value")) == [("Kenji", 1)]
    comment.refresh_from_db()
    assert (comment.up_count, comment.down_count) == (1, 0)

    transitions.remove_comment(comment, reason="Off topic.")
    assert_problem(
        post_json(app, path, {"value": "down"}, **kenjis),
        403,
        "This comment can't be voted on.",
    )


def test_a_report_needs_a_reason_and_for_other_a_note_and_counts_once(
    app, article, kenji, hana, make_reader
):
    comment = written(article, hana, "Report this.")
    path = f"{API}/comments/{comment.pk}/report"
    kenjis = bearer(token_for(kenji))
    ichiro = bearer(token_for(make_reader("Ichiro")))

    def report(data, auth=kenjis):
        return post_json(app, path, data, **auth)

    assert_problem(report({"reason": "other"}), 400, "Please say what is wrong")
    assert_problem(report({"reason": "other", "note": "   "}), 400, "Please say")
    assert_problem(
        report({"reason": "spam", "note": "x" * 1001}),
        400,
        "Please keep the note under 1000 characters; yours has 1001.",
    )
    assert_problem(report({"reason": "spam", "note": "x" * 5001}), 422)
    assert_problem(
        report({"reason": "spam", "note": "nul \x00 here"}),
        400,
        "The note contains characters we can't store.",
    )
    assert_problem(report({"reason": "rude"}), 422)
    assert_problem(report({}), 422)
    assert not Report.objects.exists()

    first = report({"reason": "spam"})
    again = report({"reason": "abuse"})
    other = report({"reason": "other", "note": "Copied from elsewhere."}, ichiro)
    own = report({"reason": "spam"}, bearer(token_for(hana)))

    assert (first.status_code, first.json()) == (201, {"received": True})
    assert_problem(again, 400, "You have already reported this comment.")
    assert other.status_code == 201
    assert_problem(own, 403, "You can't report your own comment.")
    assert sorted(
        Report.objects.values_list("reporter__username", "reason", "note")
    ) == [
        ("Ichiro", "other", "Copied from elsewhere."),
        ("Kenji", "spam", ""),
    ]


# Notifications and who is signed in ----------------------------------------------


def test_notifications_list_and_mark_read(
    app, article, kenji, hana, django_capture_on_commit_callbacks
):
    source = written(article, hana, "The seawall budget doubled.")
    hanas = bearer(token_for(hana))
    with django_capture_on_commit_callbacks(execute=True):
        quoted = comment_on(
            article,
            app,
            f"[quote={source.pk}]budget doubled[/quote]\nAnd nobody asked why.",
            **bearer(token_for(kenji)),
        )

    before = app.get(f"{API}/notifications", **hanas).json()
    me = app.get(f"{API}/me", **hanas).json()
    marked = app.post(f"{API}/notifications/read", **hanas)
    after = app.get(f"{API}/notifications", **hanas).json()

    notice = Notification.objects.get(recipient=hana)
    assert before == {
        "unread": 1,
        "page": 1,
        "pages": 1,
        "results": [
            {
                "id": notice.pk,
                "kind": "quoted",
                "message": "Your comment was quoted",
                "actor": "Kenji",
                "comment_url": f"http://ledger.localhost/comments/"
                f"{quoted.json()['id']}/",
                "created_at": before["results"][0]["created_at"],
                "read": False,
            }
        ],
    }
    assert me["unread_notifications"] == 1
    assert (marked.status_code, marked.json()) == (200, {"unread": 0})
    assert after["unread"] == 0
    assert after["results"][0]["read"] is True
    assert app.get(f"{API}/me", **hanas).json()["unread_notifications"] == 0
    assert app.get(f"{API}/notifications", **bearer(token_for(kenji))).json() == {
        "unread": 0,
        "page": 1,
        "pages": 1,
        "results": [],
    }
    assert_problem(app.get(f"{API}/notifications?page=2", **hanas), 404)
    assert_problem(app.get(f"{API}/notifications"), 401)
    assert_problem(app.post(f"{API}/notifications/read"), 401)


def test_me_says_who_is_signed_in_by_session_or_token(app, network, kenji):
    browser = browser_for("Kenji")
    token = token_for(kenji)

    anonymous = app.get(f"{API}/me").json()
    by_session = browser.get(f"{API}/me").json()
    by_token = app.get(f"{API}/me", **bearer(token)).json()
    services.revoke_token(kenji, kenji.api_tokens.get().pk)
    revoked = app.get(f"{API}/me", **bearer(token)).json()

    nobody = {"signed_in": False, "id": None, "name": None, "unread_notifications": 0}
    kenji_now = {
        "signed_in": True,
        "id": kenji.pk,
        "name": "Kenji",
        "unread_notifications": 0,
    }
    assert anonymous == nobody
    assert by_session == kenji_now
    assert by_token == kenji_now
    assert revoked == nobody


# Problem documents ------------------------------------------------------------------


def test_every_refusal_is_a_problem_document(
    app, article, kenji, make_reader, api_rates
):
    auth = bearer(token_for(kenji))
    unverified = bearer(token_for(make_reader("Tanuki", verified=False)))

    examples = {
        400: comment_on(article, app, "", **auth),
        401: app.get(f"{API}/notifications"),
        403: comment_on(article, app, "Hello.", **unverified),
        404: app.get(f"{API}/articles/999999"),
        409: comment_on(article, app, INSULT, **auth),
        422: app.get(f"{API}/comment-counts"),
    }
    api_rates("1/min", "1000/min")
    app.get(f"{API}/sites")
    examples[429] = app.get(f"{API}/sites")

    for status, response in examples.items():
        body = assert_problem(response, status)
        assert (
            body["title"]
            == {
                400: "Bad request",
                401: "Sign-in required",
                403: "Not allowed",
                404: "Not found",
                409: "Please reconsider",
                422: "Invalid request",
                429: "Too many requests",
            }[status]
        )
    assert examples[404].json()["instance"] == f"{API}/articles/999999"
    assert not kenji.comments.exists()
