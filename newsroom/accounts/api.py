"""The API's readers: a public profile, and who is signed in (mounted by `api/`).

A profile's comment count is comments' and the unread notifications are alerts':
they fill those fields through `profile_fields` and `me_fields` (rest.additions),
registered in their apps.py.
"""

import datetime

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth

from newsroom.rest.additions import Additions
from newsroom.rest.auth import ReaderSession
from newsroom.rest.conventions import Id, responses

from . import selectors

router = Router()

# Fields of a reader's public profile that apps above accounts fill (comments:
# `comment_count`), and of the signed-in reader's own answer (alerts:
# `unread_notifications`).
profile_fields = Additions()
me_fields = Additions()


class ReaderOut(Schema):
    id: int
    name: str
    joined: datetime.date
    joined_site: str | None
    comment_count: int  # filled by comments (profile_fields)
    profile_url: str


@router.get(
    "/readers/{reader_id}",
    response=responses(ReaderOut),
    tags=["readers"],
    url_name="reader",
)
def reader(request, reader_id: Id):
    """A reader's public profile."""
    profile = selectors.public_profile(reader_id)
    if profile is None:
        raise Http404(_("No reader here."))
    return {
        "id": profile.user.pk,
        "name": profile.user.get_username(),
        "joined": profile.user.date_joined.date(),
        "joined_site": profile.joined_site.site_name if profile.joined_site else None,
        "profile_url": request.build_absolute_uri(
            reverse("accounts:profile", args=[profile.user.pk])
        ),
        **profile_fields.fields(request, profile.user),
    }


class MeOut(Schema):
    signed_in: bool
    id: int | None = None
    name: str | None = None
    unread_notifications: int = 0  # filled by alerts (me_fields)


@router.get(
    "/me",
    response=responses(MeOut, 401),
    auth=[BearerTokenAuth(), ReaderSession(), AllowAnonymous()],
    tags=["readers"],
    url_name="me",
)
def me(request):
    """Who is signed in (by session or token); `signed_in` false otherwise."""
    user = request.user
    if not user.is_authenticated:
        return {"signed_in": False}
    return {
        "signed_in": True,
        "id": user.pk,
        "name": user.get_username(),
        **me_fields.fields(request, user),
    }
