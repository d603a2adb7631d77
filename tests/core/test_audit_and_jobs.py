"""The audit trail cannot be rewritten; background jobs report status, progress, result."""

from __future__ import annotations

from typing import Any

import pytest

from podium.core.jobs import JobContext, job_handler, start_job
from podium.core.models import AuditRecord, ImmutableError, Job
from tests.conftest import World


def test_audit_records_cannot_be_changed_or_deleted(world: World) -> None:
    record = AuditRecord.objects.first()
    assert record is not None
    record.note = "rewritten"
    with pytest.raises(ImmutableError):
        record.save()
    with pytest.raises(ImmutableError):
        record.delete()


def test_audit_record_carries_the_request_id(world: World, api_as: Any) -> None:
    response = api_as(world.pm).patch(
        "/programs/ALPHA", {"vision": "v2"}, **{"X-Request-ID": "req-123"}
    )
    assert response["X-Request-ID"] == "req-123"
    assert AuditRecord.objects.filter(action="update").latest("id").request_id == "req-123"


def test_export_job_runs_and_reports_progress_and_result(
    world: World, api_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = api_as(world.pm)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/programs/ALPHA/exports")
    assert started.status_code == 202
    job = client.get(f"/jobs/{started.json()['id']}").json()
    assert job["status"] == "succeeded" and job["progress"] == 100
    assert job["result"]["program"]["code"] == "ALPHA"
    components = job["result"]["rows"]["programs.component"]
    assert [c["fields"]["code"] for c in components] == ["C1"]
    # someone else's job is invisible
    assert api_as(world.cm).get(f"/jobs/{started.json()['id']}").status_code == 404


def test_failing_job_is_marked_failed_with_the_error(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    @job_handler("tests.boom")
    def boom(ctx: JobContext, n: int) -> None:
        ctx.progress(40, "halfway")
        raise ValueError(f"cannot handle {n}")

    with django_capture_on_commit_callbacks(execute=True):
        job = start_job("tests.boom", user=None, params={"n": 3})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.progress == 40 and job.message == "halfway"
    assert "cannot handle 3" in job.error
