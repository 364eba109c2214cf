from django.apps import AppConfig


class SchedulerConfig(AppConfig):
    name = "newsroom.scheduler"
    label = "scheduler"
    verbose_name = "Scheduler"

    def ready(self):
        from . import checks  # noqa: F401  (registers the background tasks' checks)
