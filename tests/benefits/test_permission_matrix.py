"""Every role × every benefits endpoint × own/other program: the expected HTTP status.

Reads: every member (404 outside). Benefits and their profiles: the program manager.
Measurements: the program manager and the benefit's owner (here the team member).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from podium.benefits import services
from podium.core.models import AuditRecord
from tests.conftest import World
from tests.programs.test_permission_matrix import PM, ROLES, read, write

MEASURERS = {"program_manager", "team_member"}


def _target(w: World, where: str) -> dict[str, Any]:
    program, comp, pm = (w.alpha, w.comp, w.pm) if where == "own" else (w.beta, w.comp_b, w.pm_b)
    owner = w.team if where == "own" else None
    benefit = services.create_benefit(
        actor=pm, program=program, name="Faster discharge", kpi="Hours", baseline_value=10,
        baseline_date=dt.date(2025, 1, 1), targets=[(dt.date(2025, 12, 31), 6)],
        direction="lower", owner=owner, components=[comp], expected_value="5000",
    )  # fmt: skip
    measurement = services.record_measurement(
        actor=pm, benefit=benefit, date=dt.date(2025, 6, 1), value=9
    )
    return {"code": program.code, "b": benefit.pk, "m": measurement.pk, "comp": comp.code}


NEW = {"name": "New", "kpi": "K", "baseline_value": 1, "baseline_date": "2025-01-01"}
TARGETS = {"targets": [{"date": "2025-12-31", "value": 5}]}
MEASURE = {"date": "2025-07-01", "value": 8}

# (name, method, path, body, expectation)
ENDPOINTS: list[tuple[str, str, str, Any, Callable[[str, str], int]]] = [
    ("benefits list", "GET", "/programs/{code}/benefits", None, read()),
    ("benefit add", "POST", "/programs/{code}/benefits", NEW, write(201, PM)),
    ("benefit get", "GET", "/benefits/{b}", None, read()),
    ("benefit patch", "PATCH", "/benefits/{b}", {"name": "Renamed"}, write(200, PM)),
    ("targets put", "PUT", "/benefits/{b}/targets", TARGETS, write(200, PM)),
    ("benefit delete", "DELETE", "/benefits/{b}", None, write(204, PM)),
    ("measurements list", "GET", "/benefits/{b}/measurements", None, read()),
    ("measurement add", "POST", "/benefits/{b}/measurements", MEASURE, write(201, MEASURERS)),
    ("measurement delete", "DELETE", "/benefit-measurements/{m}", None, write(204, PM)),
    ("summary", "GET", "/programs/{code}/benefits/summary", None, read()),
    ("traceability", "GET", "/programs/{code}/benefits/traceability", None, read()),
    (
        "descope",
        "GET",
        "/programs/{code}/benefits/descope-impact?component={comp}&cut=true",
        None,
        read(),
    ),
    ("forecast", "GET", "/programs/{code}/benefits/forecast", None, read()),
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
    client = api_as(world.by_role(role))
    writes_before = AuditRecord.objects.count()

    response = client.call(method, path.format(**target), body)

    expected = expect(role, where)
    assert response.status_code == expected, response.content
    if method != "GET" and expected >= 400:
        assert AuditRecord.objects.count() == writes_before, "a refused write left a trace"
