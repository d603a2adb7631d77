"""The governance API: the gate rule refuses naming the criterion, decisions cannot be
edited (only corrected), and who may see and do what."""

from __future__ import annotations

from typing import Any

import pytest

from podium.programs.models import Program
from tests.conftest import World
from tests.governance.conftest import Gov, approve_budget


def test_program_moves_into_delivery_only_through_an_approved_gate(
    gov: Gov, world: World, api_as: Any
) -> None:
    pm = api_as(world.pm)
    direct = pm.post("/programs/ALPHA/transitions", {"target": "delivery", "reason": "Now"})
    assert direct.status_code == 409
    assert "/programs/ALPHA/governance/" in direct.json()["detail"]

    opened = pm.post("/programs/ALPHA/gate-reviews", {})
    assert opened.status_code == 201, opened.content
    review = opened.json()
    assert (review["from_state"], review["to_state"]) == ("planning", "delivery")
    criteria = {c["key"]: c for c in pm.get(f"/gate-reviews/{review['id']}/criteria").json()}
    assert criteria["budget_baseline_approved"]["passed"] is False
    assert criteria["budget_baseline_approved"]["evidence"] == "no approved budget baseline"

    refused = pm.post(f"/gate-reviews/{review['id']}/decision",
                      {"outcome": "go", "rationale": "Ready"})  # fmt: skip
    assert refused.status_code == 409
    assert "Budget baseline approved: no approved budget baseline" in refused.json()["detail"]
    assert Program.objects.get(pk=gov.program.pk).stage == "planning"

    approve_budget(gov, world.pm)
    gates = pm.get("/programs/ALPHA/gates").json()
    assert gates[0]["open_review"] == review["id"]
    decided = pm.post(f"/gate-reviews/{review['id']}/decision",
                      {"outcome": "go", "rationale": "Budget approved"})  # fmt: skip
    assert decided.status_code == 201, decided.content
    assert decided.json()["outcome"] == "go"
    assert Program.objects.get(pk=gov.program.pk).stage == "delivery"
    after = pm.get(f"/gate-reviews/{review['id']}").json()
    assert after["status"] == "decided"
    assert {c["key"]: c["passed"] for c in after["evaluation"]}["budget_baseline_approved"]


def test_decisions_cannot_be_edited_only_corrected(gov: Gov, world: World, api_as: Any) -> None:
    pm = api_as(world.pm)
    review = pm.post("/programs/ALPHA/gate-reviews", {}).json()
    decision = pm.post(f"/gate-reviews/{review['id']}/decision",
                       {"outcome": "no_go", "rationale": "Not ready"}).json()  # fmt: skip
    url = f"/decisions/{decision['id']}"
    assert pm.call("PUT", url, {"outcome": "go", "rationale": "x"}).status_code == 405
    assert pm.patch(url, {"outcome": "go"}).status_code == 405
    assert pm.delete(url).status_code == 405
    assert pm.get(url).json()["outcome"] == "no_go"

    corrected = pm.post(f"{url}/corrections", {"outcome": "hold", "rationale": "Was a hold"})
    assert corrected.status_code == 201, corrected.content
    assert corrected.json()["corrects"] == decision["number"]
    log = {d["number"]: d for d in pm.get("/programs/ALPHA/decisions").json()["items"]}
    assert log[decision["number"]]["outcome"] == "no_go"
    assert log[decision["number"]]["corrected_by"] == corrected.json()["number"]
    again = pm.post(f"{url}/corrections", {"outcome": "go", "rationale": "x"})
    assert again.status_code == 409 and "already corrected" in again.json()["detail"]
    kinds = pm.get("/programs/ALPHA/decisions?kind=authorization").json()
    assert kinds["count"] == 0


