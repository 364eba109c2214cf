"""Reads for screening, the banner of a sanctioned reader, and the queue."""

import statistics

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.accounts.models import DisplayNameChange
from newsroom.comments import transitions
from newsroom.comments.models import Comment, Quote, Vote
from newsroom.edge import keys as surrogate_keys
from newsroom.edge.purge import purge

from .models import (
    MODERATORS_GROUP,
    ArticleRules,
    CommentReview,
    Report,
    Sanction,
    VoteRing,
    VoteRingMember,
)

QUEUE_PAGE = 50
REMOVED_DAYS = 30
RINGS_PAGE = 20
RING_MEMBERS_SHOWN = 200  # a ring's accounts listed on its card; the rest counted


def is_moderator(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=MODERATORS_GROUP).exists()


# Screening ------------------------------------------------------------------------


def article_rules(page) -> ArticleRules:
    return ArticleRules.objects.filter(page_id=page.pk).first() or ArticleRules(
        page_id=page.pk
    )


def last_comment_at(author, thread):
    return (
        Comment.objects.filter(author=author, thread=thread)
        .exclude(status=Comment.Status.REJECTED)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def recent_bodies(author, since, limit: int = 200):
    return (
        Comment.objects.filter(author=author, created_at__gte=since)
        .exclude(body="")
        .order_by("-created_at")
        .values_list("pk", "body")[:limit]
    )


def approved_count(author) -> int:
    """Comments of this reader that readers have seen and that still stand."""
    return Comment.objects.filter(
        author=author,
        published_at__isnull=False,
        status__in=(Comment.Status.PUBLISHED, Comment.Status.DELETED),
    ).count()


def reader_premoderated(user, site) -> bool:
    return any(
        s["kind"] == Sanction.Kind.PREMODERATE and _applies(s, site)
        for s in sanctions_of(user.pk)
    )


# Sanctions, cached per reader so every page can check them for free ---------------


def _cache_key(user_id) -> str:
    return f"moderation:sanctions:{user_id}"


def sanctions_of(user_id) -> list[dict]:
    """The reader's active sanctions and unacknowledged warnings (cached)."""
    key = _cache_key(user_id)
    found = cache.get(key)
    now = timezone.now()
    if found is None:
        rows = Sanction.objects.filter(user_id=user_id, lifted_at__isnull=True).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )
        found = [
            {
                "id": s.pk,
                "kind": s.kind,
                "site_id": s.site_id,
                "reason": s.reason,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "acknowledged": s.acknowledged_at is not None,
            }
            for s in rows
        ]
        cache.set(key, found, timeout=300)
    return [
        s
        for s in found
        if s["starts_at"] <= now
        and (s["ends_at"] is None or s["ends_at"] > now)
        and not (s["kind"] == Sanction.Kind.WARN and s["acknowledged"])
    ]


def forget_sanctions(user_id) -> None:
    cache.delete(_cache_key(user_id))
    purge(surrogate_keys.reader(user_id))  # the banner in the reader's overlay


def _applies(sanction: dict, site) -> bool:
    return sanction["site_id"] is None or (
        site is not None and sanction["site_id"] == site.pk
    )


def blocking_sanction(user_id, site) -> dict | None:
    """The suspension or ban that stops this reader on this site, if any."""
    found = [
        s
        for s in sanctions_of(user_id)
        if s["kind"] in Sanction.BLOCKING and _applies(s, site)
    ]
    # A ban outranks a suspension; the one ending last says when it is over.
    found.sort(
        key=lambda s: (
            s["kind"] != Sanction.Kind.BAN,
            s["ends_at"] is not None,
            -s["ends_at"].timestamp() if s["ends_at"] else 0,
        )
    )
    return found[0] if found else None


def pending_warning(user_id) -> dict | None:
    for sanction in sanctions_of(user_id):
        if sanction["kind"] == Sanction.Kind.WARN:
            return sanction
    return None


# The queue ------------------------------------------------------------------------


class Tab(models.TextChoices):
    """The queue's tabs, in their order; the value is the tab's address."""

    PENDING = "pending", _("Awaiting review")
    REPORTED = "reported", _("Reported")
    REMOVED = "removed", _("Recently removed")


def queue(tab: str, *, site=None, now=None):
    """Comment reviews for a tab of the queue, oldest waiting first."""
    now = now or timezone.now()
    reviews = CommentReview.objects.all()
    if tab == Tab.PENDING:
        reviews = reviews.filter(comment__status=Comment.Status.PENDING).order_by(
            "waiting_since", "pk"
        )
    elif tab == Tab.REPORTED:
        reviews = reviews.filter(
            open_reports__gt=0, comment__status=Comment.Status.PUBLISHED
        ).order_by("waiting_since", "pk")
    else:
        reviews = reviews.filter(
            comment__status__in=(Comment.Status.REMOVED, Comment.Status.REJECTED),
            decided_at__gte=now - timezone.timedelta(days=REMOVED_DAYS),
        ).order_by("-decided_at", "-pk")
    if site is not None:
        reviews = reviews.filter(comment__thread__site=site)
    return reviews


def tab_sizes(site=None) -> dict[str, int]:
    return {tab: queue(tab, site=site).count() for tab in Tab.values}


def median_wait(site=None, now=None, days: int = 7):
    """The median time comments decided in the last `days` waited, and how many."""
    now = now or timezone.now()
    decided = CommentReview.objects.filter(
        decided_at__gte=now - timezone.timedelta(days=days), waited__isnull=False
    )
    if site is not None:
        decided = decided.filter(comment__thread__site=site)
    waits = list(
        decided.order_by("-decided_at").values_list("waited", flat=True)[:2000]
    )
    return (statistics.median(waits) if waits else None), len(waits)


