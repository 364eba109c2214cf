from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "newsroom.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self):
        from newsroom.accounts import parts
        from newsroom.edge import overlay
        from newsroom.news import listings, slots
        from newsroom.news.models import ArticlePage

        from . import pages, receivers  # noqa: F401  (receivers: connects them)
        from .overlay import thread_part
        from .selectors import with_comment_counts
        from .views import article_discussion, reader_comments

        pages.register(ArticlePage)  # an article carries its discussion
        overlay.register(thread_part)
        listings.register(with_comment_counts)  # the cards' "N comments"
        parts.register(parts.PROFILE, reader_comments)
        slots.register(
            slots.ARTICLE_META, "comments/includes/count_link.html", article_discussion
        )
        slots.register(
            slots.ARTICLE_END, "comments/includes/discussion.html", article_discussion
        )
        self._answer_in_api()
        self._schedule()

    def _answer_in_api(self):
        """Comments' fields in the API's articles and readers (rest.additions)."""
        from newsroom.accounts import api as accounts_api
        from newsroom.news import api as news_api

        from . import api

        news_api.summary_fields.register(api.article_comments)
        news_api.article_fields.register(api.article_comments_closed)
        accounts_api.profile_fields.register(api.reader_comments)

    def _schedule(self):
        from newsroom.scheduler import jobs as scheduler

        from . import jobs

        scheduler.register(
            "prune_live_events",
            jobs.run,
            "forget live-update events older than a reconnecting reader asks for, "
            "and old votes' network and browser hashes",
        )
