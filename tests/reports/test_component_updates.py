"""The status report's "Component updates" section: each component's submitted update
of the week, on the page, in the PDF and in the API — built per reader, so the cost
rating stays out for those who may not see costs."""

from __future__ import annotations

from typing import Any

import pytest

from podium.programs.services import create_component
from podium.reports.pdf import status_report_pdf
from podium.reports.services import build_status_report
from tests.conftest import World
from tests.reports.conftest import pdf_text
from tests.updates.conftest import LAST_WEEK, THIS_WEEK, file, in_delivery

COST_REASON = "Vendor change order of 60 k EUR"


@pytest.fixture
def filed(world: World) -> World:
    other = create_component(actor=world.pm, program=world.alpha, code="C2", name="Theatre",
                             manager=world.cm)  # fmt: skip
    in_delivery(world.comp, other)
    file(world.cm, world.comp, THIS_WEEK, overall_rag="amber",
         overall_reason="Wave-1 test repeated.", cost_rag="amber", cost_reason=COST_REASON,
         help_needed="Release two pharmacists.")  # fmt: skip
    file(world.cm, other, LAST_WEEK)  # nothing this week
    return world


def test_the_page_shows_each_components_update(filed: World, client: Any) -> None:
    client.force_login(filed.pm)
    html = client.get("/programs/ALPHA/status-report/").content.decode()
    assert "Component updates" in html
    assert "Wave-1 test repeated." in html and "Release two pharmacists." in html
    assert COST_REASON in html
    assert "No status update was submitted for this week." in html  # C2


@pytest.mark.parametrize("role", ["stakeholder", "team_member", "viewer"])
def test_no_cost_rating_for_readers_without_cost_rights(
    filed: World, client: Any, api_as: Any, role: str
) -> None:
    user = filed.by_role(role)
    client.force_login(user)
    html = client.get("/programs/ALPHA/status-report/").content.decode()
    assert "Wave-1 test repeated." in html and COST_REASON not in html
    data = api_as(user).get("/programs/ALPHA/status-report").json()
    line = next(u for u in data["component_updates"] if u["component"] == "C1")
    assert line["overall_rag"] == "amber"
    assert "Cost" not in {d["label"] for d in line["dimensions"]}
    text = pdf_text(status_report_pdf(build_status_report(filed.alpha, user)))
    assert "Wave-1 test repeated." in text and COST_REASON not in text


def test_the_api_and_pdf_carry_the_section_for_managers(filed: World, api_as: Any) -> None:
    data = api_as(filed.pm).get("/programs/ALPHA/status-report").json()
    lines = {u["component"]: u for u in data["component_updates"]}
    assert lines["C1"]["submitted"] and lines["C1"]["help_needed"] == "Release two pharmacists."
    assert {"label": "Cost", "rag": "amber", "reason": COST_REASON} in lines["C1"]["dimensions"]
    assert not lines["C2"]["submitted"]
    text = pdf_text(status_report_pdf(build_status_report(filed.alpha, filed.pm)))
    assert "Component updates" in text and COST_REASON in text


def test_a_past_week_shows_that_weeks_updates(filed: World) -> None:
    report = build_status_report(filed.alpha, filed.pm, LAST_WEEK)
    lines = {line.component: line for line in report.component_updates}
    assert lines["C2"].update_id is not None and lines["C1"].update_id is None
