"""Coordinated voting: rings flagged with their evidence, and the moderators'
decisions on them (discount, count again, leave counted), through the HTTP doors."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import checks
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import LEDGER
from newsroom.accounts.tests.factories import create_reader
from newsroom.accounts.tests.helpers import PASSWORD, sign_in
from newsroom.comments import posting, voting
from newsroom.comments.models import Comment, Vote
from newsroom.comments.tests.factories import set_rules
from newsroom.comments.tests.helpers import an_article
from newsroom.comments.tests.test_voting import (
    assert_counts_match_rows,
    statements_of,
)
from newsroom.moderation.checks import check_vote_rings
from newsroom.moderation.models import LogEntry, VoteRing
from newsroom.news.tests.helpers import visible_text

from .factories import a_moderator

pytestmark = pytest.mark.django_db

BOT = "Mozilla/5.0 (X11; Linux x86_64) RingBot/1.0"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/131.0.0.0 Safari/537.36"
)
# Organic readers: each on a network of its own (other /24s and /48s).
OWN_NETWORKS = [
    "198.51.100.7",
    "192.0.2.8",
    "203.0.113.9",
    "100.64.3.4",
    "2001:db8:1::1",
    "2001:db8:2::1",
]


@pytest.fixture
def target(network):
    article = an_article()
    set_rules(article)
    author = create_reader("Target Author")
    return posting.post_comment(
        page=article, author=author, body="Vote me up, friends."
    )


def voter(name, *, address, agent, joined=None) -> Client:
    """A reader signed in through the sign-in page, browsing from `address` with
    `agent`; their account created at `joined` (default: just now)."""
    reader = create_reader(name)
    if joined is not None:
        get_user_model().objects.filter(pk=reader.pk).update(date_joined=joined)
    client = Client(HTTP_HOST=LEDGER, REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    assert sign_in(client, name).status_code == 302
    return client


def cast(client, comment, value="up"):
    """A vote through the site's form, its commit callbacks run as after a request."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/comments/{comment.pk}/vote/", {"value": value})
    assert response.status_code == 302, response.content[:300]
    return response


def ring_of_five(comment, *, prefix="Fresh", network="203.0.113.{}"):
    """Five accounts made minutes ago, on one /24, with one browser, voting up."""
    clients = [
        voter(f"{prefix} {n}", address=network.format(10 + n), agent=BOT)
        for n in range(5)
    ]
    for client in clients:
        cast(client, comment)
    return clients


def organic(comment, count, value="up", *, agent=CHROME):
    """Accounts years old, created months apart, each on its own network."""
    long_ago = timezone.now() - datetime.timedelta(days=800)
    for n in range(count):
        client = voter(
            f"Regular {n}",
            address=OWN_NETWORKS[n],
            agent=agent,
            joined=long_ago + datetime.timedelta(days=90 * n),
        )
        cast(client, comment, value)


def desk() -> Client:
    client = Client(HTTP_HOST=LEDGER)
    client.force_login(a_moderator())
    return client


def shown_votes(comment) -> str:
    html = Client(HTTP_HOST=LEDGER).get(f"/comments/{comment.pk}/", follow=True)
    text = html.content.decode()
    start = text.index(f'id="votes-{comment.pk}"')
    return text[start : start + 400]


def test_a_ring_of_new_accounts_on_one_network_is_flagged_with_the_evidence(target):
    clients = [
        voter(f"Fresh {n}", address=f"203.0.113.{10 + n}", agent=BOT) for n in range(5)
    ]
    for client in clients[:4]:
        cast(client, target)
    assert not VoteRing.objects.exists()  # four are not yet a ring

    cast(clients[4], target)

    # The five share a network, a browser with accounts made together, and youth.
    rings = {ring.link: ring for ring in VoteRing.objects.all()}
    assert set(rings) == {"network", "device", "new"}
    ring = rings["network"]
    assert (ring.comment_id, ring.value, ring.status) == (target.pk, 1, "open")
    names = sorted(ring.members.values_list("name", flat=True))
    assert names == [f"Fresh {n}" for n in range(5)]
    votes = dict(Vote.objects.values_list("user__username", "created_at"))
    for member in ring.members.all():
        assert member.voted_at == votes[member.name]
        assert timezone.now() - member.joined_at < datetime.timedelta(minutes=5)
    # What is kept is a keyed hash, not the address.
    assert ring.key == Vote.objects.first().network and "203.0.113" not in ring.key

    moderator = desk()
    page = moderator.get("/cms/moderation/votes/")
    text = visible_text(page)
    assert page.status_code == 200
    assert "5 accounts voted up within" in text
    assert "What links them: Voting from one network" in text
    assert "What links them: New accounts" in text
    for name in names:
        assert name in text
    assert "Discount these votes" in text
    queue = visible_text(moderator.get("/cms/moderation/queue/pending/"))
    assert "Coordinated votes 3" in queue


