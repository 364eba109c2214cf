"""The project's scheduled jobs: a registry the apps fill, run by `run_scheduler`.

The scheduler belongs to no app. Each app registers what must happen every pass
from its `AppConfig.ready()`:

    from newsroom.scheduler import jobs
    jobs.register("trending", trending_jobs.run, "flush read counts, ...")

A job is called with the pass's time and returns a line to log ("" when it had
nothing to do). Jobs run in the order they were registered, which is the order of
INSTALLED_APPS (publishing comes before the alerts it may trigger). A failing job
is logged and does not stop the others; the next pass runs it again, so a job must
be safe to repeat (every job here works from the database's state, not from what
the previous pass did).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable  # (now) -> str
    description: str


@dataclass(frozen=True)
class Outcome:
    job: Job
    line: str = ""
    error: BaseException | None = None


_registry: dict[str, Job] = {}


def register(name: str, run: Callable, description: str) -> None:
    """Add a job to every pass; registering a name again replaces its job."""
    _registry[name] = Job(name, run, description)


def registered() -> list[Job]:
    return list(_registry.values())


def run_pass(now=None) -> list[Outcome]:
    """Run every job once; a failure is logged and kept in its outcome."""
    now = now or timezone.now()
    outcomes = []
    for job in registered():
        try:
            line = job.run(now) or ""
        except Exception as error:
            logger.exception("The scheduled job %r failed", job.name)
            outcomes.append(Outcome(job, error=error))
        else:
            outcomes.append(Outcome(job, line=line))
    return outcomes
