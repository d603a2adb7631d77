"""API of monitoring figures and "you said, we did" reports (needs
``podium.feedback.views_reports.api_router`` mounted under the feedback router)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from podium.feedback.models import FeedbackItem, PublishedReport
from tests.conftest import World


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=dt.UTC)


@pytest.fixture
def items(world: World) -> World:
    a = world.alpha
    FeedbackItem.objects.create(
        program=a,
        submitted_by=world.stakeholder,
        text="The café closes too early.",
        state="closed",
        submitted_at=at("2026-03-02"),
        acknowledged_at=at("2026-03-03"),
        implemented_at=at("2026-03-05"),
        verified_at=at("2026-03-06"),
        closed_at=at("2026-03-09"),
        rating=3,
        group="Visitors",
    )
    FeedbackItem.objects.create(
        program=a,
        text="Open more beds.",
        state="declined",
        submitted_at=at("2026-03-02"),
        declined_at=at("2026-03-04"),
        declined_reason="No budget this year.",
    )
    FeedbackItem.objects.create(
        program=world.beta,
        text="Beta secret.",
        state="closed",
        submitted_at=at("2026-03-02"),
        closed_at=at("2026-03-03"),
    )
    return world


def test_monitoring_api(items: World, api_as: Any) -> None:
    answer = api_as(items.team).get("/programs/ALPHA/feedback/monitoring?months=12")
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"figures", "by_group", "by_component", "health"}
    assert body["health"]["rag"] in {"red", "amber", "green"} and body["health"]["rule"]
    assert api_as(items.team).get("/programs/ALPHA/feedback/monitoring?months=5").status_code == 422
    assert api_as(items.stakeholder).get("/programs/ALPHA/feedback/monitoring").status_code == 403
    assert api_as(items.outsider).get("/programs/ALPHA/feedback/monitoring").status_code == 404


def test_report_api_and_publish(items: World, api_as: Any) -> None:
    stakeholder, pm = api_as(items.stakeholder), api_as(items.pm)
    assert stakeholder.get("/programs/ALPHA/feedback/reports/2026-03").status_code == 404
    draft = pm.get("/programs/ALPHA/feedback/reports/2026-03")
    assert draft.status_code == 200 and draft.json()["published"] is False
    assert pm.get("/programs/ALPHA/feedback/reports/March").status_code == 422

    refused = stakeholder.post("/programs/ALPHA/feedback/reports/2026-03/publish", {"summary": "x"})
    assert refused.status_code == 403
    made = pm.post("/programs/ALPHA/feedback/reports/2026-03/publish", {"summary": "Done"})
    assert made.status_code == 201 and made.json()["period"]["key"] == "2026-03"
    assert PublishedReport.objects.get().summary == "Done"

    body = stakeholder.get("/programs/ALPHA/feedback/reports/2026-03").json()
    assert body["published"] is True and body["summary"] == "Done"
    assert [e["said"] for e in body["we_did"]] == ["The café closes too early."]
    assert body["could_not_do"][0]["reason"] == "No budget this year."
    assert body["figures"]["closure_rate"] == 1.0
    text = str(body)
    assert "Beta secret" not in text and "stakeholder" not in text
    listing = stakeholder.get("/programs/ALPHA/feedback/reports").json()
    assert [r["period"]["label"] for r in listing] == ["March 2026"]
    assert api_as(items.outsider).get("/programs/ALPHA/feedback/reports").status_code == 404
    assert api_as(items.outsider).get("/programs/ALPHA/feedback/reports/2026-03").status_code == 404
