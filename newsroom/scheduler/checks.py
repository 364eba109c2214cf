"""System checks for where background tasks run (NEWSROOM_TASKS).

settings.py runs tasks at once when NEWSROOM_TASKS asks for something that cannot
work, so that the site and `manage.py check` start; these checks say what to fix.
docs/configuration.md lists every check id.
"""

from django.conf import settings
from django.core import checks

TASKS_DOC = "docs/configuration.md, Background tasks"


@checks.register("newsroom")
def check_tasks_backend(app_configs, **kwargs):
    """NEWSROOM_TASKS names a backend, and the redis one has a Redis to queue in."""
    asked = settings.NEWSROOM_TASKS
    if asked not in settings.TASK_BACKENDS:
        return [
            checks.Error(
                f"NEWSROOM_TASKS must be one of {', '.join(settings.TASK_BACKENDS)}, "
                f"not {asked!r}; tasks run at once in the meantime.",
                hint=f"Set NEWSROOM_TASKS to database (or redis, or immediate on a "
                f"laptop); see {TASKS_DOC}.",
                id="newsroom.E001",
            )
        ]
    if asked == "redis" and not settings.REDIS_URL:
        return [
            checks.Error(
                "NEWSROOM_TASKS=redis needs REDIS_URL, which is empty; tasks run at "
                "once in the meantime.",
                hint="Set REDIS_URL to the Redis that queues the tasks "
                "(redis://127.0.0.1:6379/0), or set NEWSROOM_TASKS=database.",
                id="newsroom.E002",
            )
        ]
    return []


@checks.register("newsroom", deploy=True)
def check_tasks_leave_the_request(app_configs, **kwargs):
    """On a server, tasks (alert emails above all) must not run inside a request."""
    if settings.NEWSROOM_TASKS != "immediate":
        return []
    return [
        checks.Warning(
            "Background tasks run at once, inside the request that queues them "
            "(NEWSROOM_TASKS is immediate): an editor's publish waits for every "
            "breaking-alert email to go out.",
            hint="Set NEWSROOM_TASKS=database (or redis) and run a task worker "
            "(docs/deployment.md, The task worker).",
            id="newsroom.W001",
        )
    ]
