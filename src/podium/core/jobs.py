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

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from podium.core.models import Job

__all__ = ["JobContext", "JobFailed", "job_handler", "start_job", "start_worker_thread"]

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
        Job.objects.filter(pk=self.job.pk).update(progress=percent, message=message[:300])


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
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, started_at=timezone.now())
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
