"""Every role × every finance endpoint × own/other program: the expected HTTP status.

Reads need the cost permission: members without it (stakeholder, team member, viewer)
get 403 in their own program; programs a user cannot see answer 404 as everywhere.
Writes follow ``write`` of the programs matrix: program manager (baselines, decisions,
cost accounts) or program/component manager (actuals, change request proposals for the
component manager's own component).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from podium.core.models import AuditRecord
from podium.finance import services
from tests.conftest import World
from tests.finance.conftest import build_budget
from tests.programs.test_permission_matrix import MEMBERS, PM, PM_OR_CM, ROLES, read, write

COSTS = {"component_manager", "program_manager"}


def cost_read(ok: int = 200) -> Callable[[str, str], int]:
    members = read(ok)

    def expect(role: str, where: str) -> int:
        status = members(role, where)
        if status == ok and where == "own" and role in MEMBERS - COSTS:
            return 403
        return status

    return expect


def _target(w: World, where: str, state: str) -> dict[str, Any]:
    program, comp, pm = (w.alpha, w.comp, w.pm) if where == "own" else (w.beta, w.comp_b, w.pm_b)
    budget = build_budget(program, comp, pm)
    target: dict[str, Any] = {
        "code": program.code, "base": budget.baseline.pk, "line": budget.line_lab.pk,
        "acct": budget.lab.pk,
    }  # fmt: skip
    if state == "approved":
        baseline = services.approve_baseline(
            actor=None, baseline=budget.baseline, expected_version=None
        )
        cr = services.propose_change(
            actor=None, baseline=baseline, title="t", reason="r",
            changes=[{"op": "change", "line": budget.line_lab.pk, "amount": "5"}],
        )  # fmt: skip
        target["cr"] = cr.pk
    return target


LAB_CHANGE = {
    "title": "More",
    "reason": "Why",
    "changes": [{"op": "change", "line": "{line}", "amount": "7"}],
}

# (name, state, method, path, body, expectation)
ENDPOINTS: list[tuple[str, str, str, str, Any, Callable[[str, str], int]]] = [
    ("accounts list", "draft", "GET", "/programs/{code}/cost-accounts", None, cost_read()),
    ("account add", "draft", "POST", "/programs/{code}/cost-accounts",
     {"code": "NEW", "name": "New", "component": "C2"}, write(201, PM)),
    ("account patch", "draft", "PATCH", "/cost-accounts/{acct}", {"name": "Renamed"},
     write(200, PM)),
    ("baselines list", "draft", "GET", "/programs/{code}/budget/baselines", None, cost_read()),
    ("baseline get", "draft", "GET", "/budget-baselines/{base}", None, cost_read()),
    ("baseline history", "draft", "GET", "/budget-baselines/{base}/history", None, cost_read()),
    ("baseline patch", "draft", "PATCH", "/budget-baselines/{base}", {"notes": "n"},
     write(200, PM)),
    ("line add", "draft", "POST", "/budget-baselines/{base}/lines",
     {"cost_account": "C1-LAB", "amount": "3"}, write(201, PM)),
    ("line patch", "draft", "PATCH", "/budget-lines/{line}", {"amount": "3"}, write(200, PM)),
    ("line remove", "draft", "DELETE", "/budget-lines/{line}", None, write(204, PM)),
    ("baseline approve", "draft", "POST", "/budget-baselines/{base}/approve", {},
     write(200, PM)),
    ("compare", "approved", "GET", "/programs/{code}/budget/compare?a=1&b=1", None, cost_read()),
    ("changes list", "approved", "GET", "/programs/{code}/budget/change-requests", None,
     cost_read()),
    ("change get", "approved", "GET", "/budget-change-requests/{cr}", None, cost_read()),
    ("change propose", "approved", "POST", "/programs/{code}/budget/change-requests",
     LAB_CHANGE, write(201, PM_OR_CM)),
    ("change approve", "approved", "POST", "/budget-change-requests/{cr}/approve", {},
     write(200, PM)),
    ("change reject", "approved", "POST", "/budget-change-requests/{cr}/reject",
     {"note": "No"}, write(200, PM)),
    ("actuals list", "draft", "GET", "/programs/{code}/actual-costs", None, cost_read()),
    ("actual add", "draft", "POST", "/programs/{code}/actual-costs",
     {"cost_account": "C1-LAB", "date": "2026-03-02", "amount": "12"}, write(201, PM_OR_CM)),
    ("actuals import", "draft", "UPLOAD", "/programs/{code}/actual-costs/import",
     "date,cost account,amount\n2026-03-02,C1-LAB,12\n", write(201, PM_OR_CM)),
    ("finance history", "draft", "GET", "/programs/{code}/budget/history", None, cost_read()),
]  # fmt: skip

CELLS = [
    pytest.param(*endpoint, role, where, id=f"{endpoint[0]}-{role}-{where}")
    for endpoint in ENDPOINTS
    for role in ROLES
    for where in ("own", "other")
]


@pytest.mark.parametrize(
    ("name", "state", "method", "path", "body", "expect", "role", "where"), CELLS
)
def test_permission_cell(
    world: World, api_as: Any, name: str, state: str, method: str, path: str, body: Any,
    expect: Callable[[str, str], int], role: str, where: str,
) -> None:  # fmt: skip
    target = _target(world, where, state)
    url = path.format(**target)
    client = api_as(world.by_role(role))
    writes_before = AuditRecord.objects.count()

    if method == "UPLOAD":
        upload = SimpleUploadedFile("costs.csv", body.encode(), content_type="text/csv")
        response = client.client.post(f"/api/v1{url}", {"file": upload}, headers=client.headers)
    else:
        if isinstance(body, dict) and "changes" in body:
            body = {**body, "changes": [{**c, "line": target["line"]} for c in body["changes"]]}
        response = client.call(method, url, body)

    expected = expect(role, where)
    assert response.status_code == expected, response.content
    if method != "GET" and expected >= 400:
        assert AuditRecord.objects.count() == writes_before, "a refused write left a trace"
