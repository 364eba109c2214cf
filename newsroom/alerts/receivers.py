from allauth.account.signals import user_signed_up
from django.db.models import Count, Q
from django.dispatch import receiver
from wagtail.models import Site
from wagtail.signals import page_published

from newsroom.accounts.signals import personal_data
from newsroom.comments.signals import comment_picked, comment_quoted, comment_removed
from newsroom.news import options
from newsroom.news.models import ArticlePage

from . import breaking, notices, sending, services, subscriptions
from .models import Delivery, Notification


@receiver(page_published, sender=ArticlePage)
def send_breaking_alert(sender, instance, **kwargs):
    """An article published with "send as breaking alert" goes out once, ever."""
    if not instance.live:
        # Wagtail announces a publish scheduled for later too, with the page
        # still offline: its alert waits for the scheduler to make it live.
        return
    wanted = options.submitted(breaking.SEND, instance)  # an editor's form, now
    if wanted is None:
        wanted = breaking.is_requested(instance)
    if wanted:
        sending.send_breaking_alert(instance)


@receiver(user_signed_up)
def invite_new_reader(sender, request, user, **kwargs):
    """As promised at registration: an invitation to the joined site's alerts."""
    site = Site.find_for_request(request) if request is not None else None
    if site is not None:
        subscriptions.invite(user, site)


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


@receiver(personal_data)
def export_subscriptions(sender, user, **kwargs):
    return "news_alerts", {
        "addresses": [
            {
                "email": subscriber.email,
                "time_zone": subscriber.time_zone,
                "paused": subscriber.paused_at is not None,
                "subscriptions": [
                    {
                        "site": subscription.site.site_name,
                        "breaking": subscription.breaking,
                        "digest": subscription.digest,
                        "digest_hour": subscription.digest_hour,
                        "sections": [s.title for s in subscription.sections.all()],
                        "invited_at": subscription.invited_at.isoformat()
                        if subscription.invited_at
                        else None,
                        "confirmed_at": subscription.confirmed_at.isoformat()
                        if subscription.confirmed_at
                        else None,
                        "sent": subscription.sent,
                    }
                    for subscription in subscriber.subscriptions.select_related("site")
                    .prefetch_related("sections")
                    .annotate(
                        sent=Count(
                            "deliveries",
                            filter=Q(deliveries__status=Delivery.Status.SENT),
                        )
                    )
                ],
            }
            for subscriber in subscriptions.subscribers_of(user).distinct()
        ],
        "notification_emails": notices.frequency_of(user),
    }
