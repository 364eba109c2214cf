"""Keep cached fragments fresh: a content version that changes with published content.

Cached fragments (the front page, the section menu, the list of sister sites) carry
the version in their keys, so publishing, unpublishing, moving or deleting a page, a
change of privacy, editing a site or a photo, or a redirect, makes every process render
them afresh. The version is one row read once per request (with a plain SELECT: the
ORM would spend ten times the query's own cost building it), the fragments it guards
cost far more. A timeout bounds staleness should a change ever bypass the receivers in
apps.py. What a reader can reach by address is kept under it too (lookups.py).
"""

import functools

from django.db import connection
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
    with connection.cursor() as cursor:
        cursor.execute(_read_sql(), [VERSION_ROW])
        row = cursor.fetchone()
    version = row[0] if row else 0
    if request is not None:
        request._news_content_version = version
    return version


@functools.cache
def _read_sql() -> str:
    quote = connection.ops.quote_name
    meta = ContentVersion._meta
    version = meta.get_field("version").column
    # Names from the model, quoted: no outside text reaches the statement.
    return (
        f"SELECT {quote(version)} FROM {quote(meta.db_table)} "  # noqa: S608
        f"WHERE {quote(meta.pk.column)} = %s"
    )


def bump_content_version(**kwargs) -> None:
    """Signal receiver: published content changed somewhere in the network."""
    updated = ContentVersion.objects.filter(pk=VERSION_ROW).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not updated:
        ContentVersion.objects.get_or_create(pk=VERSION_ROW)
