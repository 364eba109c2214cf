"""Votes: once each, taken back, switched; counts always equal the vote rows."""

import datetime
import threading
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext

from newsroom.accounts.tests.factories import create_reader
from newsroom.accounts.tests.helpers import sign_in
from newsroom.news.tests.helpers import visible_text

from .. import jobs, posting, scoring, voting
from ..models import Comment, ThreadEvent, Vote
from .factories import set_rules
from .helpers import an_article, last_comment, post


@pytest.fixture
def comment(ledger, network, make_reader):
    article = an_article()
    set_rules(article)
    make_reader("Author")
    author = Client(HTTP_HOST="ledger.localhost")
    sign_in(author, "Author")
    post(author, article, "A comment worth voting on.")
    return last_comment()


@pytest.fixture
def voter(ledger, make_reader):
    make_reader("Voter")
    sign_in(ledger, "Voter")
    return ledger


def vote(client, comment, value, **extra):
    return client.post(f"/comments/{comment.pk}/vote/", {"value": value}, **extra)


def summary(client, comment):
    page = client.get(f"/comments/{comment.pk}/", follow=True)
    html = page.content.decode()
    start = html.index(f'id="votes-{comment.pk}"')
    return visible_text(SimpleNamespace(content=html[start : start + 600].encode()))


def test_votes_show_net_then_up_and_down(voter, comment, make_reader):
    vote(voter, comment, "up")
    comment.refresh_from_db()
    assert (comment.up_count, comment.down_count) == (1, 0)

    for name in ["Down One", "Down Two"]:
        make_reader(name)
        other = Client(HTTP_HOST="ledger.localhost")
        sign_in(other, name)
        vote(other, comment, "down")

    assert "-1 ( +1 / -2 )" in summary(voter, comment)


def test_the_same_vote_twice_is_one_vote_and_none_takes_it_back(voter, comment):
    first = vote(voter, comment, "up")
    again = vote(voter, comment, "up")  # a double-submitted click
    comment.refresh_from_db()
    assert (first.status_code, again.status_code) == (302, 302)
    assert (comment.up_count, comment.down_count) == (1, 0)
    assert list(Vote.objects.values_list("value", flat=True)) == [1]

    vote(voter, comment, "down")  # the other way switches it
    comment.refresh_from_db()
    assert (comment.up_count, comment.down_count) == (0, 1)
    assert Vote.objects.get().value == -1

    vote(voter, comment, "none")
    vote(voter, comment, "none")
    comment.refresh_from_db()
    assert (comment.up_count, comment.down_count) == (0, 0)
    assert not Vote.objects.exists()


def test_up_then_none_removes_the_vote_and_announces_each_change(voter, comment):
    vote(voter, comment, "up")
    vote(voter, comment, "up")
    vote(voter, comment, "none")

    comment.refresh_from_db()
    assert (comment.up_count, comment.down_count) == (0, 0)
    assert not Vote.objects.exists()
    # Live readers hear of the two changes, not of the vote asked for again.
    events = ThreadEvent.objects.filter(kind=ThreadEvent.Kind.VOTE).order_by("pk")
    assert [(e.data["up"], e.data["down"]) for e in events] == [(1, 0), (0, 0)]


def test_the_reader_sees_which_way_they_voted(voter, comment):
    vote(voter, comment, "up")

    html = voter.get(f"/comments/{comment.pk}/", follow=True).content.decode()

    assert f'<div class="votes voted-up" id="votes-{comment.pk}">' in html
    # The pressed arrow says so, and asks for no vote; the other asks for its own.
    assert 'value="none" class="vote vote-up" aria-pressed="true"' in html
    assert 'value="down" class="vote vote-down" aria-pressed="false"' in html