def test_a_sixth_vote_joins_the_open_flag(target):
    ring_of_five(target)
    late = voter("Fresh 5", address="203.0.113.99", agent=BOT)

    cast(late, target)

    ring = VoteRing.objects.get(link="network")
    assert ring.members.count() == 6
    assert VoteRing.objects.filter(link="network").count() == 1


def test_a_vote_joining_open_flags_costs_a_read_and_one_insert(target):
    ring_of_five(target)
    late = create_reader("Fresh 5")
    comment = Comment.objects.select_related("thread__site").get(pk=target.pk)

    _checks, _inside, after = statements_of(
        lambda: voting.cast_vote(comment, late, 1, ip="203.0.113.99", user_agent=BOT)
    )

    # The rule's aggregate, the comment's open flags, one insert for the three.
    data = [s for s in after if s in {"SELECT", "INSERT", "UPDATE", "DELETE"}]
    assert data == ["SELECT", "SELECT", "INSERT"], after
    for ring in VoteRing.objects.all():
        assert ring.members.count() == 6


def test_organic_votes_from_old_accounts_on_different_networks_are_not_flagged(
    target,
):
    # Six readers in ten minutes, all with the most common browser.
    organic(target, 6)

    target.refresh_from_db()
    assert (target.up_count, target.down_count) == (6, 0)
    assert not VoteRing.objects.exists()


def test_one_browser_and_accounts_made_together_link_them_across_networks(target):
    # Made a month ago within the same hour, voting now from five networks.
    made = timezone.now() - datetime.timedelta(days=30)
    for n in range(5):
        client = voter(
            f"Sleeper {n}",
            address=OWN_NETWORKS[n],
            agent=BOT,
            joined=made + datetime.timedelta(minutes=7 * n),
        )
        cast(client, target)

    ring = VoteRing.objects.get()
    assert ring.link == "device"
    assert ring.members.count() == 5


def test_votes_further_apart_than_the_window_are_not_a_ring(target, settings):
    settings.NEWSROOM_VOTE_RING_MINUTES = 10
    clients = [
        voter(f"Fresh {n}", address=f"203.0.113.{10 + n}", agent=BOT) for n in range(5)
    ]
    for client in clients[:4]:
        cast(client, target)
    Vote.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=11))

    cast(clients[4], target)

    assert not VoteRing.objects.exists()


def test_discount_and_restore_change_the_shown_counts_and_write_the_log(target):
    fresh = ring_of_five(target)
    organic(target, 2, "down")
    assert "3 ( +5 / -2 )" in shown_votes(target)
    ring = VoteRing.objects.get(link="network")
    moderator = desk()

    discounted = moderator.post(
        f"/cms/moderation/votes/{ring.pk}/",
        {"action": "discount", "next": "/cms/moderation/votes/"},
    )

    assert discounted.status_code == 302
    assert "-2 ( +0 / -2 )" in shown_votes(target)
    target.refresh_from_db()
    assert (target.up_count, target.down_count) == (0, 2)
    assert Vote.objects.count() == 7  # the votes stay, off the counts
    assert_counts_match_rows()
    entry = LogEntry.objects.get()
    assert (entry.action, entry.comment_id, entry.moderator_name) == (
        "discount",
        target.pk,
        "Moderator Ada",
    )
    assert entry.details["votes"] == 5
    assert sorted(entry.details["accounts"]) == [f"Fresh {n}" for n in range(5)]
    ring.refresh_from_db()
    assert ring.status == "discounted"
    # A discounted reader asking again, or switching, moves no count.
    cast(fresh[0], target, "up")
    cast(fresh[1], target, "down")
    target.refresh_from_db()
    assert (target.up_count, target.down_count) == (0, 2)
    assert_counts_match_rows()
    # The evidence shows the switch and the discount.
    text = visible_text(moderator.get("/cms/moderation/votes/?tab=decided"))
    assert "discounted (switched)" in text

    restored = moderator.post(
        f"/cms/moderation/votes/{ring.pk}/", {"action": "restore"}
    )

    assert restored.status_code == 302
    assert "1 ( +4 / -3 )" in shown_votes(target)
    assert_counts_match_rows()
    assert list(LogEntry.objects.values_list("action", flat=True)) == [
        "recount",
        "discount",
    ]
    assert LogEntry.objects.first().details["votes"] == 5
    # Restoring twice changes nothing and says so.
    again = moderator.post(
        f"/cms/moderation/votes/{ring.pk}/", {"action": "restore"}, follow=True
    )
    assert "Nothing changed" in visible_text(again)
    assert LogEntry.objects.count() == 2


