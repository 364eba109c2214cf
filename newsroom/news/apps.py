from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "newsroom.news"
    label = "news"
    verbose_name = "News"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, Site
        from wagtail.signals import (
            page_published,
            page_slug_changed,
            page_unpublished,
            post_page_move,
        )

        from .freshness import bump_content_version
        from .models import NewsSiteSettings

        for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
            signal.connect(bump_content_version, dispatch_uid=f"news-freshness-{signal!r}")
        for model in (Site, NewsSiteSettings):
            post_save.connect(bump_content_version, sender=model, dispatch_uid=f"news-save-{model}")
        # Page subclasses send delete signals under their own class: filter by instance.
        post_delete.connect(
            lambda instance, **kw: (
                isinstance(instance, (Page, Site, NewsSiteSettings)) and bump_content_version()
            ),
            weak=False,
            dispatch_uid="news-freshness-delete",
        )
