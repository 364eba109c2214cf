"""The comments' part of a signed-in reader's overlay (newsroom.edge.overlay).

On a shared article page every comment is rendered as an anonymous reader sees it;
the overlay tells the page's script what is the reader's own: their vote on each
comment they voted on, which comments are theirs (with Edit while the edit window
is open, the same rule the service enforces, and Delete), the comment box or the
reason they cannot comment, and their comments awaiting review. A handful of
queries, whatever the size of the thread.
"""

import datetime

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site

from newsroom.accounts.services import can_participate
from newsroom.edge import overlay

from . import posting, selectors, services
from .models import Comment, CommentSettings, Vote
from .pages import is_commentable

OWN_LIMIT = 500  # a reader's own comments in one thread the overlay marks


def thread_part(request, page_id, fresh_for: list) -> dict:
    if page_id is None:
        return {}
    page = Page.objects.live().public().filter(pk=page_id).first()
    page = page.specific if page is not None else None
    if not is_commentable(page):
        return {}
    user = request.user
    thread = selectors.thread_of(page)
    rules = CommentSettings.for_request(request)
    now = timezone.now()
    context = {
        "page": page,
        "closed": services.closed_reason(page, rules, thread=thread),
        "can_comment": can_participate(user),
        "refusal": services.refusal(user, site=Site.find_for_request(request)),
    }
    votes, own = {}, {}
    if thread is not None:
        votes = dict(
            Vote.objects.filter(user=user, comment__thread=thread).values_list(
                "comment_id", "value"
            )
        )
        mine = Comment.objects.filter(
            thread=thread, author=user, status__in=posting.EDITABLE
        ).order_by("-created_at")[:OWN_LIMIT]
        window = datetime.timedelta(minutes=rules.edit_window_minutes)
        for comment in mine:
            editable = posting.can_edit(comment, user, now=now, rules=rules)
            if editable:  # its Edit link goes when the window closes
                ends = comment.created_at + window - now
                fresh_for.append(ends.total_seconds() + 1)
            own[comment.pk] = {
                "edit": reverse("comments:edit", args=[comment.pk]) if editable else "",
                "delete": reverse("comments:delete", args=[comment.pk]),
            }
    if context["refusal"]:  # a limit lifting or a suspension ending shows soon
        fresh_for.append(overlay.REFUSED_SECONDS)
    participation = {"d": context, "user": user, "request": request}
    return {
        "comments": {
            "votes": votes,
            "own": own,
            "can_vote": bool(context["can_comment"]) and not context["refusal"],
            "top": render_to_string(
                "comments/includes/participation.html", participation | {"where": "top"}
            ),
            "bottom": render_to_string(
                "comments/includes/participation.html",
                participation | {"where": "bottom"},
            ),
            "awaiting": render_to_string(
                "comments/includes/awaiting_review.html",
                {
                    "comments": selectors.awaiting_review(thread, user),
                    "user": user,
                    "request": request,
                    "now": now,
                },
            ),
        }
    }
