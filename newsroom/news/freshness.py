"""Keep cached fragments fresh: a content version that changes with published content.

Cached fragments (the front page, the section menu, the list of sister sites) carry
the version in their keys, so publishing, unpublishing, moving or deleting a page, a
change of privacy, or editing a site or a photo makes every process render them afresh.
The version is one row read once per request; the fragments it guards cost far more.
A timeout bounds staleness should a change ever bypass the receivers in apps.py.
"""

from django.db.models import F
from django.utils import timezone

from .models import ContentVersion

FRAGMENT_TIMEOUT = 300  # seconds
VERSION_ROW = 1


def content_version(request=None) -> int:
    """The current version, read once per request when `request` is given."""
    cached = getattr(request, "_news_content_version", None)
    if cached is not None:
        return cached
    version = (
        ContentVersion.objects.filter(pk=VERSION_ROW)
        .values_list("version", flat=True)
        .first()
        or 0
    )
    if request is not None:
        request._news_content_version = version
    return version


def bump_content_version(**kwargs) -> None:
    """Signal receiver: published content changed somewhere in the network."""
    updated = ContentVersion.objects.filter(pk=VERSION_ROW).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not updated:
        ContentVersion.objects.get_or_create(pk=VERSION_ROW)
