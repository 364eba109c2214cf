from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "newsroom.demo"
    label = "demo"
    verbose_name = "Demo network"

    def ready(self):
        from . import checks  # noqa: F401  (registers the checks)
