"""Reader pages beyond allauth's: public profile, settings, data export, deletion,
and the news-alert confirmation link; and allauth's own form pages, counted against
the account limits (limits.py) and mounted at allauth's addresses (urls.py)."""

import json

from allauth.account import views as account_views
from allauth.account.models import EmailAddress
from allauth.account.views import EmailView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from newsroom.ratelimit.refusals import RateLimited, too_many

from . import limits, parts, selectors, services
from .forms import DeleteAccountForm, DisplayNameForm, TimeZoneForm
from .models import CommunitySettings


class LimitedFormView:
    """An allauth form view whose POSTs count against the rates of its `limit`
    (limits.py). Over one, the form comes back with the reason and what the reader
    typed, unprocessed (no password is checked), as 429 with Retry-After; a limit
    the form meets itself (failed sign-ins, checked by the adapter) is answered
    the same way."""

    limit = ""
    refusal = None

    def post(self, request, *args, **kwargs):
        if self.limit:
            try:
                limits.count(request, self.limit, user=request.user)
            except RateLimited as refusal:
                self.refusal = refusal
        return super().post(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.refusal is not None and limits.refusal_in(form) is None:
            # Errors set before validation: is_valid() is then False at once.
            form._errors, form.cleaned_data = ErrorDict(), {}
            form.add_error(None, limits.TooManyAttempts(self.refusal))
        return form

    def form_invalid(self, form):
        response = super().form_invalid(form)
        refusal = limits.refusal_in(form)
        return too_many(response, refusal) if refusal else response


class LoginView(LimitedFormView, account_views.LoginView):
    limit = "login"


class SignupView(LimitedFormView, account_views.SignupView):
    limit = "signup"


class PasswordResetView(LimitedFormView, account_views.PasswordResetView):
    """Counted once the address is read, per network address and per address."""

    def form_valid(self, form):
        try:
            limits.count(self.request, "reset_password", key=form.cleaned_data["email"])
        except RateLimited as refusal:
            form.add_error(None, limits.TooManyAttempts(refusal))
            return self.form_invalid(form)
        return super().form_valid(form)


class PasswordResetFromKeyView(LimitedFormView, account_views.PasswordResetFromKeyView):
    limit = "reset_password_from_key"


class PasswordChangeView(LimitedFormView, account_views.PasswordChangeView):
    limit = "change_password"


class PasswordSetView(LimitedFormView, account_views.PasswordSetView):
    limit = "change_password"


class ReauthenticateView(LimitedFormView, account_views.ReauthenticateView):
    limit = "reauthenticate"


class ManageEmailView(EmailView):
    """allauth's email page, whose changes count against `manage_email`, and which
    also says when a resend was held back."""

    def post(self, request, *args, **kwargs):
        try:
            limits.count(request, "manage_email", user=request.user)
        except RateLimited as refusal:
            messages.error(request, str(refusal))
            return too_many(self.get(request, *args, **kwargs), refusal)
        return super().post(request, *args, **kwargs)

    def _action_send(self, request, *args, **kwargs):
        response = super()._action_send(request, *args, **kwargs)
        held_back = getattr(request, "confirmation_held_back", False) or not getattr(
            self, "_did_send_verification_email", True
        )
        if (
            held_back
            and EmailAddress.objects.filter(
                user=request.user,
                email__iexact=request.POST.get("email", ""),
                verified=False,
            ).exists()
        ):
            messages.warning(
                request,
                _(
                    "We sent you a confirmation link a short while ago, so we did not "
                    "send another yet. Please check your inbox and spam folder, or "
                    "ask again in a few minutes."
                ),
            )
        return response


def profile(request, pk):
    reader = selectors.public_profile(pk)
    if reader is None:
        raise Http404(_("No reader here."))
    shown = parts.rendered(parts.PROFILE, request, reader.user)
    return render(request, "accounts/profile.html", {"reader": reader, "parts": shown})


def _settings_context(request, **forms):
    user = request.user
    profile = services.sync_profile(user)
    context = {
        "profile": profile,
        "email_addresses": EmailAddress.objects.filter(user=user),
        "can_participate": services.can_participate(user),
        "name_form": DisplayNameForm(),
        "time_zone_form": TimeZoneForm(initial={"time_zone": profile.time_zone}),
        "name_history": user.display_name_changes.all()[:10],
        "social_accounts": user.socialaccount_set.all(),
        "parts": parts.rendered(parts.SETTINGS, request, user),
    }
    context.update(forms)
    return context


@never_cache
@login_required
@require_GET
def account_settings(request):
    return _settings_page(request)


def _settings_page(request, status=200, **forms):
    """The settings page; a form that failed is passed in to show its errors."""
    return render(
        request,
        "accounts/settings.html",
        _settings_context(request, **forms),
        status=status,
    )


@never_cache
@login_required
@require_POST
def change_display_name(request):
    form = DisplayNameForm(request.POST)
    if form.is_valid():
        try:
            services.change_display_name(
                request.user, form.cleaned_data["display_name"]
            )
        except ValidationError as error:
            form.add_error("display_name", error)
        else:
            messages.success(
                request,
                _("Your display name is now %(name)s.")
                % {"name": request.user.get_username()},
            )
            return redirect("accounts:settings")
    return _settings_page(request, status=400, name_form=form)


@never_cache
@login_required
@require_POST
def change_time_zone(request):
    form = TimeZoneForm(request.POST)
    if form.is_valid():
        services.set_time_zone(
            request.user, request.session, form.cleaned_data["time_zone"]
        )
        messages.success(request, _("Times are now shown in your chosen time zone."))
        return redirect("accounts:settings")
    return _settings_page(request, status=400, time_zone_form=form)


@never_cache
@login_required
@require_GET
def export_data(request):
    data = services.export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="newsroom-data-{request.user.pk}-{stamp}.json"'
    )
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    user = request.user
    site = services.site_for_request(request)
    policy = CommunitySettings.for_site(site).deleted_account_comments if site else None
    removes_text = policy == CommunitySettings.CommentPolicy.REMOVE
    form = DeleteAccountForm(request.POST or None, user=user)
    staff = services.is_staff_account(user)
    if request.method == "POST" and not staff and form.is_valid():
        services.delete_account(user)
        logout(request)
        return render(request, "accounts/deleted.html")
    return render(
        request,
        "accounts/delete.html",
        {"form": form, "removes_text": removes_text, "staff": staff},
        status=400 if request.method == "POST" else 200,
    )
