"""The API's file uploads refuse hostile files: a 4xx with a JSON error naming the
problem, < 1 s, < 50 MB of memory (tracemalloc peak), nothing stored, no file kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model

from podium.core.models import AuditRecord
from podium.feedback.models import FeedbackItem
from podium.finance.models import ActualCost, CostImport
from tests.conftest import World
from tests.finance.conftest import budget  # noqa: F401  (fixture)
from tests.hostile.cases import Case, csv_cases
from tests.hostile.measure import MAX_GROWTH_MB, MAX_SECONDS, listener, measure

ENDPOINTS = {
    "finance": (
        "/api/v1/programs/ALPHA/actual-costs/import",
        "date,cost account,amount",
        (ActualCost, CostImport),
        5 * 2**20,
    ),
    "feedback": (
        "/api/v1/programs/ALPHA/feedback/import",
        "text,category",
        (FeedbackItem,),
        5 * 2**20,
    ),
}
OVERSIZE = Case("oversize", "data.csv", lambda _: b"", "larger than 5 MB")


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _counts(models: tuple[type[Model], ...]) -> list[int]:
    everything: list[type[Model]] = [*models, AuditRecord]
    return [m._default_manager.count() for m in everything]


CASES = [
    (endpoint, case)
    for endpoint, (_, header, _, _) in ENDPOINTS.items()
    for case in [*csv_cases(header), OVERSIZE]
]


@pytest.mark.parametrize(("endpoint", "case"), CASES, ids=[f"{e}-{c.id}" for e, c in CASES])
def test_upload_refused(
    world: World,
    budget: Any,  # noqa: F811
    api_as: Any,
    settings: Any,
    tmp_path: Path,
    record: Callable[..., None],
    endpoint: str,
    case: Case,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    url, _, models, limit = ENDPOINTS[endpoint]
    client = api_as(world.pm)
    before = _counts(models)
    with listener() as port:
        data = case.build(port.port) if case is not OVERSIZE else b"x" * (limit + 1)

        def post() -> Any:
            upload = SimpleUploadedFile(case.filename, data, content_type="text/csv")
            return client.client.post(url, {"file": upload}, headers=client.headers)

        got = measure(post)
    assert got.error is None, got.error
    response = got.result
    assert 400 <= response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    text = f"{body['detail']} {body.get('errors', '')}"
    assert case.says.lower() in text.lower(), text
    assert "Traceback" not in text
    assert got.seconds < MAX_SECONDS, got
    assert got.peak_mb < MAX_GROWTH_MB, got
    assert port.connections == 0
    assert _counts(models) == before
    assert _files(settings.MEDIA_ROOT) == []
    record(f"API {endpoint}", case.id, got.seconds, got.peak_mb)
