"""The feedback API: submit, triage steps, actions CRUD, links, the service target."""

from __future__ import annotations

from typing import Any

from podium.feedback.models import FeedbackItem
from tests.feedback.conftest import Feedback


def test_the_loop_through_the_api(fb: Feedback, api_as: Any) -> None:
    me, pm = api_as(fb.stakeholder), api_as(fb.pm)
    response = me.post(
        "/programs/ALPHA/feedback",
        {"text": "Visiting hours are unclear.", "category": "communication", "rating": 3,
         "component": "C1"},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    item = response.json()
    assert item["state"] == "new" and item["submitted_by"] == "stakeholder"
    pk = item["id"]
    assert me.post(f"/feedback/{pk}/acknowledge").status_code == 403
    assert pm.post(f"/feedback/{pk}/acknowledge").json()["state"] == "acknowledged"
    refused = pm.post(f"/feedback/{pk}/plan", {})
    assert refused.status_code == 422 and "actions" in refused.json()["errors"]
    action = pm.post(
        "/programs/ALPHA/feedback-actions", {"title": "Post the hours", "owner": "team"}
    )
    assert action.status_code == 201
    aid = action.json()["id"]
    planned = pm.post(f"/feedback/{pk}/plan", {"actions": [aid]}).json()
    assert planned["state"] == "planned" and planned["actions"][0]["id"] == aid
    stale = pm.post(f"/feedback/{pk}/implement", {"version": 1})
    assert stale.status_code in (409, 412)
    done = api_as(fb.team).patch(f"/feedback-actions/{aid}", {"status": "done"})
    assert done.status_code == 200 and done.json()["items"] == [pk]
    assert me.get(f"/feedback/{pk}").json()["state"] == "implemented"
    assert pm.post(f"/feedback/{pk}/verify").status_code == 403
    assert (
        me.post(f"/feedback/{pk}/not-fixed", {"note": "Still unclear"}).json()["state"] == "planned"
    )
    assert pm.post(f"/feedback/{pk}/implement", {"explicit": True}).json()["state"] == "implemented"
    assert me.post(f"/feedback/{pk}/verify").json()["state"] == "verified"
    closed = pm.post(f"/feedback/{pk}/close").json()
    assert closed["state"] == "closed"
    assert [h["action"] for h in closed["history"]] == [
        "submit",
        "acknowledge",
        "plan",
        "implement",
        "not_fixed",
        "implement",
        "verify",
        "close",
    ]


def test_actions_crud_and_links(fb: Feedback, api_as: Any) -> None:
    pm = api_as(fb.pm)
    pk = api_as(fb.stakeholder).post("/programs/ALPHA/feedback", {"text": "Hi"}).json()["id"]
    aid = pm.post("/programs/ALPHA/feedback-actions", {"title": "A"}).json()["id"]
    assert (
        api_as(fb.team).post("/programs/ALPHA/feedback-actions", {"title": "B"}).status_code == 403
    )
    assert api_as(fb.stakeholder).get("/programs/ALPHA/feedback-actions").status_code == 404
    linked = pm.call("PUT", f"/feedback/{pk}/actions/{aid}", {})
    assert linked.status_code == 200 and linked.json()["actions"][0]["id"] == aid
    assert pm.delete(f"/feedback-actions/{aid}").status_code == 409
    assert pm.delete(f"/feedback/{pk}/actions/{aid}").json()["actions"] == []
    assert pm.patch(f"/feedback-actions/{aid}", {"title": "A2"}).json()["title"] == "A2"
    assert pm.delete(f"/feedback-actions/{aid}").status_code == 204
    assert pm.get(f"/feedback-actions/{aid}").status_code == 404


def test_decline_and_target(fb: Feedback, api_as: Any) -> None:
    pm = api_as(fb.pm)
    pk = api_as(fb.stakeholder).post("/programs/ALPHA/feedback", {"text": "Hi"}).json()["id"]
    refused = pm.post(f"/feedback/{pk}/decline", {"reason": ""})
    assert refused.status_code == 422 and "reason" in refused.json()["errors"]
    assert pm.post(f"/feedback/{pk}/decline", {"reason": "Duplicate"}).json()["state"] == "declined"
    assert FeedbackItem.objects.get(pk=pk).declined_reason == "Duplicate"
    target = pm.call("PUT", "/programs/ALPHA/feedback-target", {"acknowledge_days": 2})
    assert target.status_code == 200 and target.json()["acknowledge_days"] == 2
    assert (
        api_as(fb.team)
        .call("PUT", "/programs/ALPHA/feedback-target", {"close_days": 9})
        .status_code
        == 403
    )


def test_csv_import_api(fb: Feedback, api_as: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    pm = api_as(fb.pm)
    response = pm.client.post(
        "/api/v1/programs/ALPHA/feedback/import",
        {"file": SimpleUploadedFile("f.csv", b"text\nOne\nTwo\n")}, headers=pm.headers,
    )  # fmt: skip
    assert response.status_code == 201 and response.json()["imported"] == 2
