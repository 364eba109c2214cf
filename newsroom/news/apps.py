from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "newsroom.news"
    label = "news"
    verbose_name = "News"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.contrib.redirects.models import Redirect
        from wagtail.models import PageViewRestriction, Site
        from wagtail.signals import (
            page_published,
            page_slug_changed,
            page_unpublished,
            post_page_move,
        )

        from .freshness import bump_content_version
        from .models import NewsImage, NewsSiteSettings

        for signal in (
            page_published,
            page_unpublished,
            post_page_move,
            page_slug_changed,
        ):
            signal.connect(
                bump_content_version, dispatch_uid=f"news-freshness-{id(signal)}"
            )
        # A redirect changes what an address answers (lookups.Reachable).
        watched = (Site, NewsSiteSettings, NewsImage, PageViewRestriction, Redirect)
        for model in watched:
            post_save.connect(
                bump_content_version, sender=model, dispatch_uid=f"news-save-{model}"
            )
        # Page subclasses send delete signals under their own class: filter by instance.
        post_delete.connect(
            _bump_on_delete, weak=False, dispatch_uid="news-freshness-delete"
        )
        self._connect_purges()
        from . import lookups

        lookups.connect()
        self._schedule()

    def _schedule(self):
        from newsroom.scheduler import jobs

        from .scheduler import publish_due

        jobs.register(
            "publish_scheduled",
            publish_due,
            "publish and unpublish pages whose set time has come",
        )

    def _connect_purges(self):
        """Shared pages showing what changed are purged (caching.py)."""
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import caching
        from .models import Author, NewsImage, NewsSiteSettings, WireAgency

        page_published.connect(caching.purge_page, dispatch_uid="news-purge-publish")
        page_unpublished.connect(
            caching.purge_page, dispatch_uid="news-purge-unpublish"
        )
        post_page_move.connect(caching.purge_moved, dispatch_uid="news-purge-move")
        for model in (Site, NewsSiteSettings, NewsImage, Author, WireAgency):
            post_save.connect(
                caching.purge_site, sender=model, dispatch_uid=f"news-purge-{model}"
            )
            post_delete.connect(
                caching.purge_site, sender=model, dispatch_uid=f"news-purge-del-{model}"
            )
        post_delete.connect(
            _purge_on_delete, weak=False, dispatch_uid="news-purge-delete"
        )
        from wagtail.contrib.redirects.models import Redirect

        post_save.connect(
            caching.purge_redirect, sender=Redirect, dispatch_uid="news-purge-redirect"
        )
        post_delete.connect(
            caching.purge_redirect,
            sender=Redirect,
            dispatch_uid="news-purge-redirect-del",
        )


def _bump_on_delete(sender, instance, **kwargs):
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.models import Page, PageViewRestriction, Site

    from .freshness import bump_content_version
    from .models import NewsImage, NewsSiteSettings

    watched = (Page, Site, NewsSiteSettings, NewsImage, PageViewRestriction, Redirect)
    if isinstance(instance, watched):
        bump_content_version()


def _purge_on_delete(sender, instance, **kwargs):
    from wagtail.models import Page

    from . import caching

    if isinstance(instance, Page) and instance.live:
        caching.purge_page(instance=instance)
