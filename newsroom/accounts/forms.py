from allauth.account.forms import AddEmailForm, LoginForm, SignupForm
from allauth.socialaccount.forms import SignupForm as SocialSignupForm
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .addresses import validate_deliverable
from .models import TIME_ZONE_CHOICES
from .names import MAX_LENGTH, MIN_LENGTH


def _display_name_help() -> str:
    return _(
        "Shown with everything you post. %(min)d–%(max)d characters; names that "
        "look alike count as the same name. You can change it once every 30 days."
    ) % {"min": MIN_LENGTH, "max": MAX_LENGTH}


# Filled in when shown, in the reader's language: `%` on a lazy string would
# translate it once, at import.
DISPLAY_NAME_HELP = lazy(_display_name_help, str)()


def _present_display_name(form) -> None:
    field = form.fields["username"]
    # The display-name validators give the precise limit and count instead.
    field.max_length = None
    field.validators = [
        v for v in field.validators if not isinstance(v, MaxLengthValidator)
    ]
    field.label = _("Display name")
    field.help_text = DISPLAY_NAME_HELP
    field.widget.attrs.update(
        {"maxlength": str(MAX_LENGTH), "autocomplete": "nickname"}
    )
    for other in form.fields.values():
        other.widget.attrs.pop("placeholder", None)


class ReaderLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Email or display name")
        self.fields["remember"].label = _("Keep me signed in on this device")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


def _refuse_undeliverable(email: str) -> None:
    # Judged by its shape alone, before allauth looks for accounts with it (and
    # tells other apps an address is being added): the refusal says nothing
    # about who is registered, and nothing else happens.
    if email:
        validate_deliverable(email)


class ReaderSignupForm(SignupForm):
    field_order = ["username", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _present_display_name(self)
        self.fields["email"].help_text = _(
            "We send a link to confirm it; you can comment once it is confirmed. "
            "Never shown to other readers."
        )

    def clean_email(self):
        _refuse_undeliverable(self.cleaned_data["email"])
        return super().clean_email()


class ReaderSocialSignupForm(SocialSignupForm):
    field_order = ["username", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _present_display_name(self)

    def clean_email(self):
        _refuse_undeliverable(self.cleaned_data["email"])
        return super().clean_email()


class ReaderAddEmailForm(AddEmailForm):
    """Settings' "add an address" (and change of address)."""

    def clean_email(self):
        _refuse_undeliverable(self.cleaned_data["email"])
        return super().clean_email()


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(
        label=_("New display name"),
        max_length=200,  # the validators give the precise message below this
        help_text=DISPLAY_NAME_HELP,
        widget=forms.TextInput(attrs={"maxlength": MAX_LENGTH}),
    )


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Show times in"), choices=TIME_ZONE_CHOICES, required=False
    )


class DeleteAccountForm(forms.Form):
    """Confirmed by the password, or by the display name for social-only accounts."""

    confirmation = forms.CharField(strip=False, max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["confirmation"]
        if user.has_usable_password():
            field.label = _("Your password")
            field.widget = forms.PasswordInput(
                attrs={"autocomplete": "current-password"}
            )
        else:
            field.label = _("Type your display name to confirm")

    def clean_confirmation(self):
        value = self.cleaned_data["confirmation"]
        if self.user.has_usable_password():
            if not self.user.check_password(value):
                raise forms.ValidationError(_("That is not your password."))
        elif value != self.user.get_username():
            raise forms.ValidationError(_("That is not your display name."))
        return value
