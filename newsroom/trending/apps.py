from django.apps import AppConfig


class TrendingConfig(AppConfig):
    name = "newsroom.trending"
    label = "trending"
    verbose_name = "Trending"

    def ready(self):
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .receivers import forget_article

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(forget_article, dispatch_uid="trending-forget-article")

        from newsroom.news import slots
        from newsroom.scheduler import jobs as scheduler

        from . import jobs

        slots.register(slots.ARTICLE_END, "trending/includes/article_end.html")
        slots.register(slots.RAIL, "trending/includes/rail.html")
        scheduler.register(
            "trending", jobs.run, "flush read counts and recompute the trending lists"
        )
