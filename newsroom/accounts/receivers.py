"""Signal receivers: profiles follow accounts; new readers' sites are noted."""

from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset, user_signed_up
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from newsroom.edge import keys as surrogate_keys
from newsroom.edge.purge import purge

from . import limits, services
from .models import Profile


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def keep_profile_in_step(sender, instance, created, update_fields=None, **kwargs):
    if kwargs.get("raw"):
        return
    if created or update_fields is None or "username" in update_fields:
        services.sync_profile(instance)


@receiver(user_signed_up)
def welcome_new_reader(sender, request, user, **kwargs):
    """Email and social sign-ups alike: note the site the reader joined on (the
    alerts app invites them to its news alerts)."""
    site = services.site_for_request(request)
    services.record_joined_site(user, site)


@receiver(user_logged_in)
def restore_time_zone(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    zone = Profile.objects.filter(user=user).values_list("time_zone", flat=True).first()
    services.remember_time_zone(request.session, zone or "")


@receiver(user_logged_out)
@receiver(user_logged_in)
def forget_overlay(sender, request=None, user=None, **kwargs):
    """What the edge kept of the reader's overlay ends with their session."""
    if user is not None:
        purge(surrogate_keys.reader(user.pk))


@receiver(post_save, sender=EmailAddress)
def address_changed(sender, instance, **kwargs):
    """A verified address lets the reader comment: their overlay says so at once."""
    purge(surrogate_keys.reader(instance.user_id))


@receiver(password_reset)
def forget_failed_sign_ins(sender, request, user, **kwargs):
    """A reader who has just set a new password may sign in at once, however often
    they (or someone guessing) failed before: by any of their addresses or name."""
    logins = [
        user.get_username(),
        *user.emailaddress_set.values_list("email", flat=True),
    ]
    for login in logins:
        limits.forget(request, "login_failed", key=login)
