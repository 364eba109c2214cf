"""The small per-reader requests that go with shared pages (never cached)."""

from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import keys
from . import overlay as registry

# The edge keeps a reader's overlay this long at most. What the reader or others do
# ends it sooner by a purge (their vote, comment, notification, sanction, signing
# out); what changes with time alone says how long it holds through `fresh_for`: an
# edit window closing, a rate limit lifting, a suspension ending.
OVERLAY_SECONDS = 300
OVERLAY_HEADER = "X-Newsroom-Overlay"


def _page_id(request):
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def _processed(request) -> dict:
    """What the context processors give a template for this request, run once for
    the overlay's two templates rather than once each."""
    context = {}
    for processor in engines["django"].engine.template_context_processors:
        context.update(processor(request))
    return context


@require_GET
@never_cache
def overlay(request):
    """The reader's own parts of the page they are on, as JSON (see overlay.py)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False})
    context = _processed(request)
    banner = render_to_string("includes/moderation_banner.html", context)
    data = {
        "signed_in": True,
        "csrf": get_token(request),
        "nav": render_to_string("includes/account_nav.html", context),
        "banner": banner.strip(),
        # The zone the reader chose, which the middleware has made current: the
        # shared page's times are in the site's, and times.js shows them in this.
        "time_zone": timezone.get_current_timezone_name(),
    }
    page_id = _page_id(request)
    fresh_for = [registry.REFUSED_SECONDS if data["banner"] else OVERLAY_SECONDS]
    data.update(registry.parts(request, page_id, fresh_for))
    response = JsonResponse(data)
    # For the edge only (it removes the header): it may keep this answer for this
    # browser's session, until one of these keys is purged.
    named = [keys.reader(request.user.pk)]
    if page_id is not None:
        named.append(keys.thread(page_id))
    seconds = max(1, int(min(fresh_for)))
    response[OVERLAY_HEADER] = f"{seconds} {' '.join(named)}"
    return response


@require_GET
@never_cache
def csrf(request):
    """A CSRF token for a form on a shared page, fetched when the form is used
    (shared pages carry none: they are the same for everyone)."""
    return JsonResponse({"token": get_token(request)})
