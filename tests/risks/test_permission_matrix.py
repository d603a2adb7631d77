"""Every role × every risk endpoint × own/other program: the expected HTTP status.

Reads: every member (404 outside). Raising risks and issues: team members and managers.
Changing: the component's manager (the risks of ``comp``) or the program manager;
program-level entries and correlations across components: the program manager.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from podium.core.models import AuditRecord
from podium.risks import services
from tests.conftest import World
from tests.programs.test_permission_matrix import PM, PM_OR_CM, ROLES, read, write
from tests.risks.conftest import build_risky

RAISERS = {"team_member", "component_manager", "program_manager"}


def _target(w: World, where: str) -> dict[str, Any]:
    program, comp, pm = (w.alpha, w.comp, w.pm) if where == "own" else (w.beta, w.comp_b, w.pm_b)
    risky = build_risky(program, comp, pm, None)
    action = services.create_action(actor=pm, risk=risky.threat, description="Call supplier")
    issue = services.create_issue(actor=pm, program=program, component=comp, title="Keys")
    return {
        "code": program.code, "risk": risky.threat.pk, "prisk": risky.opportunity.pk,
        "action": action.pk, "issue": issue.pk, "act": risky.a.pk, "actc": risky.c.pk,
        "corr": risky.correlation.pk, "b": risky.b.pk, "c": risky.c.pk,
    }  # fmt: skip


ESTIMATE = {"kind": "pert", "optimistic": 60, "most_likely": 120, "pessimistic": 300}

# (name, method, path, body, expectation)
ENDPOINTS: list[tuple[str, str, str, Any, Callable[[str, str], int]]] = [
    ("risks list", "GET", "/programs/{code}/risks", None, read()),
    ("risk add", "POST", "/programs/{code}/risks", {"title": "New"}, write(201, RAISERS)),
    ("risk get", "GET", "/risks/{risk}", None, read()),
    ("risk patch", "PATCH", "/risks/{risk}", {"title": "Renamed"}, write(200, PM_OR_CM)),
    ("program risk patch", "PATCH", "/risks/{prisk}", {"title": "Renamed"}, write(200, PM)),
    ("risk history", "GET", "/risks/{risk}/history", None, read()),
    ("risk escalate", "POST", "/risks/{risk}/escalate", {"reason": "Why"}, write(200, PM_OR_CM)),
    ("risk occur", "POST", "/risks/{risk}/occur", {}, write(201, PM_OR_CM)),
    ("risk delete", "DELETE", "/risks/{prisk}", None, write(204, PM)),
    ("risk matrix", "GET", "/programs/{code}/risk-matrix", None, read()),
    ("actions list", "GET", "/risks/{risk}/actions", None, read()),
    (
        "action add",
        "POST",
        "/risks/{risk}/actions",
        {"description": "Chase"},
        write(201, PM_OR_CM),
    ),
    ("action patch", "PATCH", "/risk-actions/{action}", {"status": "done"}, write(200, PM_OR_CM)),
    ("action delete", "DELETE", "/risk-actions/{action}", None, write(204, PM_OR_CM)),
    ("issues list", "GET", "/programs/{code}/issues", None, read()),
    ("issue add", "POST", "/programs/{code}/issues", {"title": "New"}, write(201, RAISERS)),
    ("issue get", "GET", "/issues/{issue}", None, read()),
    ("issue patch", "PATCH", "/issues/{issue}", {"status": "resolved"}, write(200, PM_OR_CM)),
    (
        "issue escalate",
        "POST",
        "/issues/{issue}/escalate",
        {"reason": "Why"},
        write(200, PM_OR_CM),
    ),
    ("issue delete", "DELETE", "/issues/{issue}", None, write(204, PM_OR_CM)),
    ("estimates list", "GET", "/programs/{code}/estimates", None, read()),
    ("estimate get", "GET", "/activities/{act}/estimate", None, read()),
    ("estimate put", "PUT", "/activities/{b}/estimate", ESTIMATE, write(200, PM_OR_CM)),
    ("estimate delete", "DELETE", "/activities/{act}/estimate", None, write(204, PM_OR_CM)),
    ("correlations list", "GET", "/programs/{code}/correlations", None, read()),
    (
        "correlation add",
        "POST",
        "/programs/{code}/correlations",
        {"activity_a": "{act}", "activity_b": "{c}", "rho": 0.4},
        write(201, PM_OR_CM),
    ),
    ("correlation patch", "PATCH", "/correlations/{corr}", {"rho": 0.1}, write(200, PM_OR_CM)),
    ("correlation delete", "DELETE", "/correlations/{corr}", None, write(204, PM_OR_CM)),
]

CELLS = [
    pytest.param(name, method, path, body, expect, role, where, id=f"{name}-{role}-{where}")
    for (name, method, path, body, expect) in ENDPOINTS
    for role in ROLES
    for where in ("own", "other")
]


@pytest.mark.parametrize(("name", "method", "path", "body", "expect", "role", "where"), CELLS)
def test_permission_cell(
    world: World, api_as: Any, name: str, method: str, path: str, body: Any,
    expect: Callable[[str, str], int], role: str, where: str,
) -> None:  # fmt: skip
    target = _target(world, where)
    url = path.format(**target)
    if body is not None:
        body = {
            k: (int(target[v[1:-1]]) if isinstance(v, str) and v.startswith("{") else v)
            for k, v in body.items()
        }
    client = api_as(world.by_role(role))
    writes_before = AuditRecord.objects.count()

    response = client.call(method, url, body)

    expected = expect(role, where)
    assert response.status_code == expected, response.content
    if method != "GET" and expected >= 400:
        assert AuditRecord.objects.count() == writes_before, "a refused write left a trace"