def test_manual_evidence_through_the_api(world: World, api_as: Any) -> None:
    pm = api_as(world.pm)
    review = pm.post("/programs/ALPHA/gate-reviews", {}).json()
    bad = pm.post(f"/gate-reviews/{review['id']}/evidence", {"criterion": "nope", "text": "x"})
    assert bad.status_code == 422 and "criterion" in bad.json()["errors"]
    item = pm.post(f"/gate-reviews/{review['id']}/evidence",
                   {"criterion": "charter_approved", "text": "Signed charter"})  # fmt: skip
    assert item.status_code == 201
    assert api_as(world.team).post(f"/gate-evidence/{item.json()['id']}/check").status_code == 403
    checked = pm.post(f"/gate-evidence/{item.json()['id']}/check")
    assert checked.status_code == 200 and checked.json()["checked_by"] == "pm"
    go = pm.post(f"/gate-reviews/{review['id']}/decision", {"outcome": "go", "rationale": "ok"})
    assert go.status_code == 201
    assert Program.objects.get(pk=world.alpha.pk).stage == "planning"


@pytest.mark.parametrize("who", ["stakeholder", "outsider"])
def test_hidden_from_stakeholders_and_outsiders(world: World, api_as: Any, who: str) -> None:
    client = api_as(getattr(world, who))
    assert client.get("/programs/ALPHA/gates").status_code == 404
    assert client.get("/programs/ALPHA/decisions").status_code == 404
    assert client.post("/programs/ALPHA/gate-reviews", {}).status_code == 404
    review = api_as(world.pm).post("/programs/ALPHA/gate-reviews", {}).json()
    assert client.get(f"/gate-reviews/{review['id']}").status_code == 404


def test_team_member_reads_but_may_not_write(world: World, api_as: Any) -> None:
    team = api_as(world.team)
    assert team.get("/programs/ALPHA/gates").status_code == 200
    assert team.post("/programs/ALPHA/gate-reviews", {}).status_code == 403
    review = api_as(world.pm).post("/programs/ALPHA/gate-reviews", {}).json()
    decide = team.post(f"/gate-reviews/{review['id']}/decision",
                       {"outcome": "no_go", "rationale": "me"})  # fmt: skip
    assert decide.status_code == 403
    assert team.post("/programs/ALPHA/board", {"user": "team", "role": "chair"}).status_code == 403


def test_board_member_who_is_a_stakeholder_sees_and_chairs(world: World, api_as: Any) -> None:
    pm = api_as(world.pm)
    added = pm.post("/programs/ALPHA/board", {"user": "stakeholder", "role": "chair"})
    assert added.status_code == 201 and added.json()["role"] == "chair"
    chair = api_as(world.stakeholder)
    assert chair.get("/programs/ALPHA/board").json() == [
        {"id": added.json()["id"], "user": "stakeholder", "role": "chair"}
    ]
    review = pm.post("/programs/ALPHA/gate-reviews", {}).json()
    assert pm.post(f"/gate-reviews/{review['id']}/decision",
                   {"outcome": "hold", "rationale": "x"}).status_code == 403  # fmt: skip
    held = chair.post(f"/gate-reviews/{review['id']}/decision",
                      {"outcome": "hold", "rationale": "Charter unsigned"})  # fmt: skip
    assert held.status_code == 201 and held.json()["decided_by"] == "stakeholder"
    outsider = pm.post("/programs/ALPHA/board", {"user": "outsider"})
    assert outsider.status_code == 422 and "user" in outsider.json()["errors"]


def test_authorization_through_the_api(gov: Gov, world: World, api_as: Any) -> None:
    pm = api_as(world.pm)
    url = "/programs/ALPHA/components/C1/authorization"
    assert pm.get(url).json() is None
    saved = pm.call("PUT", url, {
        "business_case": "Because it pays back.", "expected_benefits": [gov.benefit.code],
        "initial_budget": "1200.50", "planned_start": "2026-03-02", "planned_finish": "2026-09-30",
    })  # fmt: skip
    assert saved.status_code == 200, saved.content
    assert saved.json()["expected_benefits"] == [gov.benefit.code]
    assert "initial_budget" not in api_as(world.team).get(url).json()  # no cost rights
    unknown = pm.call("PUT", url, {"business_case": "x", "expected_benefits": ["B-999"]})
    assert unknown.status_code == 422 and "expected_benefits" in unknown.json()["errors"]
    review = pm.post("/programs/ALPHA/gate-reviews", {"component": "C1"}).json()
    go = pm.post(f"/gate-reviews/{review['id']}/decision",
                 {"outcome": "go", "rationale": "Authorized"})  # fmt: skip
    assert go.status_code == 201 and go.json()["kind"] == "authorization"
    assert pm.get(url).json()["decision"] == go.json()["number"]