def queue_items(reviews) -> list[CommentReview]:
    """One page of the queue with everything an item shows, in a fixed number of
    queries: comments, articles, reports, quotes both ways, and authors' records."""
    items = list(
        reviews.select_related(
            "comment__author__profile",
            "comment__thread__page",
            "comment__thread__site",
        ).prefetch_related(
            Prefetch(
                "comment__reports",
                queryset=Report.objects.select_related("reporter").order_by(
                    "created_at"
                ),
            ),
            Prefetch(
                "comment__quotes",
                queryset=Quote.objects.select_related("source__author"),
            ),
            Prefetch(
                "comment__quoted_by",
                queryset=Quote.objects.select_related("comment__author").order_by(
                    "comment__created_at"
                ),
            ),
        )
    )
    authors = {item.comment.author_id for item in items if item.comment.author_id}
    records = author_records(authors)
    for item in items:
        item.record = records.get(item.comment.author_id)
        # The decisions the comment's status allows (comments' transition table).
        status = item.comment.status
        item.can_approve = transitions.allows(transitions.APPROVE, status)
        item.can_remove = transitions.allows(transitions.REMOVE, status)
        item.can_restore = transitions.allows(transitions.RESTORE, status)
        item.can_pick = transitions.allows(transitions.PICK, status)
    return items


def author_records(user_ids) -> dict[int, dict]:
    """Per author: account age, approved and removed counts, sanctions, past names."""
    if not user_ids:
        return {}
    users = (
        get_user_model()
        .objects.filter(pk__in=user_ids)
        .annotate(
            approved=Count(
                "comments",
                filter=Q(
                    comments__status=Comment.Status.PUBLISHED,
                    comments__published_at__isnull=False,
                ),
            ),
            removed=Count(
                "comments",
                filter=Q(
                    comments__status__in=(
                        Comment.Status.REMOVED,
                        Comment.Status.REJECTED,
                    )
                ),
            ),
        )
    )
    records = {
        user.pk: {
            "joined": user.date_joined,
            "approved": user.approved,
            "removed": user.removed,
            "sanctions": [],
            "names": [],
        }
        for user in users
    }
    for sanction in (
        Sanction.objects.filter(user_id__in=user_ids)
        .select_related("site")
        .order_by("-starts_at")
    ):
        records[sanction.user_id]["sanctions"].append(sanction)
    for change in DisplayNameChange.objects.filter(user_id__in=user_ids).order_by(
        "-changed_at"
    ):
        records[change.user_id]["names"].append(change.old_name)
    return records


# Coordinated votes (rings.py) -----------------------------------------------------


class RingTab(models.TextChoices):
    OPEN = "open", _("Awaiting review")
    DECIDED = "decided", _("Decided in the last 30 days")


def vote_rings(tab: str, *, site=None, now=None):
    """Flags of coordinated votes: open ones newest first, or recently decided."""
    now = now or timezone.now()
    if tab == RingTab.OPEN:
        rings = VoteRing.objects.filter(status=VoteRing.Status.OPEN).order_by(
            "-found_at", "-pk"
        )
    else:
        rings = (
            VoteRing.objects.exclude(status=VoteRing.Status.OPEN)
            .filter(decided_at__gte=now - timezone.timedelta(days=REMOVED_DAYS))
            .order_by("-decided_at", "-pk")
        )
    if site is not None:
        rings = rings.filter(comment__thread__site=site)
    return rings


def open_ring_count(site=None) -> int:
    return vote_rings(RingTab.OPEN, site=site).count()


def ring_items(rings) -> list[VoteRing]:
    """One page of flags with their evidence, in a fixed number of queries: the
    comment and its article, the accounts (when each was created and voted), and
    each account's vote on the comment now (counted, discounted, or taken back)."""
    items = list(
        rings.select_related(
            "comment__author", "comment__thread__page", "comment__thread__site"
        ).prefetch_related(
            Prefetch(
                "members",
                queryset=VoteRingMember.objects.order_by("voted_at", "pk"),
            )
        )
    )
    comment_ids = {ring.comment_id for ring in items}
    user_ids = {m.user_id for ring in items for m in ring.members.all() if m.user_id}
    now = {
        (comment_id, user_id): (value, discounted)
        for comment_id, user_id, value, discounted in Vote.objects.filter(
            comment_id__in=comment_ids, user_id__in=user_ids
        ).values_list("comment_id", "user_id", "value", "is_discounted")
    }
    for ring in items:
        members = list(ring.members.all())
        for member in members:
            value, discounted = now.get((ring.comment_id, member.user_id), (0, False))
            member.vote_now = value
            member.is_counted = bool(value) and not discounted
            member.is_discounted = bool(value) and discounted
            member.has_switched = bool(value) and value != ring.value
        ring.shown_members = members[:RING_MEMBERS_SHOWN]
        ring.hidden_members = len(members) - len(ring.shown_members)
        ring.size = len(members)
        times = [m.voted_at for m in members]
        ring.first_vote = min(times, default=None)
        ring.last_vote = max(times, default=None)
        ring.can_discount = ring.status != VoteRing.Status.DISCOUNTED
        ring.can_restore = ring.status == VoteRing.Status.DISCOUNTED
        ring.can_clear = ring.is_open
    return items
