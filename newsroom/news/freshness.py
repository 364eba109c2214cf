"""A content version that changes whenever published content changes.

Cached fragments (the front page, the section menu, the list of sister sites) carry
the version in their keys, so publishing, unpublishing, moving or deleting a page, or
editing a site, makes every app server render them afresh. A short timeout bounds
staleness should a change ever bypass the signals below.
"""

from django.core.cache import cache

VERSION_KEY = "news:content-version"
FRAGMENT_TIMEOUT = 300  # seconds; fragments are also dropped at once by a version change


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_content_version(**kwargs) -> None:
    """Signal receiver: published content changed somewhere in the network."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # evicted or never set
        cache.add(VERSION_KEY, 1, timeout=None)
