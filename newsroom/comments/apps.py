from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "newsroom.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self):
        from newsroom.edge import overlay

        from . import receivers  # noqa: F401  (connects the signal receivers)
        from .overlay import thread_part

        overlay.register(thread_part)