def test_votes_held_off_by_another_discounted_flag_stay_off(target):
    ring_of_five(target)
    moderator = desk()
    by_network = VoteRing.objects.get(link="network")
    by_age = VoteRing.objects.get(link="new")
    for ring in (by_network, by_age):
        moderator.post(f"/cms/moderation/votes/{ring.pk}/", {"action": "discount"})
    target.refresh_from_db()
    assert (target.up_count, target.down_count) == (0, 0)

    moderator.post(f"/cms/moderation/votes/{by_network.pk}/", {"action": "restore"})

    target.refresh_from_db()
    assert (target.up_count, target.down_count) == (0, 0)
    assert_counts_match_rows()


def test_leaving_the_votes_counted_closes_the_flag(target):
    ring_of_five(target)
    ring = VoteRing.objects.get(link="network")

    moderator = desk()

    moderator.post(f"/cms/moderation/votes/{ring.pk}/", {"action": "clear"})

    ring.refresh_from_db()
    target.refresh_from_db()
    assert ring.status == "cleared"
    assert (target.up_count, target.down_count) == (5, 0)
    assert LogEntry.objects.get().action == "clear"
    open_tab = visible_text(moderator.get("/cms/moderation/votes/"))
    assert "Voting from one network" not in open_tab


def test_readers_and_editors_cannot_see_or_decide_flags(target, make_reader):
    ring_of_five(target)
    ring = VoteRing.objects.get(link="network")
    make_reader("Curious")
    reader = Client(HTTP_HOST=LEDGER)
    sign_in(reader, "Curious")
    editor = Client(HTTP_HOST=LEDGER)
    editor.force_login(get_user_model().objects.get(username="editor"))
    url = f"/cms/moderation/votes/{ring.pk}/"

    for client in (reader, editor):
        assert client.get("/cms/moderation/votes/").status_code == 302
        refused = client.post(url, {"action": "discount"})
        assert refused.status_code == 302
        assert refused["Location"].startswith(("/cms/login/", "/cms/"))

    ring.refresh_from_db()
    target.refresh_from_db()
    assert ring.status == "open"
    assert (target.up_count, target.down_count) == (5, 0)
    assert not LogEntry.objects.exists()


def test_an_unknown_decision_changes_nothing(target):
    ring_of_five(target)
    ring = VoteRing.objects.get(link="network")

    response = desk().post(
        f"/cms/moderation/votes/{ring.pk}/", {"action": "delete"}, follow=True
    )

    assert "Choose what to do with these votes." in visible_text(response)
    ring.refresh_from_db()
    assert ring.status == "open"
    assert not LogEntry.objects.exists()


def test_the_rule_can_be_turned_off(target, settings):
    settings.NEWSROOM_VOTE_RING_ACCOUNTS = 0

    ring_of_five(target)

    assert not VoteRing.objects.exists()
    assert Comment.objects.get(pk=target.pk).up_count == 5


def test_thresholds_out_of_range_are_reported(settings):
    settings.NEWSROOM_VOTE_RING_ACCOUNTS = 1
    settings.NEWSROOM_VOTE_NETWORK_IPV4_PREFIX = 40
    settings.NEWSROOM_VOTE_SIGNALS_DAYS = 0

    found = check_vote_rings(None)

    assert [error.id for error in found] == [
        "newsroom.E070",
        "newsroom.E071",
        "newsroom.E071",
    ]
    assert all(isinstance(error, checks.Error) for error in found)
    assert "works as 32" in found[1].msg

    settings.NEWSROOM_VOTE_RING_ACCOUNTS = 5
    settings.NEWSROOM_VOTE_NETWORK_IPV4_PREFIX = 24
    settings.NEWSROOM_VOTE_SIGNALS_DAYS = 7
    assert check_vote_rings(None) == []


def test_a_discounted_reader_deleting_their_account_moves_no_count(target):
    fresh = ring_of_five(target)
    ring = VoteRing.objects.get(link="network")
    desk().post(f"/cms/moderation/votes/{ring.pk}/", {"action": "discount"})

    gone = fresh[0].post("/accounts/delete/", {"confirmation": PASSWORD})

    assert gone.status_code == 200
    assert Vote.objects.count() == 4
    target.refresh_from_db()
    assert (target.up_count, target.down_count) == (0, 0)
    assert_counts_match_rows()
    # The evidence keeps the name of the account that went.
    assert "Fresh 0" in ring.members.values_list("name", flat=True)


def test_the_flags_page_costs_the_same_queries_for_more_flags(target):
    moderator = desk()
    ring_of_five(target)
    moderator.get("/cms/moderation/votes/")  # what the admin reads once, read
    with CaptureQueriesContext(connection) as few:
        moderator.get("/cms/moderation/votes/")
    other = posting.post_comment(
        page=target.thread.page.specific, author=target.author, body="And me too."
    )
    ring_of_five(other, prefix="Other", network="198.51.100.{}")

    with CaptureQueriesContext(connection) as more:
        page = moderator.get("/cms/moderation/votes/")

    assert VoteRing.objects.count() == 6
    assert visible_text(page).count("accounts voted up within") == 6
    assert len(more) == len(few), [q["sql"] for q in more.captured_queries]
