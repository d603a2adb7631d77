"""The scheduler starts each periodic job once per interval, and again when it has passed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from podium.core import periodic
from podium.core.jobs import JobContext, job_handler
from podium.core.models import Job, PeriodicRun

CALLS: list[str] = []


@job_handler("tests.periodic")
def _periodic_job(ctx: JobContext) -> dict[str, Any]:
    CALLS.append("ran")
    return {"ok": True}


@pytest.fixture
def only_test_job(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(periodic, "_PERIODIC", {})
    periodic.register_periodic("tests.periodic", every=dt.timedelta(hours=1))


@pytest.mark.django_db
def test_a_due_job_starts_once_per_interval(only_test_job: None) -> None:
    now = timezone.now()
    first = periodic.tick(now)
    assert [job.kind for job in first] == ["tests.periodic"]
    # Within the interval nothing more starts, even if the scheduler ticks again.
    assert periodic.tick(now + dt.timedelta(minutes=59)) == []
    again = periodic.tick(now + dt.timedelta(minutes=61))
    assert [job.kind for job in again] == ["tests.periodic"]
    assert Job.objects.filter(kind="tests.periodic").count() == 2
    run = PeriodicRun.objects.get(name="tests.periodic")
    assert run.last_job_id == again[0].pk


def test_an_interval_must_be_positive() -> None:
    with pytest.raises(ValueError):
        periodic.register_periodic("tests.never", every=dt.timedelta(0))


def test_the_digest_is_registered_daily() -> None:
    kinds = {p.kind: p.every for p in periodic.periodic_jobs()}
    assert kinds["notifications.digest"] == dt.timedelta(days=1)
