"""Documents every news site serves: robots.txt and the Google News sitemap."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.models import Site

from newsroom.edge.answers import SAME_AS_HEADER

from . import selectors
from .caching import shared
from .freshness import content_version
from .lookups import not_found_name


def _home_for(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site is configured for this host")
    return site, site.root_page.specific


@require_GET
@shared
def robots_txt(request):
    site, _home = _home_for(request)
    return render(
        request,
        "news/robots.txt",
        {"site": site},
        content_type="text/plain; charset=utf-8",
    )


@require_GET
@shared
def news_sitemap(request):
    site, home = _home_for(request)
    articles = selectors.recent_articles_for_news_sitemap(home)
    return render(
        request,
        "news/news_sitemap.xml",
        {"site": site, "articles": articles},
        content_type="application/xml; charset=utf-8",
    )


@shared
def not_found(request, exception=None):
    """The 404 page, shared like any page: a scan of missing addresses costs a
    cache hit each after the first (and a purge of the site's front page when
    something is published there). It names no address (its Sign in link leads
    back to the front page), so an anonymous reader's is rendered once per site
    and content version in each process, kept beside the index of addresses, and
    named for the page cache, which then answers it for an address the index rules
    out without running Django (lookups.known_missing)."""
    kept, key = _kept_not_found(request)
    body = kept.get(key) if key is not None else None
    if body is None:
        response = render(request, "404.html", {"account_next": "/"}, status=404)
        if key is None or response.cookies:
            return response
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return response
        kept[key] = body = response.content
    response = HttpResponse(body, status=404)
    site = Site.find_for_request(request)
    if site is not None and key[2] == timezone.get_default_timezone_name():
        response[SAME_AS_HEADER] = not_found_name(
            request.scheme, request.get_host(), site.pk, content_version(request)
        )
    return response


def _kept_not_found(request) -> tuple:
    """Where this process keeps 404 pages, and the key of this request's: None
    unless the page is the one every anonymous reader gets (no flash message)."""
    from .lookups import reachable

    user = getattr(request, "user", None)
    messages = getattr(request, "_messages", None)
    site = Site.find_for_request(request)
    if user is None or user.is_authenticated or (messages and len(messages)):
        return {}, None
    # The footer's year, and times.js's zone, are in the page.
    key = (
        site.pk if site else None,
        timezone.localdate().year,
        timezone.get_current_timezone_name(),
    )
    return reachable(request).not_found, key
