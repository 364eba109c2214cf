"""The per-request lookups every page repeats, kept between requests.

Wagtail finds the request's site with a query each time, and its redirect middleware
looks every 404's path up in the redirects table. Both answers change only when an
editor changes a site or a redirect: the site is remembered per host in each process
for SITE_SECONDS (at once in the process that saved it), a redirect lookup in the
cache until a redirect changes.
"""

import time

from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from wagtail.contrib.redirects.middleware import RedirectMiddleware
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

SITE_SECONDS = 60
REDIRECT_SECONDS = 60 * 60
_sites: dict = {}


class SiteMiddleware:
    """Set the request's Wagtail site from a per-process memo of host → site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = _host(request)
        remembered = _sites.get(host) if host is not None else None
        fresh = remembered is not None and remembered[1] >= time.monotonic()
        if fresh:
            request._wagtail_site = remembered[0]
        response = self.get_response(request)
        if host is not None and not fresh and hasattr(request, "_wagtail_site"):
            # Looked up (lazily, by whatever needed it) during this request.
            _sites[host] = (request._wagtail_site, time.monotonic() + SITE_SECONDS)
        return response


def _host(request):
    try:
        return request.get_host()
    except DisallowedHost:
        return None  # Django answers 400 later, as without this middleware


def forget_sites(**kwargs) -> None:
    _sites.clear()


def _redirect_key(site, path: str) -> str:
    generation = cache.get_or_set("news:redirects-generation", 1, None)
    return f"news:redirect:{generation}:{site.pk if site else 0}:{path}"


def forget_redirects(**kwargs) -> None:
    try:
        cache.incr("news:redirects-generation")
    except ValueError:
        cache.set("news:redirects-generation", 2, None)


class CachedRedirectMiddleware(RedirectMiddleware):
    """Wagtail's redirects, with each 404 path's answer (often: none) cached."""

    def process_response(self, request, response):
        if response.status_code != 404:
            return response
        site = Site.find_for_request(request)
        key = _redirect_key(site, request.get_full_path()[:1000])
        found = cache.get(key)
        if found is None:
            answer = super().process_response(request, response)
            found = (
                (answer["Location"], answer.status_code == 301)
                if answer is not response
                else ()
            )
            cache.set(key, found, REDIRECT_SECONDS)
            return answer
        if not found:
            return response
        link, permanent = found
        if permanent:
            return HttpResponsePermanentRedirect(link)
        return HttpResponseRedirect(link)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    for model in (Site,):
        post_save.connect(forget_sites, sender=model, dispatch_uid="news-forget-site")
        post_delete.connect(
            forget_sites, sender=model, dispatch_uid="news-forget-site-del"
        )
    post_save.connect(
        forget_redirects, sender=Redirect, dispatch_uid="news-forget-redirect"
    )
    post_delete.connect(
        forget_redirects, sender=Redirect, dispatch_uid="news-forget-redirect-del"
    )
