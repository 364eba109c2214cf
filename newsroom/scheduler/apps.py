from django.apps import AppConfig


class SchedulerConfig(AppConfig):
    name = "newsroom.scheduler"
    label = "scheduler"
    verbose_name = "Scheduler"
