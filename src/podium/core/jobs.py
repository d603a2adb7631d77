"""Background jobs: a ``Job`` row users can watch, run by a Django task.

A job kind is a plain function registered with :func:`job_handler`; it receives a
:class:`JobContext` to report progress and returns a JSON-able result::

    @job_handler("programs.export")
    def export_program(ctx: JobContext, program_id: int) -> dict: ...

:func:`start_job` creates the row and queues the task once the surrounding transaction
commits. ``podium worker`` runs queued tasks in production; ``podium demo`` runs a worker
thread in its own process.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import task

from podium.core.models import Job

__all__ = [
    "INTERRUPTED",
    "JobContext",
    "JobFailed",
    "job_handler",
    "start_job",
    "start_worker_thread",
    "sweep_orphan_uploads",
    "sweep_stale_jobs",
]

logger = logging.getLogger(__name__)

Handler = Callable[..., Any]
_HANDLERS: dict[str, Handler] = {}


class JobFailed(Exception):
    """Raised by a handler for a failure the user can act on (bad input, refused change):
    its message is shown as it is, without a traceback in the log."""


class JobContext:
    """Handed to a job handler: report progress as the work goes on."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def progress(self, percent: float, message: str = "") -> None:
        percent = max(0, min(100, round(percent)))
        Job.objects.filter(pk=self.job.pk).update(
            progress=percent, message=message[:300], heartbeat_at=timezone.now()
        )


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        return func

    return register


def start_job(
    kind: str,
    *,
    user: Any,
    params: dict[str, Any],
    program_id: int | None = None,
    link: str = "",
) -> Job:
    if kind not in _HANDLERS:
        raise KeyError(f"no job handler registered for {kind!r}")
    job = Job.objects.create(
        kind=kind,
        params=params,
        program_id=program_id,
        link=link,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


@task()
def run_job(job_id: int) -> None:
    job = Job.objects.get(pk=job_id)
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now
    )
    try:
        result = _HANDLERS[job.kind](JobContext(job), **job.params)
    except JobFailed as exc:
        logger.info("job %s refused: %s", job, exc)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return
    except Exception as exc:
        logger.exception("job %s failed", job)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED, progress=100, result=result, finished_at=timezone.now()
    )


def start_worker_thread() -> threading.Thread:
    """Run the database task worker in a daemon thread of this process (for ``podium demo``)."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        interval=0.5,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="demo-in-process",
        excluded_queue_names=[],
    )
    thread = threading.Thread(target=worker.run, name="podium-worker", daemon=True)
    thread.start()
    return thread


INTERRUPTED = (
    "Interrupted: the worker running this job stopped before it finished. The operation "
    "is all or nothing, so nothing of it was stored; start it again."
)


def stale_after() -> dt.timedelta:
    """How long a running job may go without reporting progress before it is taken for
    dead: ``PODIUM_JOB_STALE_MINUTES`` (default 60)."""
    return dt.timedelta(minutes=float(getattr(settings, "PODIUM_JOB_STALE_MINUTES", 60)))


def sweep_stale_jobs(now: dt.datetime | None = None) -> int:
    """Mark running jobs that stopped beating as failed, so nobody waits on a job whose
    process was killed; return how many were marked."""
    now = now or timezone.now()
    return (
        Job.objects.filter(status=Job.Status.RUNNING)
        .annotate(beat=Coalesce("heartbeat_at", "started_at", "created_at"))
        .filter(beat__lt=now - stale_after())
        .update(status=Job.Status.FAILED, error=INTERRUPTED, finished_at=now)
    )


@job_handler("core.sweep")
def sweep(ctx: JobContext) -> dict[str, Any]:
    """The periodic clean-up after killed processes: stale running jobs, then (for
    schedule imports) uploads no queued or running job will read any more."""
    failed = sweep_stale_jobs()
    removed = sweep_orphan_uploads()
    return {"jobs_interrupted": failed, "uploads_removed": removed}


def sweep_orphan_uploads(now: dt.datetime | None = None) -> int:
    """Delete spooled uploads (``MEDIA_ROOT/imports``) older than the stale limit that no
    queued or running job refers to; return how many were deleted."""
    folder = Path(settings.MEDIA_ROOT) / "imports"
    if not folder.is_dir():
        return 0
    cutoff = (now or timezone.now()) - stale_after()
    wanted = {
        str(job.params.get("path", ""))
        for job in Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
    }
    removed = 0
    for upload in folder.iterdir():
        if not upload.is_file() or str(upload) in wanted:
            continue
        modified = dt.datetime.fromtimestamp(upload.stat().st_mtime, tz=dt.UTC)
        if modified < cutoff:
            upload.unlink(missing_ok=True)
            removed += 1
    return removed
