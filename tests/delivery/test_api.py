"""The deliverables API: CRUD, the lifecycle steps, ETags, the stakeholder's limits,
evidence upload and the transition plan."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from podium.core.models import AuditRecord
from podium.delivery.models import Deliverable, Evidence
from podium.schedule.models import Activity
from tests.conftest import World
from tests.delivery.conftest import Outputs


def test_create_read_and_patch_with_etag(world: World, outputs: Outputs, api_as: Any) -> None:
    cm = api_as(world.cm)
    created = cm.post(
        "/programs/ALPHA/deliverables",
        {"component": "c1", "name": "Nurse station", "kind": "product",
         "acceptance_criteria": "Ergonomic check passed", "milestone": outputs.milestone.pk,
         "accepting_stakeholder": "stakeholder"},
    )  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["code"] == "D-005" and body["status"] == "planned"
    assert body["milestone"]["finish"] == "2026-03-06T17:00:00"
    assert body["accepting_stakeholder"] == "stakeholder"
    assert created["ETag"] == '"1"'

    url = f"/deliverables/{body['id']}"
    got = cm.get(url)
    assert got["ETag"] == '"1"'
    patched = cm.patch(url, {"description": "By the lifts"}, **{"If-Match": '"1"'})
    assert patched.status_code == 200 and patched["ETag"] == '"2"'
    stale = cm.patch(url, {"description": "Elsewhere"}, **{"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    assert Deliverable.objects.get(pk=body["id"]).description == "By the lifts"


def test_create_refuses_unknown_people_and_non_milestones(
    world: World, outputs: Outputs, api_as: Any
) -> None:
    pm = api_as(world.pm)
    bad = pm.post("/programs/ALPHA/deliverables",
                  {"component": "C1", "name": "X", "accepting_stakeholder": "nobody"})  # fmt: skip
    assert bad.status_code == 422 and "accepting_stakeholder" in bad.json()["errors"]
    outsider = pm.post(
        "/programs/ALPHA/deliverables",
        {"component": "C1", "name": "X", "accepting_stakeholder": "outsider"},
    )
    assert outsider.status_code == 422
    assert "not a member" in outsider.json()["errors"]["accepting_stakeholder"][0]
    task_id = Activity.objects.get(component=world.comp, code="A").pk
    task = pm.post("/programs/ALPHA/deliverables",
                   {"component": "C1", "name": "X", "milestone": task_id})  # fmt: skip
    assert task.status_code == 422 and "milestone" in task.json()["errors"]


def test_the_stakeholder_accepts_their_deliverable_and_nothing_else(
    world: World, outputs: Outputs, api_as: Any
) -> None:
    sh = api_as(world.stakeholder)
    # They read everything in their program ...
    assert sh.get(f"/deliverables/{outputs.other.pk}").status_code == 200
    # ... accept their own ...
    ok = sh.post(f"/deliverables/{outputs.mine.pk}/accept", {"comment": "Meets the criteria"})
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "accepted" and ok.json()["accepted_at"]
    assert ok.json()["acceptance_comment"] == "Meets the criteria"
    # ... and nothing else: 403 on someone else's, and on every manager step.
    trace = AuditRecord.objects.count()
    assert sh.post(f"/deliverables/{outputs.other.pk}/accept").status_code == 403
    assert sh.post(f"/deliverables/{outputs.other.pk}/reject", {"reason": "x"}).status_code == 403
    assert sh.post(f"/deliverables/{outputs.planned.pk}/start").status_code == 403
    assert sh.post(f"/deliverables/{outputs.mine.pk}/transition").status_code == 403
    assert sh.patch(f"/deliverables/{outputs.mine.pk}", {"name": "Mine"}).status_code == 403
    # Deliverables of programs they do not belong to do not exist for them.
    beta = Deliverable.objects.create(
        program=world.beta, component=world.comp_b, code="D-001", name="Beta thing",
        accepting_stakeholder=world.stakeholder, status="delivered",
    )  # fmt: skip
    assert sh.get(f"/deliverables/{beta.pk}").status_code == 404
    assert sh.post(f"/deliverables/{beta.pk}/accept").status_code == 404
    assert sh.post("/deliverables/999999/accept").status_code == 404
    assert AuditRecord.objects.count() == trace
    assert Deliverable.objects.get(pk=beta.pk).status == "delivered"


def test_managers_cannot_accept_for_the_stakeholder(
    world: World, outputs: Outputs, api_as: Any
) -> None:
    for user in (world.pm, world.cm, world.admin):
        response = api_as(user).post(f"/deliverables/{outputs.mine.pk}/accept")
        assert response.status_code == 403
        assert "Only its accepting stakeholder (stakeholder)" in response.json()["detail"]


def test_reject_needs_a_reason_and_returns_to_production(
    world: World, outputs: Outputs, api_as: Any
) -> None:
    sh = api_as(world.stakeholder)
    missing = sh.post(f"/deliverables/{outputs.mine.pk}/reject", {"comment": "meh"})
    assert missing.status_code == 422 and "reason" in missing.json()["errors"]
    rejected = sh.post(f"/deliverables/{outputs.mine.pk}/reject", {"reason": "Missing ward 4"})
    assert rejected.json()["status"] == "in_production"
    steps = sh.get(f"/deliverables/{outputs.mine.pk}/events").json()
    assert [s["action"] for s in steps][-1] == "reject"
    assert steps[-1]["reason"] == "Missing ward 4" and steps[-1]["actor"] == "stakeholder"


def test_step_out_of_order_is_409_and_stale_step_is_412(
    world: World, outputs: Outputs, api_as: Any
) -> None:
    cm = api_as(world.cm)
    assert cm.post(f"/deliverables/{outputs.planned.pk}/deliver").status_code == 409
    v = outputs.planned.version
    stale = cm.post(f"/deliverables/{outputs.planned.pk}/start", {"version": v - 1})
    assert stale.status_code == 412
    ok = cm.post(f"/deliverables/{outputs.planned.pk}/start", {}, **{"If-Match": f'"{v}"'})
    assert ok.status_code == 200 and ok.json()["status"] == "in_production"
    done = cm.post(f"/deliverables/{outputs.accepted.pk}/transition", {"comment": "To ops"})
    assert done.json()["status"] == "transitioned" and done.json()["transitioned_at"]


def test_my_acceptances(world: World, outputs: Outputs, api_as: Any) -> None:
    sh = api_as(world.stakeholder)
    every = [d["code"] for d in sh.get("/me/acceptances").json()["items"]]
    waiting = [d["code"] for d in sh.get("/me/acceptances?waiting=true").json()["items"]]
    assert sorted(every) == sorted([outputs.planned.code, outputs.mine.code, outputs.accepted.code])
    assert waiting == [outputs.mine.code]
    assert api_as(world.team).get("/me/acceptances").json()["items"] == []


def test_board_and_filters(world: World, outputs: Outputs, api_as: Any) -> None:
    viewer = api_as(world.viewer)
    board = viewer.get("/programs/ALPHA/deliverable-board").json()
    by_status = {c["status"]: [d["code"] for d in c["deliverables"]] for c in board["columns"]}
    assert list(by_status) == ["planned", "in_production", "delivered", "accepted", "transitioned"]
    assert by_status["delivered"] == sorted([outputs.mine.code, outputs.other.code])
    assert board["total"] == 4
    listed = viewer.get("/programs/ALPHA/deliverables?status=delivered&stakeholder=viewer").json()
    assert [d["code"] for d in listed["items"]] == [outputs.other.code]


def test_evidence_upload_download_and_refusal(world: World, outputs: Outputs, api_as: Any) -> None:
    sh = api_as(world.stakeholder)
    url = f"/api/v1/deliverables/{outputs.mine.pk}/evidence"
    pdf = SimpleUploadedFile("test-report.pdf", b"%PDF-1.4 minimal", "application/pdf")
    response = sh.client.post(url, {"file": pdf, "title": "Test report"}, headers=sh.headers)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Test report" and body["added_by"] == "stakeholder"
    download = api_as(world.viewer).client.get(body["file"], headers=api_as(world.viewer).headers)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minimal"
    assert api_as(world.pm_b).get(body["file"].removeprefix("/api/v1")).status_code == 404

    exe = SimpleUploadedFile("setup.exe", b"MZ", "application/octet-stream")
    refused = sh.client.post(url, {"file": exe}, headers=sh.headers)
    assert refused.status_code == 422
    assert "not an accepted type" in refused.json()["errors"]["file"][0]
    link = sh.client.post(url, {"url": "https://share.example/signed"}, headers=sh.headers)
    assert link.status_code == 201 and link.json()["file"] is None
    other = sh.client.post(f"/api/v1/deliverables/{outputs.other.pk}/evidence",
                           {"url": "https://x.example"}, headers=sh.headers)  # fmt: skip
    assert other.status_code == 403
    assert Evidence.objects.filter(deliverable=outputs.mine).count() == 2


def test_transition_plan_put_items_and_completion(
    world: World, outputs: Outputs, api_as: Any
) -> None:
    cm = api_as(world.cm)
    url = f"/components/{world.comp.pk}/transition-plan"
    plan = cm.get(url)
    assert plan.status_code == 200
    assert plan.json()["complete"] is False
    assert plan.json()["gaps"] == ["No handover date.", "1 of 2 checklist items open."]
    put = cm.call(
        "PUT", url,
        {"receiving_organization": "IT operations", "receiving_owner": "viewer",
         "handover_date": "2026-12-01", "support_until": "2027-03-31"},
        **{"If-Match": plan["ETag"]},
    )  # fmt: skip
    assert put.status_code == 200, put.content
    assert put.json()["receiving_owner"] == "viewer"
    stale = cm.call("PUT", url, {"notes": "x"}, **{"If-Match": plan["ETag"]})
    assert stale.status_code == 412
    tick = cm.patch(f"/transition-items/{outputs.item_open.pk}", {"done": True})
    assert tick.status_code == 200 and tick.json()["done_by"] == "cm"
    assert cm.get(url).json()["complete"] is True
    added = cm.post(f"{url}/items", {"text": "Train the service desk"})
    assert added.status_code == 201
    assert cm.get(url).json()["complete"] is False
    assert cm.get(f"/components/{world.comp_b.pk}/transition-plan").status_code == 404
