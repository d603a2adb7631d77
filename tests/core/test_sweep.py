"""After a kill -9 a job stays "running" and its spooled upload stays on disk; the
periodic sweep marks such a job failed (the page says what happened) and deletes the
upload, and leaves live jobs and files that are still wanted alone."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from podium.core import periodic
from podium.core.jobs import INTERRUPTED, run_job, start_job
from podium.core.models import Job
from tests.conftest import World


def _job(status: str, beat_minutes_ago: float | None, **params: Any) -> Job:
    now = timezone.now()
    beat = None if beat_minutes_ago is None else now - dt.timedelta(minutes=beat_minutes_ago)
    return Job.objects.create(
        kind="schedule.import", status=status, params=params,
        started_at=now - dt.timedelta(hours=3), heartbeat_at=beat,
    )  # fmt: skip


@pytest.mark.django_db
def test_only_silent_running_jobs_are_marked_interrupted(settings: Any) -> None:
    settings.PODIUM_JOB_STALE_MINUTES = 60
    dead = _job(Job.Status.RUNNING, beat_minutes_ago=90)
    alive = _job(Job.Status.RUNNING, beat_minutes_ago=5)
    queued = _job(Job.Status.QUEUED, beat_minutes_ago=None)
    done = _job(Job.Status.SUCCEEDED, beat_minutes_ago=600)

    job = start_job("core.sweep", user=None, params={})
    run_job.call(job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"jobs_interrupted": 1, "uploads_removed": 0}
    statuses = {j.pk: j.status for j in Job.objects.all()}
    assert statuses[dead.pk] == Job.Status.FAILED
    assert statuses[alive.pk] == Job.Status.RUNNING
    assert statuses[queued.pk] == Job.Status.QUEUED
    assert statuses[done.pk] == Job.Status.SUCCEEDED
    dead.refresh_from_db()
    assert dead.error == INTERRUPTED and dead.finished_at is not None


def test_the_job_page_says_the_job_was_interrupted(world: World, settings: Any) -> None:
    dead = _job(Job.Status.RUNNING, beat_minutes_ago=120)
    Job.objects.filter(pk=dead.pk).update(created_by=world.pm, program_id=world.alpha.pk)
    job = start_job("core.sweep", user=None, params={})
    run_job.call(job.pk)
    browser = Client()
    browser.force_login(world.pm)
    page = browser.get(f"/jobs/{dead.pk}/").content.decode()
    assert "failed" in page
    assert "Interrupted: the worker running this job stopped" in page


@pytest.mark.django_db
def test_progress_keeps_a_long_job_alive(settings: Any) -> None:
    from podium.core.jobs import JobContext, sweep_stale_jobs

    settings.PODIUM_JOB_STALE_MINUTES = 60
    long_job = _job(Job.Status.RUNNING, beat_minutes_ago=59)
    JobContext(long_job).progress(50, "half way")  # beats now
    assert sweep_stale_jobs(timezone.now() + dt.timedelta(minutes=30)) == 0
    assert sweep_stale_jobs(timezone.now() + dt.timedelta(minutes=61)) == 1


@pytest.mark.django_db
def test_orphan_uploads_go_and_wanted_ones_stay(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    folder = tmp_path / "imports"
    folder.mkdir()
    old = timezone.now().timestamp() - 3 * 3600
    orphan, wanted, fresh = (folder / n for n in ("orphan.xer", "wanted.xer", "fresh.xer"))
    for f in (orphan, wanted, fresh):
        f.write_bytes(b"ERMHDR")
    for f in (orphan, wanted):
        os.utime(f, (old, old))
    _job(Job.Status.QUEUED, beat_minutes_ago=None, path=str(wanted))

    job = start_job("core.sweep", user=None, params={})
    run_job.call(job.pk)

    job.refresh_from_db()
    assert job.result == {"jobs_interrupted": 0, "uploads_removed": 1}
    assert sorted(p.name for p in folder.iterdir()) == ["fresh.xer", "wanted.xer"]


def test_the_sweep_is_a_periodic_job() -> None:
    kinds = {p.kind: p.every for p in periodic.periodic_jobs()}
    assert kinds["core.sweep"] == dt.timedelta(minutes=15)
