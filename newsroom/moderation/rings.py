"""Coordinated voting: accounts linked by one thing, voting one comment the same way
within minutes, flagged to moderators with the evidence (a `VoteRing`).

The rule (docs/configuration.md, "Coordinated voting"), for each vote up or down:
among the votes on the same comment, the same way, cast in the last
NEWSROOM_VOTE_RING_MINUTES (10), count the accounts that share one link with this
voter:

    link      who shares it                                     key
    network   the same network: the address's /24 (IPv4) or     Vote.network
              /48 (IPv6), NEWSROOM_VOTE_NETWORK_*_PREFIX
    device    the same browser (User-Agent), and accounts       Vote.device
              created within NEWSROOM_VOTE_RING_JOINED_HOURS
              (24) of this voter's (0: the browser alone)
    new       accounts younger than                             ""
              NEWSROOM_VOTE_RING_NEW_ACCOUNT_DAYS (7), this
              voter's too

When one count reaches NEWSROOM_VOTE_RING_ACCOUNTS (5; 0 turns the rule off), those
accounts are a ring: the open flag for (comment, direction, link, key) is made with
every one of them, or, when it is already open, gains this voter.

A vote is a hot path, so the check costs one indexed aggregate per vote (on the
comment's votes of the last minutes, `vote_on_comment_by_time`), run after the
vote commits (`comments.signals.vote_cast`) so it never holds the comment's lock;
only a vote that completes or grows a ring writes (the flag and its member rows).
Running it in the request rather than as a task keeps the flag as current as the
votes, with no queue to lose it, for about the cost of queueing a task.
"""

import datetime
import operator
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone

from newsroom.comments.models import Vote

from .models import VoteRing, VoteRingMember


@dataclass(frozen=True)
class Rule:
    accounts: int
    window: datetime.timedelta
    new_account: datetime.timedelta
    joined_close: datetime.timedelta

    @property
    def is_on(self) -> bool:
        return self.accounts >= 2  # 0 is off; 1 (refused by a check) flags nothing


def current_rule() -> Rule:
    """The rule's thresholds, read from the settings at call time (out of range:
    the nearest value in range, as checks.check_vote_rings says)."""
    return Rule(
        accounts=settings.NEWSROOM_VOTE_RING_ACCOUNTS,
        window=datetime.timedelta(
            minutes=_within(settings.NEWSROOM_VOTE_RING_MINUTES, 1, 24 * 60)
        ),
        new_account=datetime.timedelta(
            days=_within(settings.NEWSROOM_VOTE_RING_NEW_ACCOUNT_DAYS, 0, 3650)
        ),
        joined_close=datetime.timedelta(
            hours=_within(settings.NEWSROOM_VOTE_RING_JOINED_HOURS, 0, 24 * 3650)
        ),
    )


def _within(value: int, least: int, most: int) -> int:
    return min(max(value, least), most)


def check_vote(
    *, comment, voter, value: int, at=None, network: str = "", device: str = ""
) -> list[VoteRing]:
    """Flag the rings this vote completes or joins, if any (see the module's rule).
    Returns the open flags it made or grew; writes nothing otherwise."""
    rule = current_rule()
    if not rule.is_on:
        return []
    at = at or timezone.now()
    links = _links(rule, voter, at, network=network, device=device)
    if not links:
        return []
    recent = Vote.objects.filter(
        comment_id=comment.pk, value=value, created_at__gte=at - rule.window
    )
    # One vote per account and comment (a constraint), so votes count accounts.
    counts = recent.aggregate(
        **{
            link: Count("pk", filter=condition)
            for link, (_key, condition) in links.items()
        }
    )
    reached = {
        link: (key, condition)
        for link, (key, condition) in links.items()
        if counts[link] >= rule.accounts
    }
    if not reached:
        return []
    return _flag(comment, value, reached, recent, voter, at)


def _links(rule, voter, at, *, network, device) -> dict[str, tuple[str, Q]]:
    """{link: (its key, which votes share it with this voter)} for the links this
    voter has."""
    links = {}
    if network:
        links[VoteRing.Link.NETWORK] = (network, Q(network=network))
    if device:
        same = Q(device=device)
        if rule.joined_close:
            joined = voter.date_joined
            same &= Q(
                user__date_joined__range=(
                    joined - rule.joined_close,
                    joined + rule.joined_close,
                )
            )
        links[VoteRing.Link.DEVICE] = (device, same)
    if rule.new_account and voter.date_joined >= at - rule.new_account:
        links[VoteRing.Link.NEW] = (
            "",
            Q(user__date_joined__gte=at - rule.new_account),
        )
    return links


def _flag(comment, value, reached, recent, voter, at) -> list[VoteRing]:
    """The open flags of the rings reached: made with every member, or grown by
    `voter`. A member's vote costs a read of the comment's open flags and one
    insert for all of them; a new flag, one read of its members more."""
    with transaction.atomic():
        found = {
            (ring.link, ring.key): ring
            for ring in VoteRing.objects.filter(
                comment_id=comment.pk,
                value=value,
                status=VoteRing.Status.OPEN,
                link__in=list(reached),
            )
        }
        made = {}
        for link, (key, _condition) in reached.items():
            if (link, key) not in found:
                ring, created = VoteRing.objects.get_or_create(
                    comment_id=comment.pk,
                    value=value,
                    link=link,
                    key=key,
                    status=VoteRing.Status.OPEN,
                    defaults={"found_at": at},
                )
                found[link, key] = ring
                if created:  # by this vote: every member so far joins it
                    made[link] = ring
        members = [
            VoteRingMember(
                ring=found[link, key],
                user_id=voter.pk,
                name=voter.get_username(),
                joined_at=voter.date_joined,
                voted_at=at,
            )
            for link, (key, _condition) in reached.items()
            if link not in made
        ]
        members += _members_so_far(made, reached, recent)
        # Already a member (a vote switched back, a racing vote's flag): kept once.
        VoteRingMember.objects.bulk_create(members, ignore_conflicts=True)
    return [found[link, key] for link, (key, _condition) in reached.items()]


def _members_so_far(made, reached, recent) -> list[VoteRingMember]:
    """The members of the flags this vote made, read in one statement, so that
    flags made together agree on who had voted (a vote taken back meanwhile)."""
    if not made:
        return []
    shares = {
        f"shares_{link}": ExpressionWrapper(reached[link][1], BooleanField())
        for link in made
    }
    rows = (
        recent.filter(reduce(operator.or_, (reached[link][1] for link in made)))
        .annotate(**shares)
        .values("user_id", "user__username", "user__date_joined", "created_at", *shares)
    )
    return [
        VoteRingMember(
            ring=ring,
            user_id=row["user_id"],
            name=row["user__username"],
            joined_at=row["user__date_joined"],
            voted_at=row["created_at"],
        )
        for row in rows
        for link, ring in made.items()
        if row[f"shares_{link}"]
    ]
