"""News pages as shared documents, and the purges that keep them true.

Every published page a reader can reach (front page, sections, articles, their tag,
author and feed routes), the sitemaps and the 404 page are shared documents: the
same bytes for every anonymous reader, kept by the app's page cache and by Varnish
(newsroom.edge). Each names what it shows in surrogate keys:

- every page of a site: `site-<site>` (brand, menu, settings) and `network`;
- the front page, tag and author listings, feeds and sitemaps: `front-<site>`;
- a section's listing and feeds: `section-<section>`;
- an article's page: `article-<pk>` and `thread-<pk>` (its discussion); any page
  listing an article in a widget adds `article-<pk>` too.

A change to an article (published, edited, unpublished, moved, deleted) purges
`article-<pk>`, its site's `front-<site>` and its section's listing (the old one
too after a move); a change to a site, its settings, a section or a photo purges
the whole site, and a change to a redirect its front page's key (which a kept 404
page carries). New comments and votes purge nothing: shared pages are fresh for a
few seconds (NEWSROOM_SHARED_MAX_AGE) and live updates bring them to open pages.
"""

import functools

from wagtail.models import Site

from newsroom.edge import keys
from newsroom.edge.purge import purge


def site_keys(site) -> tuple:
    return (keys.site(site.pk), keys.NETWORK) if site else (keys.NETWORK,)


def share_page(page, request, serve_args, serve_kwargs):
    """Wagtail's before_serve_page hook: name what the page shows."""
    from .models import ArticlePage, HomePage, SectionPage

    site = Site.find_for_request(request)
    named = list(site_keys(site))
    if isinstance(page, ArticlePage):
        named += [keys.article(page.pk), keys.thread(page.pk)]
    elif isinstance(page, SectionPage):
        named.append(keys.section(page.pk))
    elif isinstance(page, HomePage) and site:
        named.append(front(site.pk))
    keys.share(request, *named)


def front(site_pk) -> str:
    return f"front-{site_pk}"


def shared(view):
    """A view of a site-wide document (sitemaps, robots.txt): shared, and purged
    with the site's front page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        site = Site.find_for_request(request)
        keys.share(request, *site_keys(site), *([front(site.pk)] if site else []))
        return view(request, *args, **kwargs)

    return wrapper


# -- purges --------------------------------------------------------------------


def _article_keys(page, parent=None) -> list:
    site = page.get_site()
    named = [keys.article(page.pk)]
    if site is not None:
        named.append(front(site.pk))
    parent = parent or page.get_parent()
    if parent is not None:
        named.append(keys.section(parent.pk))
    return named


def purge_page(sender=None, instance=None, **kwargs):
    """page_published / page_unpublished / post_delete of a page."""
    from .models import ArticlePage

    page = instance
    if page is None:
        return
    page = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if isinstance(page, ArticlePage):
        purge(*_article_keys(page))
    else:
        site = page.get_site()
        purge(keys.site(site.pk) if site else keys.NETWORK)


def purge_moved(sender=None, instance=None, parent_page_before=None, **kwargs):
    from .models import ArticlePage

    purge_page(instance=instance)
    if isinstance(instance.specific_deferred, ArticlePage) and parent_page_before:
        purge(keys.section(parent_page_before.pk))


def purge_redirect(sender=None, instance=None, **kwargs):
    """A redirect was saved or deleted: the answers kept for its old address (a 404
    page, or the redirect) carry its site's front page key."""
    site_pks = (
        [instance.site_id]
        if instance.site_id
        else Site.objects.values_list("pk", flat=True)
    )
    purge(*(front(pk) for pk in site_pks))


def purge_site(sender=None, instance=None, **kwargs):
    """A site, its settings, or a photo that may show anywhere changed."""
    site_id = getattr(instance, "site_id", None)
    if isinstance(instance, Site):
        purge(keys.site(instance.pk), keys.NETWORK)
    elif site_id:
        purge(keys.site(site_id))
    else:
        purge(*(keys.site(pk) for pk in Site.objects.values_list("pk", flat=True)))
