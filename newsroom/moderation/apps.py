from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "newsroom.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)
