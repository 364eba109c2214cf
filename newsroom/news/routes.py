"""URL routes hung off HomePage and SectionPage (search, tags, authors, feeds).

Routes live on the pages so every site of the network gets its own, under its own host.
The models module imports this one, so selectors (which import the models) load lazily.
"""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.contrib.routable_page.models import path

from .feeds import AtomArticleFeed, RssArticleFeed


class FeedRoutes:
    """RSS 2.0 and Atom feeds of the page's articles (a whole site, or one section)."""

    @path("feeds/rss/")
    def rss_feed(self, request):
        return RssArticleFeed()(request, scope=self)

    @path("feeds/atom/")
    def atom_feed(self, request):
        return AtomArticleFeed()(request, scope=self)


class HomeRoutes(FeedRoutes):
    @path("")
    def front_page(self, request):
        from . import selectors
        from .freshness import content_version

        context = self.get_context(request)
        # Called by the template only when its cached fragment is missing or stale.
        context["front_page"] = lambda: selectors.front_page(self)
        context["content_version"] = content_version(request)
        return TemplateResponse(request, "news/home_page.html", context)

    @path("search/")
    def search(self, request):
        from . import selectors

        request.newsroom_shared = False  # one page per query: not worth keeping
        query = selectors.clean_search_query(request.GET.get("q", ""))
        articles = selectors.search_articles(self, query) if query else []
        if query:
            listing_title = _("Search: %(query)s") % {"query": query}
        else:
            listing_title = _("Search")
        context = self.get_context(request)
        context.update(
            selectors.listing(self, articles, request.GET.get("page"))
            | {
                "query": query,
                "listing_title": listing_title,
            }
        )
        return TemplateResponse(request, "news/search.html", context)

    @path("tags/<str:tag>/")
    def tag(self, request, tag):
        from . import selectors

        tag_obj = selectors.get_tag(tag)
        articles = selectors.articles_with_tag(self, tag_obj)
        context = self.get_context(request)
        context.update(
            selectors.listing(self, articles, request.GET.get("page"))
            | {
                "listing_title": _("Tagged “%(tag)s”") % {"tag": tag_obj.name},
                "listing_kind": "tag",
            }
        )
        return TemplateResponse(request, "news/listing.html", context)

    @path("authors/<str:slug>/")
    def author(self, request, slug):
        from . import selectors
        from .models import Author

        author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
        articles = selectors.articles_by_author(self, author)
        context = self.get_context(request)
        context.update(
            selectors.listing(self, articles, request.GET.get("page"))
            | {"listing_title": author.name, "author": author, "listing_kind": "author"}
        )
        return TemplateResponse(request, "news/listing.html", context)


class SectionRoutes(FeedRoutes):
    @path("")
    def section_index(self, request):
        from . import selectors

        context = self.get_context(request)
        articles = selectors.section_articles(self)
        context.update(
            selectors.listing(
                self.get_parent(), articles, request.GET.get("page"), section=self
            )
        )
        return TemplateResponse(request, "news/section_page.html", context)
