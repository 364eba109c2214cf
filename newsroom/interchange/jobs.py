"""Imports started from the admin: the upload is kept in the data directory and
run by the task worker, which writes its progress and report on the ImportJob the
editor is watching."""

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import importer
from .models import ImportJob
from .sources import ImportFileError

logger = logging.getLogger(__name__)


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep_upload(upload) -> Path:
    """Write an uploaded export to the data directory (never to public media)."""
    path = upload_dir() / f"{uuid.uuid4().hex}.xml"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def start(**fields) -> ImportJob:
    """Record an import and queue it for the task worker."""
    from .tasks import run_import

    job = ImportJob.objects.create(**fields)
    run_import.enqueue(job.pk)
    job.refresh_from_db()  # the immediate backend has run it already
    return job


def run_job(job_id: int) -> str:
    job = ImportJob.objects.select_related("site").get(pk=job_id)
    if job.status != ImportJob.Status.WAITING:
        return f"job {job_id} was {job.status} already"
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)

    def progress(stage, done, total, elapsed):
        ImportJob.objects.filter(pk=job.pk).update(stage=stage, done=done, total=total)

    section = job.stubs_section.specific if job.stubs_section else None
    try:
        report = importer.run(
            Path(job.path),
            job.site,
            hostnames=job.hostnames,
            stubs_section=section,
            dry_run=job.dry_run,
            progress=progress,
        )
    except ImportFileError as error:
        _finish(job, status=ImportJob.Status.FAILED, error=str(error))
        return "refused"
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        _finish(
            job,
            status=ImportJob.Status.FAILED,
            error="The import stopped on an unexpected error; the site's log has "
            "the details. What was imported is kept: run it again to continue.",
        )
        raise
    _finish(job, status=ImportJob.Status.DONE, report=report.as_dict())
    return "done"


def _finish(job, **fields) -> None:
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now(), **fields)
    if fields.get("status") == ImportJob.Status.DONE and not job.dry_run:
        Path(job.path).unlink(missing_ok=True)  # imported: nobody needs it again
