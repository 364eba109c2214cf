from django.apps import AppConfig


class WireConfig(AppConfig):
    name = "newsroom.wire"
    label = "wire"
    verbose_name = "Wire"

    def ready(self):
        from newsroom.scheduler import jobs as scheduler

        from . import jobs

        scheduler.register(
            "wire", jobs.poll_due, "poll the agencies' wire feeds that are due"
        )
