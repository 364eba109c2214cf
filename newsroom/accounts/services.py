"""Changes to reader accounts: profiles, names, time zones, privacy."""

import datetime
import logging
import zoneinfo

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import Site

from . import selectors, signals
from .models import CommunitySettings, DisplayNameChange, Profile
from .names import skeleton

logger = logging.getLogger(__name__)

NAME_CHANGE_INTERVAL = datetime.timedelta(days=30)
TIME_ZONE_SESSION_KEY = "newsroom_time_zone"


def site_for_request(request) -> Site | None:
    return Site.find_for_request(request) if request is not None else None


def can_participate(user) -> bool:
    """Whether the reader may comment, vote and report: signed in, active, verified."""
    return bool(user.is_authenticated and user.is_active) and (
        selectors.has_verified_email(user)
    )


def sync_profile(user) -> Profile:
    """Keep the profile's look-alike key in step with the display name.

    Readers are checked for collisions before they get here; a name an administrator
    gives a staff account that folds onto another is kept apart by the account id
    rather than refused.
    """
    key = skeleton(user.get_username())
    profile = Profile.objects.filter(user=user).first()
    if profile and profile.name_key == key:
        return profile
    if Profile.objects.filter(name_key=key).exclude(user=user).exists():
        key = f"{key}#{user.pk}"
    if profile:
        Profile.objects.filter(pk=profile.pk).update(name_key=key)
        profile.name_key = key
        return profile
    return Profile.objects.create(user=user, name_key=key)


def record_joined_site(user, site) -> None:
    if site is not None:
        Profile.objects.filter(user=user).update(joined_site=site)


def change_display_name(user, new_name: str, *, now=None) -> None:
    """Rename a reader, at most once per NAME_CHANGE_INTERVAL, keeping the history."""
    now = now or timezone.now()
    profile = sync_profile(user)
    old_name = user.get_username()
    if new_name == old_name:
        raise ValidationError(_("That is already your display name."))
    if profile.name_changed_at and now - profile.name_changed_at < NAME_CHANGE_INTERVAL:
        allowed = timezone.localtime(profile.name_changed_at + NAME_CHANGE_INTERVAL)
        raise ValidationError(
            _("You can change your display name again on %(date)s.")
            % {"date": date_format(allowed, "N j, Y")}
        )
    get_adapter().clean_username(new_name, shallow=True)
    if selectors.display_name_taken(new_name, exclude_user=user):
        raise ValidationError(get_adapter().error_messages["username_taken"])
    try:
        with transaction.atomic():
            user.username = new_name
            user.save(update_fields=["username"])
            Profile.objects.filter(pk=profile.pk).update(
                name_key=skeleton(new_name), name_changed_at=now
            )
            DisplayNameChange.objects.create(
                user=user, old_name=old_name, new_name=new_name, changed_at=now
            )
    except IntegrityError as error:  # taken by someone else a moment ago
        user.username = old_name
        raise ValidationError(get_adapter().error_messages["username_taken"]) from error


def set_time_zone(user, session, name: str) -> None:
    if name and name not in zoneinfo.available_timezones():
        raise ValidationError(_("Choose a time zone from the list."))
    Profile.objects.filter(user=user).update(time_zone=name)
    remember_time_zone(session, name)


def remember_time_zone(session, name: str) -> None:
    """The middleware reads the reader's zone from the session, not the database."""
    if name:
        session[TIME_ZONE_SESSION_KEY] = name
    else:
        session.pop(TIME_ZONE_SESSION_KEY, None)


def export_personal_data(user) -> dict:
    """Everything the network holds about a reader, for download as JSON."""
    profile = sync_profile(user)
    data = {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "display_name": user.get_username(),
            "member_since": user.date_joined.isoformat(),
            "last_sign_in": user.last_login.isoformat() if user.last_login else None,
            "time_zone": profile.time_zone or None,
            "joined_site": profile.joined_site.site_name
            if profile.joined_site
            else None,
            "display_name_history": [
                {
                    "old_name": change.old_name,
                    "new_name": change.new_name,
                    "changed_at": change.changed_at.isoformat(),
                }
                for change in user.display_name_changes.all()
            ],
        },
        "email_addresses": [
            {
                "email": address.email,
                "verified": address.verified,
                "primary": address.primary,
            }
            for address in EmailAddress.objects.filter(user=user)
        ],
        "sign_in_methods": {
            "password": user.has_usable_password(),
            "social_accounts": [
                {
                    "provider": account.provider,
                    "uid": account.uid,
                    "connected_at": account.date_joined.isoformat(),
                    "last_sign_in": account.last_login.isoformat(),
                }
                for account in user.socialaccount_set.all()
            ],
        },
    }
    for _receiver, section in signals.personal_data.send(sender=type(user), user=user):
        if section:
            name, value = section
            data[name] = value
    return data


def is_staff_account(user) -> bool:
    return (
        user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")
    )


def comment_policies() -> dict[int, str]:
    """Each site's choice for the comments of deleted accounts (default: keep)."""
    chosen = dict(
        CommunitySettings.objects.values_list("site_id", "deleted_account_comments")
    )
    return {
        site_id: chosen.get(site_id, CommunitySettings.CommentPolicy.KEEP)
        for site_id in Site.objects.values_list("pk", flat=True)
    }


def delete_account(user) -> None:
    """Delete a reader and, through `account_deleting`, deal with what they wrote."""
    if is_staff_account(user):
        raise ValidationError(
            _("Staff accounts are closed by an administrator, not from this page.")
        )
    with transaction.atomic():
        signals.account_deleting.send(
            sender=type(user), user=user, policies=comment_policies()
        )
        user.delete()
