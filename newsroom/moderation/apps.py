from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "newsroom.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from newsroom.comments import links

        from . import checks, receivers  # noqa: F401  (registers checks, receivers)

        links.register("moderation/includes/report_link.html")  # a comment's Report
