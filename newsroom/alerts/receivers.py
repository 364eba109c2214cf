from django.dispatch import receiver

from newsroom.accounts.hooks import personal_data
from newsroom.comments.hooks import comment_quoted

from . import services
from .models import Notification


@receiver(comment_quoted)
def tell_quoted_author(sender, comment, recipient, sources, **kwargs):
    services.notify(
        recipient, Notification.QUOTED, actor=comment.author, comment=comment
    )


@receiver(personal_data)
def export_notifications(sender, user, **kwargs):
    return "notifications", [
        {
            "kind": notice.kind,
            "comment": notice.comment_id,
            "at": notice.created_at.isoformat(),
            "read": notice.read_at is not None,
        }
        for notice in Notification.objects.filter(recipient=user)
    ]
