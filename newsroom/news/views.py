"""Documents every news site serves: robots.txt and the Google News sitemap."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Site

from . import selectors
from .caching import shared


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
    something is published there)."""
    return render(request, "404.html", status=404)
