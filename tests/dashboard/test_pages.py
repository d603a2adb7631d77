"""The Dashboard and Roadmap pages and the dashboard API, as each role sees them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from podium.dashboard import selectors
from podium.feedback import services as feedback_services
from podium.risks import services as risk_services
from tests.conftest import World
from tests.finance.conftest import approve, build_budget

KEYS = ["schedule", "cost", "deliverables", "benefits", "feedback", "risks"]


def tiles(html: str) -> dict[str, str]:
    """dimension key → its colour class, from the page."""
    found = re.findall(r'class="rag-tile rag-tile-(\w+)" data-dimension="(\w+)"', html)
    return {key: rag for rag, key in found}


def test_pm_sees_six_tiles_with_colours_and_rules(world: World, plan: Any, client: Any) -> None:
    client.force_login(world.pm)
    response = client.get("/programs/ALPHA/dashboard/")
    html = response.content.decode()
    assert response.status_code == 200
    colours = tiles(html)
    assert list(colours) == KEYS
    # C2's milestone slipped 5 days behind the baseline by the link; critical float 0 d
    assert colours["schedule"] == "amber"
    assert "milestone slip +5 d" in html
    # probability 0.8 (score 5) x impact 4 = 20 > 12, no owner or response
    assert colours["risks"] == "red"
    assert colours["deliverables"] == "grey" and "No deliverables yet" in html
    # rules are in the page for hover (title) and for focus (described-by text)
    assert 'title="Worst of: SPI(t) green at 0.95' in html
    assert 'id="rule-schedule"' in html and 'aria-describedby="rule-schedule"' in html
    # top risks by score, next gates, links to the details
    assert html.index("Asbestos found") < html.index("Paint delivery late")
    assert "Program ALPHA: Formulation → Planning" in html
    assert 'href="/programs/ALPHA/risks/"' in html
    assert 'data-chart="trend"' in html and "milestone-trend-data" in html
    assert "<script>" not in html and 'style="' not in html


def test_high_risk_with_owner_and_response_is_amber(world: World, plan: Any) -> None:
    risk_services.update_risk(
        actor=world.pm, risk=plan.high_bare, expected_version=None,
        owner=world.pm, response="Survey first", strategy="mitigate",
    )  # fmt: skip
    status = selectors.program_status(world.alpha, world.pm)
    assert status.dimension("risks").rag == "amber"
    assert status.dimension("risks").figures["high_without_response"] == 0


def test_overdue_feedback_actions_show_for_the_team(world: World, plan: Any) -> None:
    today = dt.date(2026, 6, 1)
    feedback_services.create_action(
        actor=world.pm, program=world.alpha, title="Repaint signage", owner=world.team,
        due_date=dt.date(2026, 5, 20),
    )  # fmt: skip
    status = selectors.program_status(world.alpha, world.pm, today=today)
    assert [(a.title, a.days_overdue) for a in status.overdue_actions] == [("Repaint signage", 12)]
    # a stakeholder does not see the team's feedback work
    hidden = selectors.program_status(world.alpha, world.stakeholder, today=today)
    assert hidden.overdue_actions == []
    assert hidden.dimension("feedback").rag == "grey"


def test_late_deliverable_turns_the_tile_amber_then_red(world: World, plan: Any) -> None:
    from podium.delivery import services as delivery_services

    delivery_services.create_deliverable(
        actor=world.pm, program=world.alpha, component=world.comp, name="Ward handbook",
        milestone=plan.milestone,
    )  # fmt: skip
    # the milestone finishes 2026-03-06
    assert (
        selectors.program_status(world.alpha, world.pm, dt.date(2026, 3, 6))
        .dimension("deliverables")
        .rag
        == "green"
    )
    late = selectors.program_status(world.alpha, world.pm, dt.date(2026, 3, 10))
    assert late.dimension("deliverables").rag == "amber"
    assert late.dimension("deliverables").figures["late"] == 1
    very_late = selectors.program_status(world.alpha, world.pm, dt.date(2026, 4, 1))
    assert very_late.dimension("deliverables").rag == "red"


@pytest.fixture
def budgeted(world: World) -> Any:
    budget = build_budget(world.alpha, world.comp, world.pm)
    approve(budget)
    return budget


def test_cost_tile_for_pm_and_grey_for_stakeholder(
    world: World, budgeted: Any, client: Any, api_as: Any
) -> None:
    client.force_login(world.pm)
    html = client.get("/programs/ALPHA/dashboard/").content.decode()
    assert tiles(html)["cost"] != "grey"
    assert "BAC 3,500" in html
    data = api_as(world.pm).get("/programs/ALPHA/dashboard").json()
    cost = next(d for d in data["dimensions"] if d["key"] == "cost")
    assert cost["figures"]["bac"] == 3500

    client.force_login(world.stakeholder)
    html = client.get("/programs/ALPHA/dashboard/").content.decode()
    assert tiles(html)["cost"] == "grey"
    assert "Not visible with your role" in html
    assert "3,500" not in html and "BAC 3" not in html and "/performance/" not in html
    data = api_as(world.stakeholder).get("/programs/ALPHA/dashboard").json()
    cost = next(d for d in data["dimensions"] if d["key"] == "cost")
    assert cost == {**cost, "rag": "grey", "headline": "Not visible with your role", "figures": {}}
    assert "3500" not in str(data)


def test_api_shape_and_other_programs(world: World, plan: Any, api_as: Any) -> None:
    response = api_as(world.team).get("/programs/ALPHA/dashboard")
    assert response.status_code == 200
    data = response.json()
    assert [d["key"] for d in data["dimensions"]] == KEYS
    assert all(d["rule"] for d in data["dimensions"])
    assert data["top_risks"][0]["code"] == "R-001" and data["top_risks"][0]["score"] == 20
    assert {m["component"] for m in data["milestones"]} == {"C1", plan.comp2.code}
    assert len(data["milestone_trend"]["series"]) == 2
    assert api_as(world.outsider).get("/programs/ALPHA/dashboard").status_code == 404
    assert api_as(world.pm_b).get("/programs/ALPHA/dashboard").status_code == 404


def test_pages_answer_404_outside_the_program(world: World, client: Any) -> None:
    client.force_login(world.outsider)
    assert client.get("/programs/ALPHA/dashboard/").status_code == 404
    assert client.get("/programs/ALPHA/roadmap/").status_code == 404


def test_empty_program_dashboard_is_grey_and_says_what_next(world: World, client: Any) -> None:
    client.force_login(world.pm)
    assert client.get("/programs/BETA/dashboard/").status_code == 404  # pm is not in BETA
    client.force_login(world.pm_b)
    html = client.get("/programs/BETA/dashboard/").content.decode()
    assert set(tiles(html).values()) == {"grey"}
    assert "Save a baseline on the Schedule page" in html
    html = client.get("/programs/BETA/roadmap/").content.decode()
    assert "Import or compute the schedule" in html


def test_roadmap_draws_lanes_milestones_and_the_dependency(
    world: World, plan: Any, client: Any
) -> None:
    client.force_login(world.viewer)
    response = client.get("/programs/ALPHA/roadmap/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="roadmap-lane"') == 2
    assert "<title>C1 First component</title>" in html
    # C1's milestone on plan, C2's slipped 5 days behind the baseline
    assert 'class="roadmap-milestone on-plan"><title>D Ward reopens: 2026-03-06' in html
    assert "baseline 2026-03-06 (+5 d)</title>" in html
    assert html.count('class="roadmap-dependency"') == 1
    assert f"C1 D Ward reopens → {plan.comp2.code} B Rewire (FS)" in html
    assert 'class="roadmap-today"' in html and "roadmap-legend" in html
    # the table alternative
    assert f"<td>C1: D Ward reopens</td><td>{plan.comp2.code}: B Rewire</td>" in html
    assert "<script>" not in html and 'style="' not in html
