from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "newsroom.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)
