"""The status transition table, walked: each named action moves a comment only along
its rows of `transitions.TRANSITIONS`, refuses every other status and leaves the
comment as it was, and keeps the thread's counts equal to its rows."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .. import posting, signals, transitions
from ..models import Comment, Thread
from .factories import comment as post

Status = Comment.Status


@pytest.fixture
def author(make_reader):
    return make_reader("Author")


@pytest.fixture
def holding():
    """While on, screening holds every comment and edit for review (as moderation's
    pre-moderation would, without naming moderation)."""

    class Switch:
        on = False

    def hold(sender, submission, **kwargs):
        if Switch.on:
            return [signals.Verdict(signals.HOLD, "test", "held for the test")]
        return []

    signals.screen_comment.connect(hold, weak=False)
    yield Switch
    signals.screen_comment.disconnect(hold)


def _held(article, author, holding, body):
    holding.on = True
    made = post(article, author, body)
    holding.on = False
    return made


# Every status an action may meet, each reached from a new comment through the
# actions themselves. "pending" comes two ways: held when posted (readers never saw
# it) and held later (reports, a held edit).
STARTS = {
    "published": lambda article, author, holding, body: post(article, author, body),
    "pending, never seen": _held,
    "pending, seen before": lambda article, author, holding, body: _after(
        post(article, author, body), transitions.hold_comment
    ),
    "removed": lambda article, author, holding, body: _after(
        post(article, author, body),
        lambda c: transitions.remove_comment(c, reason="Off topic."),
    ),
    "rejected": lambda article, author, holding, body: _after(
        _held(article, author, holding, body),
        lambda c: transitions.remove_comment(c, reason="Spam."),
    ),
    "deleted": lambda article, author, holding, body: _after(
        post(article, author, body), transitions.retract_comment
    ),
}


def _after(comment, action):
    assert action(comment)
    return Comment.objects.get(pk=comment.pk)


def _edit(comment, author, holding, *, held):
    holding.on = held
    try:
        return posting.edit_comment(comment, author, f"Edited {comment.pk}.")
    finally:
        holding.on = False


# The table's actions, as a caller runs them; edit_comment twice: screening may
# hold the edit.
ACTIONS = {
    "approve_comment": lambda c, author, holding: transitions.approve_comment(c),
    "hold_comment": lambda c, author, holding: transitions.hold_comment(c),
    "remove_comment": lambda c, author, holding: transitions.remove_comment(
        c, reason="Off topic."
    ),
    "restore_comment": lambda c, author, holding: transitions.restore_comment(c),
    "retract_comment": lambda c, author, holding: transitions.retract_comment(c),
    "pick_comment": lambda c, author, holding: transitions.pick_comment(c),
    "edit_comment": lambda c, author, holding: _edit(c, author, holding, held=False),
    "edit_comment, held": lambda c, author, holding: _edit(
        c, author, holding, held=True
    ),
}


def stored_status(comment) -> str:
    """The comment's status as stored; a row gone stands for DELETED (its author
    deleted it before anyone saw it, which leaves no trace)."""
    status = Comment.objects.filter(pk=comment.pk).values_list("status", flat=True)
    return status.first() or Status.DELETED


def assert_counts_match_rows(thread_id):
    rows = Comment.objects.filter(thread_id=thread_id)
    published = rows.filter(status=Status.PUBLISHED)
    thread = Thread.objects.get(pk=thread_id)
    assert (thread.comment_count, thread.listed_count, thread.pick_count) == (
        published.count(),
        rows.filter(Q(status__in=Comment.LISTED) & Q(is_listed=True)).count(),
        published.filter(picked_at__isnull=False).count(),
    )
    assert not rows.filter(is_listed=True).exclude(status__in=Comment.LISTED).exists()


def test_the_walk_covers_every_action_and_every_status():
    assert {name.split(",")[0] for name in ACTIONS} == set(transitions.TRANSITIONS)
    assert {name.split(",")[0] for name in STARTS} == set(Status.values)


@pytest.mark.parametrize("name", ACTIONS)
def test_an_action_moves_a_comment_only_along_its_rows(name, article, author, holding):
    action = name.split(",")[0]
    allowed = transitions.TRANSITIONS[action]
    taken = set()
    for number, (start, make) in enumerate(STARTS.items()):
        comment = make(article, author, holding, f"Comment {number} ({start}).")
        before = stored_status(comment)
        try:
            changed = ACTIONS[name](comment, author, holding)
        except PermissionDenied:
            changed = False
        after = stored_status(comment)

        if transitions.allows(action, before):
            assert changed, start
            assert (before, after) in allowed, start
            taken.add((before, after))
        else:
            assert not changed, start
            assert after == before, start
        assert_counts_match_rows(comment.thread_id)

    # Every row of the action was taken by one of the starts.
    expected = {
        "edit_comment": {pair for pair in allowed if pair[0] == pair[1]},
        "edit_comment, held": allowed - {(Status.PUBLISHED, Status.PUBLISHED)},
    }.get(name, allowed)
    assert taken == expected


def test_the_modules_docstring_shows_the_table_as_it_is():
    """The table drawn at the top of transitions.py is the table the code reads."""
    drawn, action = set(), None
    lines = transitions.__doc__.split("    action            from        to\n")[1]
    for line in lines.split("\n\n")[0].splitlines():
        words = line.split()
        if not line.startswith("     "):  # a new action's first row
            action, words = words[0], words[1:]
        drawn.add((action, words[0], words[1]))
    assert drawn == {
        (action, start, end)
        for action, pairs in transitions.TRANSITIONS.items()
        for start, end in pairs
    }
