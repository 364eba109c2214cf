from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from newsroom.accounts.models import TIME_ZONE_CHOICES
from newsroom.news.models import SectionPage

from . import subscriptions
from .models import DIGEST_HOURS, EmailPreference

# Long enough for any real address; longer input is refused with a clear message
# by `clean_email` rather than cut.
RAW_EMAIL_MAX = 2000


def sections_of(site):
    return (
        SectionPage.objects.live()
        .descendant_of(site.root_page)
        .order_by("path")
        .only("pk", "title", "path", "depth")
    )


class SectionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class PreferencesForm(forms.Form):
    breaking = forms.BooleanField(
        label=_("Breaking news, as it happens"), required=False, initial=True
    )
    digest = forms.BooleanField(
        label=_("A daily digest of the top stories"), required=False
    )
    digest_hour = forms.TypedChoiceField(
        label=_("Send the digest at"), choices=DIGEST_HOURS, coerce=int, initial=7
    )
    sections = SectionChoice(
        label=_("Sections in the digest"),
        queryset=SectionPage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every section."),
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].queryset = sections_of(site)

    def clean(self):
        data = super().clean()
        if not (data.get("breaking") or data.get("digest")):
            raise ValidationError(
                _(
                    "Choose breaking news, the daily digest or both (to stop all "
                    "alerts from this site, use Unsubscribe)."
                )
            )
        return data


class SubscribeForm(PreferencesForm):
    email = forms.CharField(
        label=_("Your email address"),
        max_length=RAW_EMAIL_MAX,
        strip=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your email address."),
            "max_length": _("That address is too long: at most 254 characters."),
        },
    )
    time_zone = forms.ChoiceField(
        label=_("Your time zone"), choices=TIME_ZONE_CHOICES, required=False
    )
    field_order = ["email", "breaking", "digest", "digest_hour", "time_zone"]

    def clean_email(self):
        return subscriptions.clean_email(self.cleaned_data["email"])


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Digest times are in"), choices=TIME_ZONE_CHOICES, required=False
    )


class EmailPreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Email me about notifications"),
        choices=EmailPreference.Frequency.choices,
        widget=forms.RadioSelect,
    )


class LinkRequestForm(forms.Form):
    email = forms.CharField(
        label=_("Your email address"),
        max_length=RAW_EMAIL_MAX,
        strip=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self):
        return subscriptions.clean_email(self.cleaned_data["email"])
