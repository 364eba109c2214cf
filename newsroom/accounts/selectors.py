"""Reads about reader accounts."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from .models import Profile
from .names import skeleton


def display_name_taken(name: str, *, exclude_user=None) -> bool:
    """Whether another account already uses this name or one that looks the same."""
    key = skeleton(name)
    profiles = Profile.objects.filter(name_key=key)
    users = get_user_model().objects.filter(username__iexact=name)
    if exclude_user is not None:
        profiles = profiles.exclude(user=exclude_user)
        users = users.exclude(pk=exclude_user.pk)
    return profiles.exists() or users.exists()


def has_verified_email(user) -> bool:
    if not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def public_profile(pk: int):
    """An active reader's public profile, or None."""
    return (
        Profile.objects.select_related("user", "joined_site")
        .filter(user__pk=pk, user__is_active=True)
        .first()
    )
