"""What apps above accounts add to a reader's public profile page.

accounts knows nothing of comments. An app with something public to show about a
reader (comments: their published comments) registers a part from its
`AppConfig.ready()`: `part(request, user) -> str`, the part's HTML, rendered from
the app's own template. Parts show in the order they were registered.
"""

from collections.abc import Callable

from django.utils.safestring import SafeString

_parts: list[Callable] = []


def register(part: Callable) -> Callable:
    if part not in _parts:
        _parts.append(part)
    return part


def rendered(request, user) -> list[SafeString]:
    return [part(request, user) for part in _parts]
