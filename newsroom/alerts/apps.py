from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "newsroom.alerts"
    label = "alerts"
    verbose_name = "Alerts and notifications"

    def ready(self):
        from newsroom.accounts import api as accounts_api
        from newsroom.accounts import parts
        from newsroom.scheduler import jobs as scheduler

        from . import breaking, checks, jobs, receivers  # noqa: F401  (checks, receivers)
        from .api import unread_notifications

        breaking.register()  # the article's "Send as breaking alert" switch

        parts.register(
            parts.SETTINGS, parts.template_part("alerts/includes/settings_section.html")
        )
        accounts_api.me_fields.register(unread_notifications)  # `/me`'s unread count
        scheduler.register(
            "alerts",
            jobs.run,
            "start digests, resume stalled alert sends, send notification summaries",
        )
