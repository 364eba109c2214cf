from django.apps import AppConfig


class RateLimitConfig(AppConfig):
    name = "newsroom.ratelimit"
    label = "ratelimit"
    verbose_name = "Rate limits"

    def ready(self):
        from newsroom.scheduler import jobs as scheduler

        from . import checks, jobs  # noqa: F401  (checks registers the proxies' check)

        scheduler.register(
            "prune_rate_limits",
            jobs.run,
            "forget rate-limit windows that have ended",
        )
