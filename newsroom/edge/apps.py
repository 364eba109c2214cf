from django.apps import AppConfig


class EdgeConfig(AppConfig):
    name = "newsroom.edge"
    label = "edge"
    verbose_name = "Edge and page cache"

    def ready(self):
        from . import checks  # noqa: F401  (registers the cache checks)
