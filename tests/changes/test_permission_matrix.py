"""Who sees and changes change requests, on pages and through the API: stakeholders
and outsiders get 404, team members and viewers read but get 403 on writes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from podium.changes.models import ChangeRequest
from tests.changes.conftest import Plan, make_request
from tests.conftest import ApiClient

HIDDEN = ("stakeholder", "non_member")
READERS = ("team_member", "viewer")


@pytest.fixture
def submitted(plan: Plan) -> ChangeRequest:
    return make_request(
        plan, [{"kind": "duration", "activity": plan.b.pk, "new_duration_days": "5"},
               {"kind": "cost", "cost_account": plan.budget.mat.pk, "amount": "100",
                "reason": "Cable"}],
        submit=True,
    )  # fmt: skip


def _page(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", HIDDEN)
def test_hidden_roles_get_404_everywhere(plan: Plan, submitted: ChangeRequest, role: str) -> None:
    user = plan.world.by_role(role)
    api = ApiClient(user)
    base = f"/change-requests/{submitted.pk}"
    assert api.get("/programs/ALPHA/change-requests").status_code == 404
    assert api.get(base).status_code == 404
    assert api.get(f"{base}/impact").status_code == 404
    assert api.post(f"{base}/approve", {"rationale": "x"}).status_code == 404
    assert api.post("/programs/ALPHA/change-requests", {"title": "x"}).status_code == 404
    pages = _page(user)
    assert pages.get("/programs/ALPHA/changes/").status_code == 404
    assert pages.get(f"/programs/ALPHA/changes/{submitted.pk}/impact/").status_code == 404
    home = pages.get("/programs/ALPHA/")
    assert b"Change requests" not in home.content


@pytest.mark.parametrize("role", READERS)
def test_readers_read_but_cannot_write(plan: Plan, submitted: ChangeRequest, role: str) -> None:
    user = plan.world.by_role(role)
    api = ApiClient(user)
    base = f"/change-requests/{submitted.pk}"
    assert api.get(base).status_code == 200
    body = api.get(base).json()
    assert body["lines"][1]["amount"] is None  # no money for them
    impact = api.get(f"{base}/impact").json()
    assert impact["finish_delta_days"] is not None and impact["cost"] is None
    assert api.post("/programs/ALPHA/change-requests", {"title": "x"}).status_code == 403
    assert api.post(f"{base}/approve", {"rationale": "x"}).status_code == 403
    assert api.post(f"{base}/reject", {"rationale": "x"}).status_code == 403
    assert api.post(f"{base}/withdraw", {}).status_code == 403
    assert api.post(f"{base}/lines", {"kind": "duration"}).status_code == 403
    pages = _page(user)
    assert pages.get(f"/programs/ALPHA/changes/{submitted.pk}/impact/").status_code == 200
    assert pages.get("/programs/ALPHA/changes/new/").status_code == 403
    assert pages.post(f"/programs/ALPHA/changes/{submitted.pk}/approve/",
                      {"rationale": "x"}).status_code == 403  # fmt: skip
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_other_programs_manager_gets_404(plan: Plan, submitted: ChangeRequest) -> None:
    api = ApiClient(plan.world.pm_b)
    assert api.get(f"/change-requests/{submitted.pk}").status_code == 404


def test_component_manager_raises_but_does_not_decide(plan: Plan, submitted: ChangeRequest) -> None:
    api = ApiClient(plan.world.cm)
    created = api.post("/programs/ALPHA/change-requests", {"title": "Mine", "components": ["C1"]})
    assert created.status_code == 201, created.json()
    assert api.post(f"/change-requests/{submitted.pk}/approve",
                    {"rationale": "x"}).status_code == 403  # fmt: skip
