"""Expected values and values at risk are money: the API sends them only to users who
may see costs."""

from __future__ import annotations

from typing import Any

import pytest

from podium.programs import services as program_services
from podium.programs.models import Role
from tests.benefits.conftest import Trace, build_trace
from tests.conftest import World


@pytest.fixture
def trace(world: World) -> Trace:
    trace = build_trace(world.admin, world.pm)
    for user, role in ((world.stakeholder, Role.STAKEHOLDER), (world.cm, Role.COMPONENT_MANAGER)):
        program_services.add_member(actor=world.pm, program=trace.program, user=user, role=role)
    return trace


def test_benefit_value_only_for_cost_viewers(trace: Trace, world: World, api_as: Any) -> None:
    url = f"/benefits/{trace.b1.pk}"
    managed = api_as(world.cm).get(url).json()
    assert managed["expected_value"] == "365000.00" and managed["currency"] == "EUR"
    seen = api_as(world.stakeholder).get(url).json()
    assert "expected_value" not in seen and "currency" not in seen
    listed = api_as(world.stakeholder).get("/programs/TRACE/benefits").json()
    assert all("expected_value" not in b for b in listed)


def test_descope_value_only_for_cost_viewers(trace: Trace, world: World, api_as: Any) -> None:
    url = "/programs/TRACE/benefits/descope-impact?deliverable=D1&delay_weeks=4"
    pm = api_as(world.pm).get(url).json()
    assert float(pm["total_value_at_risk"]) == 35000.0
    assert {r["benefit"]["code"]: float(r["value_at_risk"] or 0) for r in pm["rows"]} == {
        "B1": 28000.0, "B2": 7000.0, "B3": 0.0,
    }  # fmt: skip
    seen = api_as(world.stakeholder).get(url).json()
    # largest share first: B1 28/365, B3 21/364, B2 7/184
    assert [r["benefit"]["code"] for r in seen["rows"]] == ["B1", "B3", "B2"]
    assert "total_value_at_risk" not in seen
    assert all("value_at_risk" not in r and "expected_value" not in r for r in seen["rows"])


def test_descope_api_refuses_an_unclear_question(trace: Trace, world: World, api_as: Any) -> None:
    response = api_as(world.pm).get("/programs/TRACE/benefits/descope-impact?deliverable=D1")
    assert response.status_code == 422
    unknown = api_as(world.pm).get("/programs/TRACE/benefits/descope-impact?component=NOPE&cut=1")
    assert unknown.status_code == 422
