"""RSS 2.0 and Atom feeds for a whole site or one section."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from wagtail.models import Site


class RssArticleFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, scope):
        self.request = request
        self.site = Site.find_for_request(request)
        return scope

    def title(self, scope):
        site_name = self.site.site_name if self.site else scope.title
        if scope.specific_class.__name__ == "SectionPage":
            return f"{site_name}: {scope.title}"
        return site_name

    def link(self, scope):
        return scope.get_url(self.request)

    def description(self, scope):
        fallback = _("The latest from %(source)s.") % {"source": self.title(scope)}
        return scope.specific.description or fallback

    def items(self, scope):
        from .selectors import feed_articles

        return feed_articles(scope)

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.standfirst

    def item_link(self, article):
        return article.get_url(self.request)

    def item_guid(self, article):
        return article.get_full_url(self.request)

    item_guid_is_permalink = True

    def item_pubdate(self, article):
        return article.first_published_at

    def item_updateddate(self, article):
        return article.modified_at

    def item_author_name(self, article):
        names = [link.author.name for link in article.article_authors.all()]
        return ", ".join(names) or None

    def item_categories(self, article):
        return [tag.name for tag in article.tags.all()]


class AtomArticleFeed(RssArticleFeed):
    feed_type = Atom1Feed

    def subtitle(self, scope):
        return self.description(scope)