def test_htmx_votes_answer_with_the_widget_and_plain_posts_go_back(voter, comment):
    htmx = vote(voter, comment, "up", HTTP_HX_REQUEST="true")
    # Without JavaScript: the form's pressed ▲ posts "none", then a redirect.
    plain = vote(voter, comment, "none")

    assert htmx.status_code == 200
    assert htmx.content.decode().lstrip().startswith('<div class="votes voted-up"')
    assert "1 ( +1 / -0 )" in htmx.content.decode()
    assert 'value="none" class="vote vote-up" aria-pressed="true"' in (
        htmx.content.decode()
    )
    comment.refresh_from_db()
    assert (comment.up_count, comment.down_count) == (0, 0)
    assert plain.status_code == 302
    assert plain["Location"].endswith(f"#comment-{comment.pk}")
    back = voter.get(plain["Location"])
    assert (
        'value="up" class="vote vote-up" aria-pressed="false"' in back.content.decode()
    )


def test_no_voting_on_your_own_or_a_deleted_comment(ledger, comment, make_reader):
    author = Client(HTTP_HOST="ledger.localhost")
    sign_in(author, "Author")

    own = vote(author, comment, "up")
    assert own.status_code == 400
    assert "You can't vote on your own comment." in visible_text(own)

    author.post(f"/comments/{comment.pk}/delete/")
    make_reader("Late Voter")
    sign_in(ledger, "Late Voter")
    late = vote(ledger, comment, "up")
    assert "This comment can't be voted on." in visible_text(late)
    assert not Vote.objects.exists()


def test_unverified_and_anonymous_readers_cannot_vote(ledger, comment, make_reader):
    assert vote(Client(HTTP_HOST="ledger.localhost"), comment, "up").status_code == 302
    make_reader("Unverified", verified=False)
    sign_in(ledger, "Unverified")

    response = vote(ledger, comment, "up")

    assert "confirm your email address first" in visible_text(response)
    assert not Vote.objects.exists()


@pytest.mark.parametrize("value", ["", "sideways", "1; DROP TABLE", "up" * 1000])
def test_nonsense_votes_change_nothing(voter, comment, value):
    response = vote(voter, comment, value)

    assert response.status_code == 400
    assert "Vote up or down." in visible_text(response)
    assert not Vote.objects.exists()


def test_best_and_controversial_scores_follow_the_counts(voter, comment):
    vote(voter, comment, "up")
    comment.refresh_from_db()

    assert comment.best_score == pytest.approx(scoring.best_score(1, 0))
    assert scoring.best_score(40, 2) > scoring.best_score(3, 0)
    assert scoring.controversy(50, 50) > scoring.controversy(90, 10)
    assert scoring.controversy(5, 0) == 0


def assert_counts_match_rows():
    """Every comment's stored counts equal its counted (not discounted) votes."""
    counted = Q(votes__is_discounted=False)
    mismatched = Comment.objects.annotate(
        ups=Count("votes", filter=counted & Q(votes__value=1)),
        downs=Count("votes", filter=counted & Q(votes__value=-1)),
    ).filter(~Q(up_count=F("ups")) | ~Q(down_count=F("downs")))
    assert list(mismatched) == []


