"""The web pages' file uploads refuse hostile files: a message or form error naming the
problem, < 1 s, < 50 MB of memory (tracemalloc peak), nothing stored, no file kept.

The schedule import stores the upload and reads it in a background job: the workbook
checks (zip bomb, parts, DTD) run before anything is stored, the rest in the job, which
fails with a one-line error and deletes the upload. Jobs run at commit here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client

from podium.core.models import AuditRecord, Job
from podium.feedback.models import FeedbackItem
from podium.finance.models import ActualCost, CostImport
from podium.programs.models import Component
from podium.schedule.models import Activity, Calendar, Link
from podium.stakeholders.models import Stakeholder
from tests.conftest import World
from tests.finance.conftest import budget  # noqa: F401  (fixture)
from tests.hostile.cases import SCHEDULE_FILES, Case, csv_cases
from tests.hostile.measure import MAX_GROWTH_MB, MAX_SECONDS, listener, measure

OVERSIZE = Case("oversize", "plan.xer", lambda _: b"", "at most 1 MB")


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _counts(models: tuple[type[Model], ...]) -> list[int]:
    everything: list[type[Model]] = [*models, AuditRecord]
    return [m._default_manager.count() for m in everything]


def _said(response: Any) -> str:
    """The page's messages, its form errors, and the failed jobs' errors."""
    parts = [str(m) for m in get_messages(response.wsgi_request)]
    form = (response.context or {}).get("form") if hasattr(response, "context") else None
    if form is not None:
        parts += [str(e) for errors in form.errors.values() for e in errors]
    return " | ".join(parts)


@pytest.mark.parametrize("case", [*SCHEDULE_FILES, OVERSIZE], ids=lambda c: c.id)
def test_schedule_import(
    world: World,
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
    record: Callable[..., None],
    case: Case,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    if case is OVERSIZE:
        settings.PODIUM_MAX_IMPORT_MB = 1
    client = Client()
    client.force_login(world.pm)
    models = (Component, Activity, Link, Calendar)
    before, jobs = _counts(models), set(Job.objects.values_list("pk", flat=True))
    with listener() as port:
        data = case.build(port.port) if case is not OVERSIZE else b"x" * (2**20 + 1)

        def post() -> Any:
            upload = SimpleUploadedFile(case.filename, data)
            with django_capture_on_commit_callbacks(execute=True):
                return client.post("/programs/ALPHA/schedule/import/", {"file": upload})

        got = measure(post)
    assert got.error is None, got.error
    failed = Job.objects.exclude(pk__in=jobs)
    said = _said(got.result) + " | ".join(failed.values_list("error", flat=True))
    assert all(j.status == Job.Status.FAILED for j in failed)
    assert all("\n" not in j.error and j.error.startswith("Nothing imported") for j in failed)
    assert case.says.lower() in said.lower(), said
    assert got.seconds < MAX_SECONDS, got
    assert got.peak_mb < MAX_GROWTH_MB, got
    assert port.connections == 0
    assert _counts(models) == before
    assert _files(settings.MEDIA_ROOT) == []
    where = "job" if failed.exists() else "page"
    record(f"page schedule import ({where})", case.id, got.seconds, got.peak_mb)


PAGES = {
    "stakeholders": ("/programs/ALPHA/stakeholders/import/", "name,kind", (Stakeholder,), 2),
    "feedback": ("/programs/ALPHA/feedback/import/", "text,category", (FeedbackItem,), 5),
    "finance": ("/programs/ALPHA/costs/import/", "date,cost account,amount",
                (ActualCost, CostImport), 5),
}  # fmt: skip
CSV_PAGES = [
    (page, case)
    for page, (_, header, _, mb) in PAGES.items()
    for case in [*csv_cases(header), Case("oversize", "data.csv", lambda _: b"", f"{mb} MB")]
]


@pytest.mark.parametrize(("page", "case"), CSV_PAGES, ids=[f"{p}-{c.id}" for p, c in CSV_PAGES])
def test_csv_import_page(
    world: World,
    budget: Any,  # noqa: F811
    settings: Any,
    tmp_path: Path,
    record: Callable[..., None],
    page: str,
    case: Case,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    url, _, models, mb = PAGES[page]
    client = Client()
    client.force_login(world.pm)
    before = _counts(models)
    data = case.build(0) if case.id != "oversize" else b"x" * (mb * 2**20 + 1)

    def post() -> Any:
        return client.post(url, {"file": SimpleUploadedFile(case.filename, data)})

    got = measure(post)
    assert got.error is None, got.error
    assert got.result.status_code in (200, 302)
    said = _said(got.result)
    assert said and case.says.lower() in said.lower(), said
    assert got.seconds < MAX_SECONDS, got
    assert got.peak_mb < MAX_GROWTH_MB, got
    assert _counts(models) == before
    assert _files(settings.MEDIA_ROOT) == []
    record(f"page {page} import", case.id, got.seconds, got.peak_mb)
