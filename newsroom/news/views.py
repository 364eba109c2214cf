"""Documents every news site serves: robots.txt and the Google News sitemap."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Site

from . import selectors


def _home_for(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site is configured for this host")
    return site, site.root_page.specific


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    site, _home = _home_for(request)
    return render(
        request,
        "news/robots.txt",
        {"site": site},
        content_type="text/plain; charset=utf-8",
    )


@require_GET
@cache_control(max_age=300, public=True)
def news_sitemap(request):
    site, home = _home_for(request)
    articles = selectors.recent_articles_for_news_sitemap(home)
    return render(
        request,
        "news/news_sitemap.xml",
        {"site": site, "articles": articles},
        content_type="application/xml; charset=utf-8",
    )
