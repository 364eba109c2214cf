from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "newsroom.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from newsroom.comments import links

        from . import receivers  # noqa: F401  (connects the signal receivers)

        links.register("moderation/includes/report_link.html")  # a comment's Report
