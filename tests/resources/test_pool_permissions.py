"""Every role × every organisation-pool endpoint (and the resource endpoints that changed
with it) × own/other: the expected HTTP status.

For program endpoints "own" is ALPHA, where the role is held, and "other" is BETA. For
the organisation pool, "own" is an organisation resource ALPHA uses and "other" one only
BETA uses: the pool is the same for every program member either way (administrators
change it), and a refused write leaves no trace.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from podium.core.models import AuditRecord
from podium.resources.models import Resource
from podium.resources.services import assign, create_resource
from podium.schedule.models import Activity
from podium.schedule.services import import_project
from tests.conftest import World
from tests.schedule.conftest import small_project
from tests.security.permission_matrix import MEMBERS, PM_OR_CM, ROLES, read, write
from tests.security.permission_matrix import PM_ONLY as PM


def pool_read(ok: int = 200) -> Callable[[str, str], int]:
    def expect(role: str, where: str) -> int:
        if role == "anonymous":
            return 401
        return ok if role == "admin" or role in MEMBERS else 404

    return expect


def pool_write(ok: int) -> Callable[[str, str], int]:
    def expect(role: str, where: str) -> int:
        if role == "anonymous":
            return 401
        if role == "admin":
            return ok
        return 403 if role in MEMBERS else 404

    return expect


def _targets(w: World) -> dict[str, dict[str, Any]]:
    out = {}
    for where, program, comp in (("own", w.alpha, w.comp), ("other", w.beta, w.comp_b)):
        import_project(actor=None, program=program, project=small_project(), component=comp)
        org = create_resource(
            actor=None, program=None, code=f"ORG-{where}", name="Shared", skills=["SQL"]
        )
        own = create_resource(actor=None, program=program, code="R1", name="Crew")
        asg = assign(actor=None, activity=Activity.objects.get(component=comp, code="B"),
                     resource=org)  # fmt: skip
        act = Activity.objects.get(component=comp, code="A")
        out[where] = {"code": program.code, "org": org.pk, "res": own.pk, "act": act.pk,
                      "asg": asg.pk}  # fmt: skip
    return out


# (name, method, path, body, expectation)
ENDPOINTS: list[tuple[str, str, str, Any, Callable[[str, str], int]]] = [
    ("pool list", "GET", "/pool/resources?skill=sql&kind=role&q=shared", None, pool_read()),
    ("pool add", "POST", "/pool/resources", {"code": "NEW", "skills": ["Ops"], "name": "N"},
     pool_write(201)),
    ("pool get", "GET", "/pool/resources/{org}", None, pool_read()),
    ("pool load", "GET", "/pool/resources/{org}/load", None, pool_read()),
    ("pool patch", "PATCH", "/resources/{org}", {"skills": ["Ops"], "capacity": 2},
     pool_write(200)),
    ("skills list", "GET", "/pool/skills", None, pool_read()),
    ("skill capacity", "GET", "/programs/{code}/resources/skills", None, read()),
    ("resources filtered", "GET", "/programs/{code}/resources?scope=organisation&skill=SQL",
     None, read()),
    ("resource load", "GET", "/programs/{code}/resources/load", None, read()),
    ("resource add with skills", "POST", "/programs/{code}/resources",
     {"code": "R2", "name": "N", "skills": ["Ops"]}, write(201, PM)),
    ("resource skills", "PATCH", "/resources/{res}", {"skills": ["Ops"]}, write(200, PM)),
    ("staff from pool", "POST", "/activities/{act}/assignments", {"resource_id": "{org}"},
     write(201, PM_OR_CM)),
    ("unstaff pool", "DELETE", "/assignments/{asg}", None, write(204, PM_OR_CM)),
]  # fmt: skip

CELLS = [
    pytest.param(name, method, path, body, expect, role, where, id=f"{name}-{role}-{where}")
    for (name, method, path, body, expect) in ENDPOINTS
    for role in ROLES
    for where in ("own", "other")
]


@pytest.mark.parametrize(("name", "method", "path", "body", "expect", "role", "where"), CELLS)
def test_pool_permission_cell(
    world: World, api_as: Any, name: str, method: str, path: str, body: Any,
    expect: Callable[[str, str], int], role: str, where: str,
) -> None:  # fmt: skip
    target = _targets(world)[where]
    url = path.format(**target)
    if body is not None:
        body = {k: (target["org"] if v == "{org}" else v) for k, v in body.items()}
    client = api_as(world.by_role(role))
    writes_before = AuditRecord.objects.count()
    pool_before = Resource.objects.count()

    response = client.call(method, url, body)

    expected = expect(role, where)
    assert response.status_code == expected, response.content
    if method != "GET" and expected >= 400:
        assert AuditRecord.objects.count() == writes_before, "a refused write left a trace"
        assert Resource.objects.count() == pool_before


@pytest.mark.parametrize("role", ROLES)
def test_pool_lists_the_same_for_every_member(world: World, api_as: Any, role: str) -> None:
    _targets(world)
    response = api_as(world.by_role(role)).get("/pool/resources")
    expected = pool_read()(role, "own")
    assert response.status_code == expected
    if expected == 200:
        assert [r["code"] for r in response.json()] == ["ORG-OTHER", "ORG-OWN"]
