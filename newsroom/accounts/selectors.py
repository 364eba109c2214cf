"""Reads about reader accounts."""

import ipaddress

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.models import Site

from .models import CommunitySettings, Profile
from .names import STAFF_WORDS, entries, skeleton


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


def reserved_names() -> list[str]:
    """Words and phrases no reader's display name may contain or imitate: the staff
    roles, the network's name, every site's name (also without a leading "The")
    and the first label of its hostname, and every site's own list.

    One account writes on every site of the network under one name, so what any
    site reserves is reserved everywhere. Two queries.
    """
    reserved = [*STAFF_WORDS, settings.NEWSROOM_NETWORK_NAME]
    for name, hostname in Site.objects.values_list("site_name", "hostname"):
        reserved.append(name)
        if name.casefold().startswith("the "):
            reserved.append(name[4:])
        reserved.append(_first_label(hostname))
    for text in CommunitySettings.objects.values_list("reserved_names", flat=True):
        reserved.extend(entries(text))
    return [entry for entry in reserved if entry]


def _first_label(hostname: str) -> str:
    """`ledger` of ledger.localhost and of www.ledger.example; nothing for an IP."""
    try:
        ipaddress.ip_address(hostname.strip("[]"))
    except ValueError:
        labels = hostname.lower().split(".")
        if labels[0] == "www" and len(labels) > 1:
            labels = labels[1:]
        return labels[0]
    return ""
