"""The change request API: drafts with lines, validation naming line and field, ETags,
submit, decide, impact."""

from __future__ import annotations

from podium.changes.models import ChangeRequest
from podium.schedule import services as schedule
from podium.schedule.models import Activity
from tests.changes.conftest import DAY, Plan
from tests.conftest import ApiClient, World


def _create(api: ApiClient, plan: Plan, **extra: object) -> dict[str, object]:
    body = {
        "title": "Rewire more", "justification": "Old cabling", "components": ["C1"],
        "lines": [{"kind": "duration", "activity": plan.b.pk, "new_duration_days": 6}],
        **extra,
    }  # fmt: skip
    response = api.post("/programs/ALPHA/change-requests", body)
    assert response.status_code == 201, response.json()
    return dict(response.json())


def test_create_with_lines_submit_impact_and_approve(plan: Plan) -> None:
    api = ApiClient(plan.world.pm)
    cr = _create(api, plan)
    assert cr["code"] == "CR-001" and cr["state"] == "draft"
    assert cr["lines"][0]["text"] == "Duration of C1 B from 3 to 6 working days"  # type: ignore[index]
    added = api.post(f"/change-requests/{cr['id']}/lines",
                     {"kind": "cost", "cost_account": plan.budget.mat.pk, "amount": "800",
                      "reason": "Cable"})  # fmt: skip
    assert added.status_code == 201
    assert added.json()["lines"][1]["amount"] == 800.0
    submitted = api.post(f"/change-requests/{cr['id']}/submit", {})
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    impact = api.get(f"/change-requests/{cr['id']}/impact").json()
    assert impact["finish_delta_days"] == 5 and impact["cost"]["bac_delta"] == 800.0
    refused = api.post(f"/change-requests/{cr['id']}/reject", {"rationale": ""})
    assert refused.status_code == 422 and "reason" in refused.json()["errors"]
    approved = api.post(
        f"/change-requests/{cr['id']}/approve",
        {"rationale": "Go", "impact_fingerprint": impact["fingerprint"]},
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["state"] == "approved" and approved.json()["decision"] is not None
    assert Activity.objects.get(pk=plan.b.pk).duration_minutes == 6 * DAY
    pending = api.get("/programs/ALPHA/change-requests/pending").json()
    assert pending == []


def test_a_bad_line_refuses_the_whole_draft_naming_line_and_field(plan: Plan) -> None:
    api = ApiClient(plan.world.pm)
    response = api.post("/programs/ALPHA/change-requests", {
        "title": "Bad", "lines": [
            {"kind": "duration", "activity": plan.b.pk, "new_duration_days": 6},
            {"kind": "add_link", "predecessor": plan.a.pk, "successor": 999999},
        ]})  # fmt: skip
    assert response.status_code == 422
    assert "lines.2.successor" in response.json()["errors"]
    assert not ChangeRequest.objects.exists()


def test_stale_etag_and_reviewed_fingerprint_are_refused(plan: Plan) -> None:
    api = ApiClient(plan.world.pm)
    cr = _create(api, plan)
    stale = api.patch(f"/change-requests/{cr['id']}", {"title": "New"}, **{"If-Match": '"0"'})
    assert stale.status_code == 412
    api.post(f"/change-requests/{cr['id']}/submit", {})
    seen = api.get(f"/change-requests/{cr['id']}/impact").json()["fingerprint"]
    schedule.update_activity(actor=plan.world.pm, activity=Activity.objects.get(pk=plan.c.pk),
                             expected_version=None, duration_minutes=4 * DAY)  # fmt: skip
    refused = api.post(f"/change-requests/{cr['id']}/approve",
                       {"rationale": "Go", "impact_fingerprint": seen})  # fmt: skip
    assert refused.status_code == 409
    assert "review the recomputed impact" in refused.json()["detail"]
    assert ChangeRequest.objects.get().state == "submitted"


def test_update_and_delete_lines_and_drafts(plan: Plan) -> None:
    api = ApiClient(plan.world.pm)
    cr = _create(api, plan)
    line = cr["lines"][0]  # type: ignore[index]
    changed = api.patch(f"/change-lines/{line['id']}", {"new_duration_days": 4})
    assert changed.status_code == 200
    assert changed.json()["lines"][0]["new_duration_days"] == 4.0
    assert api.delete(f"/change-lines/{line['id']}").status_code == 204
    assert api.delete(f"/change-requests/{cr['id']}").status_code == 204
    assert not ChangeRequest.objects.exists()


def test_list_filters(plan: Plan, world: World) -> None:
    api = ApiClient(world.pm)
    _create(api, plan)
    _create(api, plan, title="Other", components=[])
    listed = api.get("/programs/ALPHA/change-requests?component=C1").json()
    assert [c["title"] for c in listed["items"]] == ["Rewire more"]
    assert api.get("/programs/ALPHA/change-requests?q=CR-002").json()["count"] == 1