def all_at_once(actions) -> list[str]:
    """Run each action in its own thread and connection, started together.

    Returns the errors, so a test can show every one of them.
    """
    barrier = threading.Barrier(len(actions))
    errors = []

    def run(action):
        try:
            barrier.wait(timeout=30)
            action()
        except Exception as error:  # noqa: BLE001 - returned to the test
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_hundreds_of_concurrent_votes_leave_counts_equal_to_the_rows(network):
    """Many readers vote (and change their minds) on one comment at the same time."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: the SQLite test database is in memory, where SQLite "
            "locks whole tables; .ci/run runs this on PostgreSQL"
        )
    article = an_article()
    set_rules(article)
    author = create_reader("Author")
    voters = [create_reader(f"Voter {n}") for n in range(60)]
    comment = posting.post_comment(page=article, author=author, body="Vote on me")

    def clicks(index):  # up, down (a switch), down again, none, then the last one
        return (1, -1, -1, 0, (1, -1, 0)[index % 3])

    def reader_votes(user, index):
        def action():
            for value in clicks(index):
                voting.cast_vote(Comment.objects.get(pk=comment.pk), user, value)

        return action

    errors = all_at_once([reader_votes(user, n) for n, user in enumerate(voters)])

    assert errors == []
    comment.refresh_from_db()
    rows = Vote.objects.filter(comment=comment)
    assert comment.up_count == rows.filter(value=1).count()
    assert comment.down_count == rows.filter(value=-1).count()
    # Each reader's vote is the last one they asked for.
    finals = [clicks(n)[-1] for n in range(len(voters))]
    assert comment.up_count == finals.count(1) == 20
    assert comment.down_count == finals.count(-1) == 20
    assert comment.best_score == pytest.approx(
        scoring.best_score(comment.up_count, comment.down_count)
    )
    assert_counts_match_rows()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_readers_racing_clicks_are_applied_one_by_one(network):
    """Two tabs of one reader click at once: no error, and the rows still agree."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (see the test above)")
    article = an_article()
    set_rules(article)  # 120 clicks in a second: the locking is under test here
    author = create_reader("Author")
    reader = create_reader("Two Tabs")
    comment = posting.post_comment(page=article, author=author, body="Click me")

    def tab():
        for _ in range(15):
            voting.cast_vote(Comment.objects.get(pk=comment.pk), reader, 1)

    errors = all_at_once([tab] * 8)

    assert errors == []
    comment.refresh_from_db()
    # 120 clicks on "up": one vote up.
    assert (comment.up_count, comment.down_count) == (1, 0)
    assert Vote.objects.filter(comment=comment).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_threads_live_events_commit_in_the_order_of_their_ids(network):
    """A live stream resumes after the last event id it sent, so a vote whose event
    took a higher id must not become visible before one with a lower id commits."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite commits one writer at a time")
    article = an_article()
    set_rules(article)
    author = create_reader("Author")
    first, second = create_reader("Slow Voter"), create_reader("Quick Voter")
    slow, quick = (
        posting.post_comment(page=article, author=author, body=f"Comment {n}")
        for n in (1, 2)
    )
    recorded, release = threading.Event(), threading.Event()

    def slow_vote():  # takes the lower event id, then is slow to commit
        try:
            with transaction.atomic():
                voting.cast_vote(slow, first, 1)
                recorded.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def quick_vote():
        try:
            voting.cast_vote(quick, second, 1)
        finally:
            connection.close()

    slow_thread = threading.Thread(target=slow_vote)
    slow_thread.start()
    assert recorded.wait(timeout=30)
    quick_thread = threading.Thread(target=quick_vote)
    quick_thread.start()
    quick_thread.join(timeout=1.0)  # time enough to commit, were it not held
    votes = ThreadEvent.objects.filter(kind=ThreadEvent.Kind.VOTE)
    visible_early = list(votes.values_list("data__id", flat=True))
    release.set()
    slow_thread.join(timeout=30)
    quick_thread.join(timeout=30)

    assert visible_early == []
    assert list(votes.order_by("pk").values_list("data__id", flat=True)) == [
        slow.pk,
        quick.pk,
    ]


def test_an_anonymous_voter_signs_in_and_returns_to_the_comment(ledger, comment):
    response = vote(ledger, comment, "up")
    assert (
        response["Location"] == f"/accounts/login/?next=%2Fcomments%2F{comment.pk}%2F"
    )

    create_reader("Newcomer")
    signed_in = sign_in(ledger, "Newcomer", next=f"/comments/{comment.pk}/")
    back = ledger.get(signed_in["Location"])

    assert back.status_code == 302
    assert back["Location"].endswith(f"#comment-{comment.pk}")
    assert not Vote.objects.exists()  # signing in is not a vote


def statements_of(action) -> tuple[list, list, list]:
    """The SQL statements' first words, split at the vote's own transaction:
    (before it, inside it, after it commits: the `vote_cast` receivers)."""
    with CaptureQueriesContext(connection) as context:
        with TestCase.captureOnCommitCallbacks(execute=True):
            action()
    statements = [q["sql"].split()[0].upper() for q in context.captured_queries]
    begin = next(i for i, s in enumerate(statements) if s in {"SAVEPOINT", "BEGIN"})
    end = next(
        i for i, s in enumerate(statements) if i > begin and s in {"RELEASE", "COMMIT"}
    )
    return statements[:begin], statements[begin + 1 : end], statements[end + 1 :]


def test_a_vote_is_one_short_transaction(comment, make_reader):
    reader = make_reader("Counted")
    # As the vote view loads it (the request's site stands in for the thread's).
    fresh = Comment.objects.select_related("thread__site").get(pk=comment.pk)

    checks, inside, after = statements_of(
        lambda: voting.cast_vote(fresh, reader, 1, ip="203.0.113.9", user_agent="UA")
    )

    # The verified-address check and moderation's (the reader's sanctions and the
    # site's rules, read once and then kept in the cache)...
    assert checks.count("SELECT") <= 3, checks
    # ...then one savepoint/transaction: lock the comment and read its counts, read
    # the reader's vote, write it, store the counts and sort keys, log the event
    # (on PostgreSQL after taking the thread's event lock: events._in_id_order)...
    data = [s for s in inside if s in {"SELECT", "INSERT", "UPDATE", "DELETE"}]
    event_lock = ["SELECT"] if connection.vendor == "postgresql" else []
    assert data == ["SELECT", "SELECT", "INSERT", "UPDATE", *event_lock, "INSERT"], (
        inside
    )
    # ...and once committed, moderation's look for coordinated voting: one
    # aggregate over the comment's last minutes of votes, and no write.
    assert after == ["SELECT"], after


def test_a_vote_asked_for_again_writes_nothing(comment, make_reader):
    reader = make_reader("Counted")
    fresh = Comment.objects.select_related("thread__site").get(pk=comment.pk)
    voting.cast_vote(fresh, reader, 1)

    checks, inside, after = statements_of(lambda: voting.cast_vote(fresh, reader, 1))

    # Lock the comment, read the reader's vote: it is already the one asked for.
    assert [s for s in inside if s != "SAVEPOINT"] == ["SELECT", "SELECT"], inside
    assert after == []


def test_a_vote_keeps_keyed_hashes_of_its_network_and_browser(voter, comment):
    vote(voter, comment, "up", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Browser A")

    kept = Vote.objects.get()
    # Equal for the same /24 and browser, different otherwise; never the address.
    assert kept.network == voting.network_hash("203.0.113.200")
    assert kept.network != voting.network_hash("203.0.114.7")
    assert kept.device == voting.signal_hash("device", "Browser A")
    assert kept.device != voting.signal_hash("device", "Browser B")
    assert len(kept.network) == len(kept.device) == 16
    assert "203.0.113" not in kept.network
    assert voting.network_of("2001:db8:1:2::5") == "2001:db8:1::/48"
    assert voting.network_of("::ffff:203.0.113.7") == "203.0.113.0/24"
    assert voting.network_of("not an address") == voting.network_hash("") == ""


def test_the_scheduler_forgets_old_votes_network_and_browser(voter, comment, settings):
    settings.NEWSROOM_VOTE_SIGNALS_DAYS = 7
    vote(voter, comment, "up", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Browser A")
    kept = Vote.objects.get()
    assert kept.network and kept.device

    assert jobs.forget_vote_signals(kept.created_at + datetime.timedelta(days=6)) == 0
    said = jobs.run(now=kept.created_at + datetime.timedelta(days=8))

    assert "1 old votes' network and browser hashes forgotten" in said
    kept.refresh_from_db()
    assert (kept.network, kept.device, kept.value) == ("", "", 1)
    comment.refresh_from_db()
    assert comment.up_count == 1
