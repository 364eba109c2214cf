"""allauth adapters: display names that can't impersonate, sister-site branded email.

allauth does the registration, verification, password and social sign-in flows; the
adapters add what a network of news sites needs on top.
"""

from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import user_username
from allauth.core import context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from newsroom.ratelimit.clients import client_address
from newsroom.ratelimit.refusals import RateLimited

from . import limits, selectors, services
from .names import impersonates


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
        found = impersonates(username, selectors.reserved_names())
        if found:
            raise ValidationError(
                _(
                    "A display name can't include “%(part)s”: it could be taken for "
                    "our staff or one of our sites. Please choose another name."
                ),
                code="reserved",
                params={"part": found},
            )
        if not shallow and selectors.display_name_taken(username):
            raise self.validation_error("username_taken")
        return username

    def clean_email(self, email):
        """Addresses must fit SMTP's limits (and the database column)."""
        local, _at, _domain = email.rpartition("@")
        if len(email) > 254 or len(local) > 64:
            raise ValidationError(
                _("That email address is too long to receive mail. Please check it.")
            )
        return super().clean_email(email)

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

    # Rate limits (limits.py): allauth's own counting is off, so its hooks count.

    def get_client_ip(self, request):
        """The reader's address as every limit sees it: from X-Forwarded-For only
        behind a trusted proxy."""
        return client_address(request) or super().get_client_ip(request)

    def pre_authenticate(self, request, **credentials):
        """Refuse a sign-in after too many failed ones (per address and per what
        was typed as the login), before the password is even checked."""
        try:
            limits.check(request, "login_failed", key=_login_of(credentials))
        except RateLimited as refusal:
            raise limits.TooManyAttempts(refusal) from None

    def authentication_failed(self, request, **credentials):
        """Count a failed sign-in (a successful one counts nothing)."""
        try:
            limits.count(request, "login_failed", key=_login_of(credentials))
        except RateLimited:
            pass  # this attempt is refused anyway; the next is stopped before it

    def send_confirmation_mail(self, request, emailconfirmation, signup):
        """Hold back a verification email sent to the same address a short while
        ago (`confirm_email`), as allauth does: the earlier link still works."""
        if self._hold_back(request, emailconfirmation.email_address.email):
            return
        super().send_confirmation_mail(request, emailconfirmation, signup)

    def send_account_already_exists_mail(self, email):
        if self._hold_back(context.request, email):
            return
        super().send_account_already_exists_mail(email)

    def _hold_back(self, request, email) -> bool:
        try:
            limits.count(request, "confirm_email", key=email)
        except RateLimited:
            request.confirmation_held_back = True  # views.ManageEmailView says so
            return True
        return False

    def format_email_subject(self, subject):
        site = services.site_for_request(context.request)
        prefix = f"[{site.site_name}] " if site and site.site_name else ""
        return prefix + str(subject)


def _login_of(credentials) -> str:
    """What was typed to sign in, as failed sign-ins are counted per login."""
    return str(credentials.get("email") or credentials.get("username") or "")


class ProviderNotConfigured(SocialApp.DoesNotExist, Http404):
    """No app for a provider: still DoesNotExist to allauth, a 404 to the reader."""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_app(self, request, provider, client_id=None):
        """Unconfigured providers' URLs (/accounts/facebook/login/) answer 404, not 500.

        allauth's OpenID Connect views turn the missing app into a 404 themselves;
        the OAuth2 views of Facebook, Google and the rest let it escape.
        """
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist as error:
            raise ProviderNotConfigured(provider) from error

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # The provider's full name is the natural display name to offer.
        if not user_username(user):
            name = " ".join((data.get("name") or "").split())[:150]
            user_username(user, name)
        return user

    def get_signup_form_initial_data(self, sociallogin):
        """Leave the display name blank rather than offer one the form will refuse."""
        initial = super().get_signup_form_initial_data(sociallogin)
        try:
            AccountAdapter(context.request).clean_username(initial["username"])
        except ValidationError:
            initial["username"] = ""
        return initial

    def is_auto_signup_allowed(self, request, sociallogin):
        """Ask for a display name when the provider's one is taken or unusable."""
        name = user_username(sociallogin.user)
        try:
            AccountAdapter(request).clean_username(name)
        except ValidationError:
            return False
        return super().is_auto_signup_allowed(request, sociallogin)
