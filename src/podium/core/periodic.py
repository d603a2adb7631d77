"""Periodic jobs: digests and scheduled reports, started by the worker's scheduler.

An app registers a job kind (:func:`podium.core.jobs.job_handler`) and how often it runs::

    register_periodic("notifications.digest", every=dt.timedelta(days=1))

:func:`tick` starts every registered job whose interval has passed since it last started
(a :class:`~podium.core.models.PeriodicRun` row per job, locked while it is checked, so two
schedulers never start the same run twice). ``podium worker`` calls it once a minute;
``podium tick`` calls it once, for installations that prefer cron.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from podium.core.jobs import start_job
from podium.core.models import Job, PeriodicRun

__all__ = ["Periodic", "periodic_jobs", "register_periodic", "start_scheduler_thread", "tick"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    kind: str
    every: dt.timedelta


_PERIODIC: dict[str, Periodic] = {}


def register_periodic(kind: str, *, every: dt.timedelta) -> None:
    if every <= dt.timedelta(0):
        raise ValueError("a periodic job needs a positive interval")
    _PERIODIC[kind] = Periodic(kind, every)


def periodic_jobs() -> list[Periodic]:
    return sorted(_PERIODIC.values(), key=lambda p: p.kind)


def tick(now: dt.datetime | None = None) -> list[Job]:
    """Start the periodic jobs that are due; return the jobs started."""
    now = now or timezone.now()
    started: list[Job] = []
    for periodic in periodic_jobs():
        with transaction.atomic():
            run = PeriodicRun.objects.select_for_update().filter(name=periodic.kind).first()
            if run is not None and now - run.last_started_at < periodic.every:
                continue
            job = start_job(periodic.kind, user=None, params={})
            if run is None:
                PeriodicRun.objects.create(name=periodic.kind, last_started_at=now, last_job=job)
            else:
                run.last_started_at = now
                run.last_job = job
                run.save(update_fields=["last_started_at", "last_job"])
            started.append(job)
    return started


def _loop(interval: float, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            tick()
        except Exception:  # the scheduler must outlive one failed tick
            logger.exception("periodic scheduler tick failed")
        stop.wait(interval)


def start_scheduler_thread(interval: float = 60.0) -> tuple[threading.Thread, threading.Event]:
    """Run :func:`tick` every ``interval`` seconds in a daemon thread."""
    stop = threading.Event()
    thread = threading.Thread(
        target=_loop, args=(interval, stop), name="podium-scheduler", daemon=True
    )
    thread.start()
    return thread, stop
