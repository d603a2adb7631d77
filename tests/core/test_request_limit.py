"""A request body larger than any upload Podium accepts is answered 413 before it is
read: the API with a JSON error, pages with a one-line message, and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from podium.core.models import AuditRecord
from podium.feedback.models import FeedbackItem
from tests.conftest import World

GIB = 2**30


@pytest.fixture
def small_limit(settings: Any) -> None:
    settings.PODIUM_MAX_IMPORT_MB = 1  # so the largest body accepted is 2 MB


def test_an_api_upload_claiming_gigabytes_is_refused_unread(
    world: World, api_as: Any, small_limit: None
) -> None:
    client = api_as(world.pm)
    before = (FeedbackItem.objects.count(), AuditRecord.objects.count())
    response = client.client.generic(
        "POST",
        "/api/v1/programs/ALPHA/feedback/import",
        b"channel,text\n",
        content_type="text/csv",
        headers=client.headers,
        CONTENT_LENGTH=str(5 * GIB),
    )
    assert response.status_code == 413
    assert "5120.0 MB" in response.json()["detail"]
    assert "PODIUM_MAX_IMPORT_MB" in response.json()["detail"]
    assert (FeedbackItem.objects.count(), AuditRecord.objects.count()) == before


def test_a_page_upload_over_the_limit_gets_a_one_line_answer(
    world: World, small_limit: None
) -> None:
    browser = Client()
    browser.force_login(world.pm)
    response = browser.post(
        "/programs/ALPHA/schedule/import/",
        {"file": b"x" * (3 * 2**20)},
    )
    assert response.status_code == 413
    text = response.content.decode()
    assert text.count("\n") == 0 and "largest accepted is 2 MB" in text


def test_a_body_within_the_limit_reaches_the_view(world: World, api_as: Any) -> None:
    # 10 kB of description: far below the limit, so the API answers as usual.
    response = api_as(world.pm).patch(f"/components/{world.comp.pk}", {"description": "d" * 10_000})
    assert response.status_code == 200
    assert response.json()["description"] == "d" * 10_000


def test_text_with_the_nul_character_is_refused_by_name(world: World, api_as: Any) -> None:
    client = api_as(world.pm)
    before = AuditRecord.objects.count()
    body = client.post("/programs/ALPHA/goals", {"title": "Open\x00ward", "description": "x"})
    assert body.status_code == 422
    assert body.json()["errors"] == {"title": ["text may not contain the NUL character"]}
    query = client.get("/programs/ALPHA/risks?q=a%00b")
    assert query.status_code in (200, 422)  # 422 where the operation reads ``q``
    path = client.get("/programs/AL%00PHA")
    assert path.status_code == 404
    page = Client()
    page.force_login(world.pm)
    assert page.get("/programs/ALPHA/risks/?q=a%00b").status_code == 400
    assert AuditRecord.objects.count() == before


def test_a_time_zone_offset_past_fifteen_hours_is_stored_as_its_instant(
    world: World, api_as: Any
) -> None:
    # ISO 8601 allows offsets to 23:59, PostgreSQL to 15:59: stored as UTC on both.
    response = api_as(world.pm).post(
        "/programs/ALPHA/meetings",
        {"kind": "coordination", "title": "Late call", "starts_at": "2026-05-04T22:09:56-20:35"},
    )
    assert response.status_code == 201, response.content
    starts = response.json()["starts_at"]
    assert starts.startswith("2026-05-05T18:44:56")
