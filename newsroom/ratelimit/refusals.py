"""How a request over a limit is refused: HTTP 429 with `Retry-After`, and a
message that says when to try again."""

import math

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

STATUS = 429  # Too Many Requests (RFC 6585)


class RateLimited(PermissionDenied):
    """Refused by a rate limit for `retry_after` more seconds; `str()` is the
    reader's message. A PermissionDenied, so callers that catch refusals in
    general still do; those that answer HTTP give it 429 (`too_many`)."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = max(1, math.ceil(retry_after))

    def __str__(self):
        return self.message


def limited(lead: str, seconds: int) -> RateLimited:
    """A refusal whose message is `lead` ("You are posting too fast.") and when to
    try again."""
    return RateLimited(f"{lead} {try_again(seconds)}", seconds)


def try_again(seconds: int) -> str:
    return _("Please try again in %(wait)s.") % {"wait": wait_phrase(seconds)}


def wait_phrase(seconds: int) -> str:
    """`45 seconds`, `2 minutes`, `3 hours`: the wait rounded up to a unit a reader
    reads at a glance."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = math.ceil(minutes / 60)
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


def too_many(response, refusal: RateLimited):
    """Make `response` (the page or fragment that shows the refusal) a 429 that
    says in `Retry-After` how many seconds to wait."""
    response.status_code = STATUS
    response["Retry-After"] = str(refusal.retry_after)
    return response


def status_for(error, otherwise: int) -> int:
    """429 for a rate limit's refusal, `otherwise` for any other."""
    return STATUS if isinstance(error, RateLimited) else otherwise


def answer(response, error):
    """`response`, made a 429 with Retry-After when `error` is a rate limit's."""
    return too_many(response, error) if isinstance(error, RateLimited) else response
