"""Reader profiles and display-name history.

The reader's public display name is Django's `User.username` (so allauth signs
readers in by it); the profile holds its confusable-folded key, which the database
keeps unique.
"""

import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

TIME_ZONE_CHOICES = [("", _("The site's time zone"))] + [
    (name, name.replace("_", " "))
    for name in sorted(zoneinfo.available_timezones())
    if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/"))
]


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    name_key = models.CharField(
        max_length=150,
        unique=True,
        help_text=_("The display name folded for look-alike comparison."),
    )
    name_changed_at = models.DateTimeField(null=True, blank=True)
    time_zone = models.CharField(
        max_length=64, blank=True, choices=TIME_ZONE_CHOICES, default=""
    )
    joined_site = models.ForeignKey(
        "wagtailcore.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The sister site the reader registered on."),
    )

    def __str__(self):
        return self.user.get_username()


class DisplayNameChange(models.Model):
    """Earlier display names, kept so moderators can follow a reader across names."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="display_name_changes",
    )
    old_name = models.CharField(max_length=150)
    new_name = models.CharField(max_length=150)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("display name change")

    def __str__(self):
        return f"{self.old_name} → {self.new_name}"


@register_setting(icon="user")
class CommunitySettings(BaseSiteSetting):
    """Per-site rules for reader accounts."""

    class CommentPolicy(models.TextChoices):
        KEEP = "keep", _("Keep the text, shown under “deleted user”")
        REMOVE = "remove", _("Remove the text")

    deleted_account_comments = models.CharField(
        max_length=10,
        choices=CommentPolicy.choices,
        default=CommentPolicy.KEEP,
        help_text=_(
            "What happens on this site to the comments of a reader who deletes "
            "their account."
        ),
    )

    reserved_names = models.TextField(
        blank=True,
        verbose_name=_("reserved names"),
        help_text=_(
            "Words and phrases readers may not use in their display names, one per "
            "line (a columnist's name, a section, a sponsor). Look-alike spellings "
            "are refused too. Staff roles, the sites' names and the network's name "
            "are always reserved. Readers use one name on every site of the "
            "network, so these apply on all of them. Names already taken are kept."
        ),
    )

    panels = [
        HelpPanel(
            content=_(
                "Readers are told about this choice before they delete their account."
            )
        ),
        FieldPanel("deleted_account_comments"),
        FieldPanel("reserved_names"),
    ]

    class Meta:
        verbose_name = _("community")
