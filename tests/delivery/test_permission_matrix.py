"""Every role × every delivery endpoint × own/other program: the expected HTTP status.

Reads: every member (404 outside). Deliverables and transition plans change by the
component's manager or the program manager. Accepting and rejecting: **only** the
deliverable's named accepting stakeholder — an administrator or the program manager
gets 403 like everyone else who can see it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from podium.core.models import AuditRecord
from podium.delivery import services
from podium.programs import services as program_services
from podium.programs.models import Role
from tests.conftest import World, make_user
from tests.delivery.conftest import build_outputs
from tests.programs.test_permission_matrix import PM_OR_CM, ROLES, read, write


def decided_by(ok: int, role_of_named: str) -> Callable[[str, str], int]:
    """Only the user in ``role_of_named`` (who is the named accepting stakeholder in the
    own program) may; every other user who sees the deliverable gets 403."""

    def expect(role: str, where: str) -> int:
        if role == "anonymous":
            return 401
        if role == "admin":
            return 403
        if where == "other" or role == "non_member":
            return 404
        return ok if role == role_of_named else 403

    return expect


def _target(w: World, where: str) -> dict[str, Any]:
    if where == "own":
        program, comp, manager, named, someone = w.alpha, w.comp, w.cm, w.stakeholder, w.viewer
    else:
        program, comp, manager = w.beta, w.comp_b, w.pm_b
        named, someone = make_user("sh_beta"), make_user("viewer_beta")
        for user in (named, someone):
            program_services.add_member(actor=None, program=program, user=user,
                                        role=Role.STAKEHOLDER)  # fmt: skip
    out = build_outputs(program, comp, manager, named, someone)
    producing = services.create_deliverable(
        actor=manager, program=program, component=comp, name="In production",
        accepting_stakeholder=named,
    )  # fmt: skip
    producing = services.start_production(actor=manager, deliverable=producing)
    return {
        "code": program.code, "ccode": comp.code, "comp": comp.pk, "planned": out.planned.pk,
        "producing": producing.pk, "mine": out.mine.pk, "other": out.other.pk,
        "accepted": out.accepted.pk, "item": out.item_open.pk, "done_item": out.item_done.pk,
    }  # fmt: skip


# (name, method, path, body, expectation)
ENDPOINTS: list[tuple[str, str, str, Any, Callable[[str, str], int]]] = [
    ("deliverables list", "GET", "/programs/{code}/deliverables", None, read()),
    ("board", "GET", "/programs/{code}/deliverable-board", None, read()),
    (
        "deliverable add",
        "POST",
        "/programs/{code}/deliverables",
        {"component": "{ccode}", "name": "New"},
        write(201, PM_OR_CM),
    ),
    ("deliverable get", "GET", "/deliverables/{planned}", None, read()),
    ("deliverable patch", "PATCH", "/deliverables/{planned}", {"name": "R"}, write(200, PM_OR_CM)),
    ("deliverable delete", "DELETE", "/deliverables/{planned}", None, write(204, PM_OR_CM)),
    ("start", "POST", "/deliverables/{planned}/start", {}, write(200, PM_OR_CM)),
    ("deliver", "POST", "/deliverables/{producing}/deliver", {}, write(200, PM_OR_CM)),
    ("accept mine", "POST", "/deliverables/{mine}/accept", {}, decided_by(200, "stakeholder")),
    (
        "reject mine",
        "POST",
        "/deliverables/{mine}/reject",
        {"reason": "Not yet"},
        decided_by(200, "stakeholder"),
    ),
    ("accept other", "POST", "/deliverables/{other}/accept", {}, decided_by(200, "viewer")),
    ("transition", "POST", "/deliverables/{accepted}/transition", {}, write(200, PM_OR_CM)),
    ("events", "GET", "/deliverables/{mine}/events", None, read()),
    ("evidence list", "GET", "/deliverables/{mine}/evidence", None, read()),
    ("plan get", "GET", "/components/{comp}/transition-plan", None, read()),
    (
        "plan put",
        "PUT",
        "/components/{comp}/transition-plan",
        {"receiving_organization": "Ops"},
        write(200, PM_OR_CM),
    ),
    (
        "item add",
        "POST",
        "/components/{comp}/transition-plan/items",
        {"text": "Runbook"},
        write(201, PM_OR_CM),
    ),
    ("item tick", "PATCH", "/transition-items/{item}", {"done": True}, write(200, PM_OR_CM)),
    ("item delete", "DELETE", "/transition-items/{done_item}", None, write(204, PM_OR_CM)),
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
        body = json.loads(json.dumps(body).replace("{ccode}", target["ccode"]))
    client = api_as(world.by_role(role))
    writes_before = AuditRecord.objects.count()

    response = client.call(method, url, body)

    expected = expect(role, where)
    assert response.status_code == expected, response.content
    if method != "GET" and expected >= 400:
        assert AuditRecord.objects.count() == writes_before, "a refused write left a trace"
