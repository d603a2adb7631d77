"""Every role × every object endpoint × own/other program: the expected HTTP status.

"own" is program ALPHA, where the role is held; "other" is program BETA, where only the
administrator may look. Hidden objects answer 404 exactly like missing ones; visible
objects the role may not change answer 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from podium.core.models import AuditRecord
from podium.programs import services
from podium.programs.models import Role
from podium.resources.services import assign, create_resource
from podium.schedule.models import Activity
from podium.schedule.services import import_project, save_baseline
from tests.conftest import World, make_user
from tests.schedule.conftest import small_project

ROLES = [
    "anonymous", "non_member", "stakeholder", "team_member", "viewer",
    "component_manager", "program_manager", "admin",
]  # fmt: skip
MEMBERS = {"stakeholder", "team_member", "viewer", "component_manager", "program_manager"}


def read(ok: int = 200) -> Callable[[str, str], int]:
    def expect(role: str, where: str) -> int:
        if role == "anonymous":
            return 401
        if role == "admin" or (where == "own" and role in MEMBERS):
            return ok
        return 404

    return expect


def write(ok: int, allowed: set[str]) -> Callable[[str, str], int]:
    def expect(role: str, where: str) -> int:
        if role == "anonymous":
            return 401
        if role == "admin":
            return ok
        if where == "other" or role == "non_member":
            return 404
        return ok if role in allowed else 403

    return expect


PM = {"program_manager"}
PM_OR_CM = {"program_manager", "component_manager"}


def _target(w: World, where: str) -> dict[str, Any]:
    program, comp = (w.alpha, w.comp) if where == "own" else (w.beta, w.comp_b)
    extra = make_user(f"extra_{where}")
    membership = services.add_member(actor=None, program=program, user=extra, role=Role.VIEWER)
    joiner = make_user(f"joiner_{where}")
    import_project(actor=None, program=program, project=small_project(), component=comp)
    activity = Activity.objects.get(component=comp, code="A")
    baseline = save_baseline(actor=None, program=program, name="B0")
    resource = create_resource(actor=None, program=program, code="R1", name="Crew")
    other = Activity.objects.get(component=comp, code="B")
    assignment = assign(actor=None, activity=other, resource=resource)
    return {
        "res": resource.pk, "asg": assignment.pk,
        "code": program.code, "comp": comp.pk, "mem": membership.pk, "joiner": joiner,
        "act": activity.pk, "base": baseline.pk,
    }  # fmt: skip


# (name, method, path, body, expectation)
ENDPOINTS: list[tuple[str, str, str, Any, Callable[[str, str], int]]] = [
    ("program get", "GET", "/programs/{code}", None, read()),
    ("program patch", "PATCH", "/programs/{code}", {"vision": "New vision"}, write(200, PM)),
    (
        "program transition",
        "POST",
        "/programs/{code}/transitions",
        {"target": "planning", "reason": "Charter approved"},
        write(200, PM),
    ),
    ("program history", "GET", "/programs/{code}/history", None, read()),
    ("goals list", "GET", "/programs/{code}/goals", None, read()),
    ("goal add", "POST", "/programs/{code}/goals", {"title": "Faster care"}, write(201, PM)),
    ("components list", "GET", "/programs/{code}/components", None, read()),
    (
        "component add",
        "POST",
        "/programs/{code}/components",
        {"code": "NEW", "name": "New component"},
        write(201, PM),
    ),
    ("component get", "GET", "/components/{comp}", None, read()),
    (
        "component patch",
        "PATCH",
        "/components/{comp}",
        {"description": "More detail"},
        write(200, PM_OR_CM),
    ),
    (
        "component cancel",
        "POST",
        "/components/{comp}/transitions",
        {"target": "cancelled", "reason": "Descoped"},
        write(200, PM),
    ),
    ("component history", "GET", "/components/{comp}/history", None, read()),
    ("members list", "GET", "/programs/{code}/members", None, read()),
    (
        "member add",
        "POST",
        "/programs/{code}/members",
        {"user": "{joiner}", "role": "viewer"},
        write(201, PM),
    ),
    ("member role", "PATCH", "/memberships/{mem}", {"role": "stakeholder"}, write(200, PM)),
    ("member remove", "DELETE", "/memberships/{mem}", None, write(204, PM)),
    ("program export", "POST", "/programs/{code}/exports", None, write(202, PM)),
    ("activities list", "GET", "/programs/{code}/activities", None, read()),
    ("activity get", "GET", "/activities/{act}", None, read()),
    (
        "activity patch",
        "PATCH",
        "/activities/{act}",
        {"duration_minutes": 960},
        write(200, PM_OR_CM),
    ),
    ("schedule compute", "POST", "/programs/{code}/schedule/compute", None, write(200, PM_OR_CM)),
    ("baselines list", "GET", "/programs/{code}/baselines", None, read()),
    ("baseline save", "POST", "/programs/{code}/baselines", {"name": "B1"}, write(201, PM)),
    ("baseline variance", "GET", "/programs/{code}/baselines/{base}/variance", None, read()),
    ("resources list", "GET", "/programs/{code}/resources", None, read()),
    (
        "resource add",
        "POST",
        "/programs/{code}/resources",
        {"code": "R2", "name": "N"},
        write(201, PM),
    ),
    ("resource patch", "PATCH", "/resources/{res}", {"capacity": 2}, write(200, PM)),
    ("resource load", "GET", "/programs/{code}/resources/load", None, read()),
    ("assignments list", "GET", "/activities/{act}/assignments", None, read()),
    (
        "assignment add",
        "POST",
        "/activities/{act}/assignments",
        {"resource": "R1"},
        write(201, PM_OR_CM),
    ),
    ("assignment remove", "DELETE", "/assignments/{asg}", None, write(204, PM_OR_CM)),
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
        body = {k: (target["joiner"].username if v == "{joiner}" else v) for k, v in body.items()}
    client = api_as(world.by_role(role))
    writes_before = AuditRecord.objects.count()

    response = client.call(method, url, body)

    expected = expect(role, where)
    assert response.status_code == expected, response.content
    if method != "GET" and expected >= 400:
        assert AuditRecord.objects.count() == writes_before, "a refused write left a trace"


@pytest.mark.parametrize("role", ROLES)
def test_program_list_shows_only_own_programs(world: World, api_as: Any, role: str) -> None:
    response = api_as(world.by_role(role)).get("/programs")
    if role == "anonymous":
        assert response.status_code == 401
        return
    codes = {p["code"] for p in response.json()["items"]}
    expected = {
        "admin": {"ALPHA", "BETA"},
        "non_member": set(),
    }.get(role, {"ALPHA"})
    assert codes == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_admin_creates_programs(world: World, api_as: Any, role: str) -> None:
    response = api_as(world.by_role(role)).post("/programs", {"code": "GAMMA", "name": "Gamma"})
    expected = {"anonymous": 401, "admin": 201}.get(role, 403)
    assert response.status_code == expected
