"""Background tasks (django-tasks): an import started from the admin."""

from django_tasks import task


@task()
def run_import(job_id: int) -> str:
    from .jobs import run_job

    return run_job(job_id)
