"""The change request pages as a program manager uses them."""

from __future__ import annotations

import json
import re
from typing import Any

from django.test import Client

from podium.changes import services
from podium.changes.models import ChangeRequest, State
from podium.programs.models import Program
from tests.changes.conftest import Plan, make_request
from tests.conftest import World


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_empty_list_says_what_to_do(world: World) -> None:
    page = client_for(world.pm).get("/programs/ALPHA/changes/")
    assert page.status_code == 200
    assert b"raise a change request" in page.content


def test_tab_shows_for_team_members(world: World) -> None:
    assert b"Change requests" in client_for(world.team).get("/programs/ALPHA/").content


def test_draft_add_lines_submit_and_approve_through_pages(plan: Plan) -> None:
    pm = client_for(plan.world.pm)
    created = pm.post("/programs/ALPHA/changes/new/", {
        "title": "Rewire more", "description": "Whole ward", "justification": "Old cabling",
        "components": [plan.budget.comp.pk],
    })  # fmt: skip
    cr = ChangeRequest.objects.get()
    assert created.status_code == 302 and created["Location"].endswith(f"/changes/{cr.pk}/")
    bad = pm.post(
        f"/programs/ALPHA/changes/{cr.pk}/lines/", {"kind": "duration", "new_duration_days": "6"}
    )
    assert bad.status_code == 422
    assert b"Line 1: choose an activity." in bad.content
    ok = pm.post(
        f"/programs/ALPHA/changes/{cr.pk}/lines/",
        {"kind": "duration", "activity": plan.b.pk, "new_duration_days": "6"},
    )
    assert ok.status_code == 302
    cost = pm.post(f"/programs/ALPHA/changes/{cr.pk}/lines/", {
        "kind": "cost", "cost_account": plan.budget.mat.pk, "amount": "800",
        "reason": "More cable"})  # fmt: skip
    assert cost.status_code == 302
    detail = pm.get(f"/programs/ALPHA/changes/{cr.pk}/")
    assert b"Duration of C1 B from 3 to 6 working days" in detail.content
    assert b"Budget +800.00 on C1-MAT" in detail.content
    cr.refresh_from_db()
    submitted = pm.post(f"/programs/ALPHA/changes/{cr.pk}/submit/", {"version": cr.version})
    assert submitted.status_code == 302
    impact_page = pm.get(f"/programs/ALPHA/changes/{cr.pk}/impact/")
    assert impact_page.status_code == 200
    impact = services.current_impact(ChangeRequest.objects.get())
    assert impact is not None and impact.cost is not None
    text = impact_page.content.decode()
    delta = re.search(r'id="finish-delta">([^<]*)<', text)
    assert delta is not None and delta.group(1).startswith(f"+{impact.finish_delta_days} days")
    assert 'id="eac-delta"' in text
    data = json.loads(
        re.search(r'<script id="pv-data" type="application/json">(.*?)</script>', text, re.S).group(
            1
        )
    )  # type: ignore[union-attr]
    assert [s["key"] for s in data["series"]] == ["pv", "pv_after"]
    assert 'data-chart="s-curve"' in text and "style=" not in text
    # reject without a reason: refused with the field's message
    cr.refresh_from_db()
    refused = pm.post(
        f"/programs/ALPHA/changes/{cr.pk}/reject/", {"rationale": "", "version": cr.version}
    )
    assert refused.status_code == 422
    assert b"Say why the change request is rejected." in refused.content
    approved = pm.post(f"/programs/ALPHA/changes/{cr.pk}/approve/", {
        "rationale": "Needed for safety", "version": cr.version,
        "fingerprint": impact.fingerprint})  # fmt: skip
    assert approved.status_code == 302
    assert ChangeRequest.objects.get().state == State.APPROVED
    after = pm.get(f"/programs/ALPHA/changes/{cr.pk}/")
    assert b"decision #" in after.content


def test_list_filters_and_pages(plan: Plan) -> None:
    for i in range(27):
        make_request(plan, [], title=f"Request {i}")
    pm = client_for(plan.world.pm)
    first = pm.get("/programs/ALPHA/changes/")
    assert b"Page 1 of 2" in first.content
    found = pm.get("/programs/ALPHA/changes/?q=CR-003")
    assert b"Request 2" in found.content and b"Request 20" not in found.content
    none = pm.get("/programs/ALPHA/changes/?state=approved")
    assert b"No change request matches" in none.content


def test_impact_page_shows_errors_of_invalid_lines(plan: Plan) -> None:
    cr = make_request(plan, [{"kind": "add_link", "predecessor": plan.d.pk,
                              "successor": plan.a.pk}])  # fmt: skip
    page = client_for(plan.world.pm).get(f"/programs/ALPHA/changes/{cr.pk}/impact/")
    assert page.status_code == 200
    assert b"cycle" in page.content


def test_list_page_query_count_does_not_grow(
    plan: Plan, django_assert_max_num_queries: Any
) -> None:
    for i in range(10):
        make_request(plan, [], title=f"Request {i}")
    pm = client_for(plan.world.pm)
    pm.get("/programs/ALPHA/changes/")
    with django_assert_max_num_queries(25):
        pm.get("/programs/ALPHA/changes/")


def test_program_missing(world: World) -> None:
    assert Program.objects.filter(code="NOPE").count() == 0
    assert client_for(world.pm).get("/programs/NOPE/changes/").status_code == 404
