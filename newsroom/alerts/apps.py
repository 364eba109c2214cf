from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "newsroom.alerts"
    label = "alerts"
    verbose_name = "Alerts and notifications"

    def ready(self):
        from newsroom.accounts import parts
        from newsroom.scheduler import jobs as scheduler

        from . import checks, jobs, receivers  # noqa: F401  (registers checks, receivers)

        parts.register(
            parts.SETTINGS, parts.template_part("alerts/includes/settings_section.html")
        )
        scheduler.register(
            "alerts",
            jobs.run,
            "start digests, resume stalled alert sends, send notification summaries",
        )
