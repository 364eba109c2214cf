from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "newsroom.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self):
        from newsroom.accounts import parts
        from newsroom.edge import overlay
        from newsroom.news import listings, slots

        from . import receivers  # noqa: F401  (connects the signal receivers)
        from .overlay import thread_part
        from .selectors import with_comment_counts
        from .views import article_discussion, reader_comments

        overlay.register(thread_part)
        listings.register(with_comment_counts)  # the cards' "N comments"
        parts.register(parts.PROFILE, reader_comments)
        slots.register(
            slots.ARTICLE_META, "comments/includes/count_link.html", article_discussion
        )
        slots.register(
            slots.ARTICLE_END, "comments/discussion.html", article_discussion
        )
        self._schedule()

    def _schedule(self):
        from newsroom.scheduler import jobs as scheduler

        from . import jobs

        scheduler.register(
            "prune_live_events",
            jobs.run,
            "forget live-update events older than a reconnecting reader asks for",
        )
