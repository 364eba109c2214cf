"""The comments app's part in account deletion and data export."""

from django.dispatch import receiver

from newsroom.accounts.models import CommunitySettings
from newsroom.accounts.signals import account_deleting, personal_data

from . import transitions, voting
from .models import Comment, Vote


@receiver(personal_data)
def export_comments(sender, user, **kwargs):
    comments = Comment.objects.filter(author=user).select_related("thread__page")
    votes = Vote.objects.filter(user=user).values_list(
        "comment_id", "value", "created_at"
    )
    return "comments", {
        "comments": [
            {
                "id": comment.pk,
                "article": comment.thread.page.title,
                "status": comment.status,
                "created_at": comment.created_at.isoformat(),
                "edited_at": comment.edited_at.isoformat()
                if comment.edited_at
                else None,
                "text": comment.body,
                "votes_up": comment.up_count,
                "votes_down": comment.down_count,
            }
            for comment in comments
        ],
        "votes": [
            {
                "comment": pk,
                "vote": "up" if value == Vote.Value.UP else "down",
                "at": at.isoformat(),
            }
            for pk, value, at in votes
        ],
    }


@receiver(account_deleting)
def settle_comments(sender, user, policies, **kwargs):
    """Per site: keep the text under "deleted user", or remove it. The reader's
    votes go with the account: off the counts first."""
    for site_id, policy in policies.items():
        if policy != CommunitySettings.CommentPolicy.REMOVE:
            continue
        for comment in Comment.objects.filter(
            author=user, thread__site_id=site_id, status=Comment.Status.PUBLISHED
        ):
            transitions.retract_comment(comment)
    voting.withdraw_votes(user)
