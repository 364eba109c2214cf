"""What apps above accounts add to a reader's pages.

accounts knows nothing of comments, alerts or the API. An app with something to show
there registers a part from its `AppConfig.ready()`: `part(request, user) -> str`,
the part's HTML, rendered from the app's own template. Parts show in the order they
were registered (the order of INSTALLED_APPS).

- PROFILE: a reader's public profile page, below their facts (comments: their
  published comments);
- SETTINGS: the reader's own settings page, after the time zone (alerts: their
  alerts and notification emails; the API: their tokens).
"""

from collections import defaultdict
from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

PROFILE = "profile"
SETTINGS = "settings"
PLACES = (PROFILE, SETTINGS)

_parts: dict[str, list[Callable]] = defaultdict(list)


def register(place: str, part: Callable) -> Callable:
    if place not in PLACES:
        raise ValueError(f"No place {place!r} on readers' pages; there are {PLACES}.")
    if part not in _parts[place]:
        _parts[place].append(part)
    return part


def template_part(template: str) -> Callable:
    """A part that is one template, rendered with the request (and `user`)."""

    def part(request, user) -> SafeString:
        return render_to_string(template, {"reader": user}, request=request)

    return part


def rendered(place: str, request, user) -> list[SafeString]:
    return [part(request, user) for part in _parts[place]]
