from django.dispatch import receiver

from newsroom.accounts.hooks import personal_data
from newsroom.comments.hooks import comment_picked, comment_quoted, comment_removed

from . import services
from .models import Notification


@receiver(comment_quoted)
def tell_quoted_author(sender, comment, recipient, sources, **kwargs):
    services.notify(
        recipient, Notification.Kind.QUOTED, actor=comment.author, comment=comment
    )


@receiver(comment_removed)
def tell_author_of_removal(sender, comment, reason, **kwargs):
    if comment.author_id is None:  # the account is gone: nobody to tell
        return
    services.notify(
        comment.author, Notification.Kind.REMOVED, comment=comment, message=reason
    )


@receiver(comment_picked)
def tell_author_of_pick(sender, comment, **kwargs):
    if comment.author_id is None:
        return
    services.notify(comment.author, Notification.Kind.PICKED, comment=comment)


@receiver(personal_data)
def export_notifications(sender, user, **kwargs):
    return "notifications", [
        {
            "kind": notice.kind,
            "comment": notice.comment_id,
            "message": notice.message,
            "at": notice.created_at.isoformat(),
            "read": notice.read_at is not None,
        }
        for notice in Notification.objects.filter(recipient=user)
    ]
