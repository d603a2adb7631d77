"""The API (tag "updates"): list and filter, get with ETag, prefill, create, patch with
If-Match, submit, reopen, the overview with the deltas; 404 outside the caller's
programs, 403 for what they may not do, no cost figures without cost rights."""

from __future__ import annotations

from typing import Any

from podium.core.models import AuditRecord
from tests.conftest import World
from tests.updates.conftest import LAST_WEEK, THIS_WEEK, complete, file


def test_create_patch_submit_with_etags(active: World, api_as: Any) -> None:
    cm = api_as(active.cm)
    body = {"component": "C1", **complete(schedule_rag="amber", schedule_reason="")}
    refused = cm.post("/programs/ALPHA/updates", body)
    assert refused.status_code == 422 and "schedule_reason" in refused.json()["errors"]

    body["schedule_reason"] = "Cable late."
    created = cm.post("/programs/ALPHA/updates", body)
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["status"] == "draft" and data["week"] and created["ETag"] == '"1"'
    assert data["ratings"][0] == {"dimension": "overall", "rag": "green",
                                  "reason": "overall as planned"}  # fmt: skip
    url = f"/updates/{data['id']}"

    patched = cm.patch(url, {"blockers": "Cable supplier"}, **{"If-Match": '"1"'})
    assert patched.status_code == 200 and patched["ETag"] == '"2"'
    stale = cm.patch(url, {"blockers": "Other"}, **{"If-Match": '"1"'})
    assert stale.status_code == 412 and stale.json()["current_version"] == 2

    submitted = cm.post(f"{url}/submit", **{"If-Match": '"2"'})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert cm.patch(url, {"blockers": "x"}).status_code == 409
    assert api_as(active.cm).post(f"{url}/reopen", {"note": "x"}).status_code == 403
    reopened = api_as(active.pm).post(f"{url}/reopen", {"note": "Wrong week"})
    assert reopened.status_code == 200 and reopened.json()["status"] == "draft"
    assert AuditRecord.objects.filter(object_type="updates.componentupdate").count() == 4


def test_list_filters_and_visibility(active: World, api_as: Any) -> None:
    file(active.cm, active.comp, LAST_WEEK)
    draft = file(active.cm, active.comp, THIS_WEEK, submit=False)
    pm = api_as(active.pm)
    assert pm.get("/programs/ALPHA/updates").json()["count"] == 2
    assert pm.get("/programs/ALPHA/updates?status=draft").json()["items"][0]["id"] == draft.pk
    week = pm.get(f"/programs/ALPHA/updates?period={LAST_WEEK.isoformat()}").json()
    assert week["count"] == 1 and week["items"][0]["status"] == "submitted"
    assert pm.get("/programs/ALPHA/updates?component=NOPE").status_code == 422

    stakeholder = api_as(active.stakeholder)
    seen = stakeholder.get("/programs/ALPHA/updates").json()
    assert seen["count"] == 1  # the submitted one, not the draft
    item = seen["items"][0]
    assert "cost" not in {r["dimension"] for r in item["ratings"]}
    assert "cost" not in item["figures"] and "cost" not in item["figures"]["suggested"]
    assert stakeholder.get(f"/updates/{draft.pk}").status_code == 404
    assert api_as(active.outsider).get("/programs/ALPHA/updates").status_code == 404
    assert api_as(active.pm_b).get(f"/updates/{draft.pk}").status_code == 404


def test_prefill_is_for_those_who_file(active: World, api_as: Any) -> None:
    file(active.cm, active.comp, LAST_WEEK, blockers="Cable supplier late.")
    data = api_as(active.cm).get("/programs/ALPHA/updates/prefill?component=C1").json()
    assert data["week"] and data["defaults"]["blockers"] == "Cable supplier late."
    assert data["previous_next_steps"] == "Rewire ward 4."
    assert set(data["suggested"]) >= {"overall", "schedule", "cost", "scope", "risks"}
    assert (
        api_as(active.team).get("/programs/ALPHA/updates/prefill?component=C1").status_code == 403
    )


def test_overview_with_deltas(active: World, api_as: Any) -> None:
    file(active.cm, active.comp, LAST_WEEK, schedule_rag="amber", schedule_reason="Late.")
    file(active.cm, active.comp, THIS_WEEK, schedule_rag="red", schedule_reason="Later.")
    data = api_as(active.pm).get("/programs/ALPHA/updates/overview").json()
    column = data["components"][0]
    assert column["component"] == "C1" and not column["missing"]
    schedule = next(c for c in column["cells"] if c["dimension"] == "schedule")
    assert schedule["trend"] == "worse" and schedule["change"] == "Amber → Red"
    assert {d["key"] for d in column["deltas"]} >= {"open_risks", "overdue_feedback"}
    viewer = api_as(active.viewer).get("/programs/ALPHA/updates/overview").json()
    assert "cost" not in viewer["dimensions"]
    assert all(d["key"] not in ("cpi", "spi") for d in viewer["components"][0]["deltas"])
