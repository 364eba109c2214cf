"""The API's notifications of the signed-in reader (mounted by `api/`).

Alerts also fills the unread count of accounts' `/me` (rest.additions), registered
in apps.py.
"""

import datetime

from django.urls import reverse
from ninja import Query, Router, Schema

from newsroom.rest.auth import signed_in
from newsroom.rest.conventions import MAX_PAGE, PAGE_SIZE, page_number, responses

from . import services
from .models import Notification

router = Router()


class NotificationOut(Schema):
    id: int
    kind: str
    message: str
    actor: str | None
    comment_url: str | None
    created_at: datetime.datetime
    read: bool


class NotificationListPage(Schema):
    unread: int
    page: int
    pages: int
    results: list[NotificationOut]


@router.get(
    "/notifications",
    response=responses(NotificationListPage, 401, 403),
    auth=signed_in,
    tags=["notifications"],
    url_name="notifications",
)
def notifications(request, page: int = Query(1, ge=1, le=MAX_PAGE)):
    """Your notifications, newest first, 20 a page."""
    mine = Notification.objects.filter(recipient=request.user)
    number, pages = page_number(page, mine.count(), PAGE_SIZE)
    rows = mine.select_related("actor").order_by("-created_at", "-pk")[
        (number - 1) * PAGE_SIZE : number * PAGE_SIZE
    ]
    return {
        "unread": services.unread_count(request.user),
        "page": number,
        "pages": pages,
        "results": [
            {
                "id": n.pk,
                "kind": n.kind,
                "message": n.message or n.get_kind_display(),
                "actor": n.actor.get_username() if n.actor else None,
                "comment_url": (
                    request.build_absolute_uri(
                        reverse("comments:permalink", args=[n.comment_id])
                    )
                    if n.comment_id
                    else None
                ),
                "created_at": n.created_at,
                "read": n.read_at is not None,
            }
            for n in rows
        ],
    }


class NotificationsReadOut(Schema):
    unread: int


@router.post(
    "/notifications/read",
    response=responses(NotificationsReadOut, 401, 403),
    auth=signed_in,
    tags=["notifications"],
    url_name="notifications_read",
)
def notifications_read(request):
    """Mark all your notifications read."""
    services.mark_all_read(request.user)
    return {"unread": 0}


def unread_notifications(request, user) -> dict:
    """The signed-in reader's unread count, for accounts' `/me`."""
    return {"unread_notifications": services.unread_count(user)}
