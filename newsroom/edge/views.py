"""The small per-reader requests that go with shared pages (never cached)."""

from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import overlay as registry

OVERLAY_COOKIE = "nr_overlay"


def _page_id(request):
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


@require_GET
@never_cache
def overlay(request):
    """The reader's own parts of the page they are on, as JSON (see overlay.py)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False})
    data = {
        "signed_in": True,
        "csrf": get_token(request),
        "nav": render_to_string("includes/account_nav.html", request=request),
        "banner": render_to_string(
            "includes/moderation_banner.html", request=request
        ).strip(),
    }
    data.update(registry.parts(request, _page_id(request)))
    return JsonResponse(data)


@require_GET
@never_cache
def csrf(request):
    """A CSRF token for a form on a shared page, fetched when the form is used
    (shared pages carry none: they are the same for everyone)."""
    return JsonResponse({"token": get_token(request)})
