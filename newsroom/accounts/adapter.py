"""allauth adapters: display names that can't impersonate, sister-site branded email.

allauth does the registration, verification, password and social sign-in flows; the
adapters add what a network of news sites needs on top.
"""

from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import user_username
from allauth.core import context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import selectors, services


@dataclass(frozen=True)
class EmailSite:
    """`current_site` in allauth's email templates: the sister site's name."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_taken": _(
            "That display name is already taken (or looks the same as one that is). "
            "Please choose another."
        ),
        "username_blacklisted": _(
            "That display name is reserved. Please choose another."
        ),
    }

    def clean_username(self, username, shallow=False):
        username = super().clean_username(username, shallow=shallow)
        if not shallow and selectors.display_name_taken(username):
            raise self.validation_error("username_taken")
        return username

    def populate_username(self, request, user):
        """Social sign-ups keep the provider's name only when it is usable and free.

        Otherwise the name stays empty and SocialAccountAdapter sends the reader to a
        form that asks for one, rather than making up `john12` on their behalf.
        """
        if not user_username(user):
            return
        try:
            self.clean_username(user_username(user))
        except ValidationError:
            user_username(user, "")

    def send_mail(self, template_prefix, email, context_data):
        request = context.request
        site = services.site_for_request(request)
        context_data = {
            "current_site": EmailSite(
                name=site.site_name if site else request.get_host(),
                domain=request.get_host(),
            ),
            **context_data,
        }
        super().send_mail(template_prefix, email, context_data)

    def format_email_subject(self, subject):
        site = services.site_for_request(context.request)
        prefix = f"[{site.site_name}] " if site and site.site_name else ""
        return prefix + str(subject)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # The provider's full name is the natural display name to offer.
        if not user_username(user):
            name = " ".join((data.get("name") or "").split())[:150]
            user_username(user, name)
        return user

    def is_auto_signup_allowed(self, request, sociallogin):
        """Ask for a display name when the provider's one is taken or unusable."""
        name = user_username(sociallogin.user)
        try:
            AccountAdapter(request).clean_username(name)
        except ValidationError:
            return False
        return super().is_auto_signup_allowed(request, sociallogin)
