"""The figures a new update starts from are the ones the rest of Podium computes: the
component's slip against its baseline, its CPI and SPI from earned value, its open
risks, overdue feedback and late deliverables — and the suggested colours follow the
dashboard's thresholds."""

from __future__ import annotations

import datetime as dt

import pytest

from podium.dashboard import rules
from podium.delivery import services as delivery_services
from podium.feedback import services as feedback_services
from podium.feedback.selectors import overdue_items
from podium.finance import evm
from podium.programs.models import Program
from podium.risks import services as risk_services
from podium.schedule.models import Activity
from podium.schedule.services import import_project
from podium.updates import selectors
from podium.updates.figures import component_figures, for_reader, schedule_slip
from tests.conftest import World
from tests.schedule.conftest import small_project


def test_slip_is_forecast_against_baseline_finish_in_working_days(
    world: World, program: Program
) -> None:
    # X: baseline Mon 03-02 → Fri 03-13 (10 days); 80 % done at Thu 03-19 with 2 days
    # left → forecast finish Fri 03-20: 5 working days (7 calendar days) late.
    slip = schedule_slip(world.comp)
    assert slip["baseline_finish"] == "2026-03-13" and slip["forecast_finish"] == "2026-03-20"
    assert slip["slip_working_days"] == 5.0 and slip["slip_days"] == 7.0


def test_cpi_and_spi_are_the_components_earned_value(world: World, program: Program) -> None:
    figures = component_figures(world.comp, dt.date(2026, 3, 19))
    row = next(r for r in evm.program_evm(program).components if r.key == "C1")
    assert figures["cost"]["cpi"] == row.cpi == pytest.approx(5800 / 6800)
    assert figures["cost"]["spi"] == row.spi == pytest.approx(5800 / 11000)
    assert figures["schedule"]["spi_t"] == row.spi_t
    # CPI 0.85 is below the dashboard's amber threshold: red, by the dashboard's rule
    assert figures["suggested"]["cost"]["rag"] == "red"
    assert figures["suggested"]["cost"]["rule"] == rules.COST_RULE


def test_risks_feedback_and_deliverables_of_the_component_only(world: World) -> None:
    # C1's small schedule: milestone D "Ward reopens" on Fri 2026-03-06
    import_project(actor=world.pm, program=world.alpha, project=small_project(),
                   component=world.comp)  # fmt: skip
    program = world.alpha
    today = dt.date(2026, 4, 30)
    risk_services.create_risk(
        actor=world.pm, program=program, component=world.comp, title="Asbestos found",
        probability=0.9, schedule_score=5, cost_score=4,
    )  # fmt: skip
    risk_services.create_risk(
        actor=world.pm, program=program, title="Program-level risk", probability=0.9,
        schedule_score=5, cost_score=5,
    )  # fmt: skip
    for component in (world.comp, None):
        feedback_services.submit_feedback(
            actor=None, program=program, text="Nobody told the night shift.",
            component=component, submitted_by=world.stakeholder,
            at=dt.datetime(2026, 4, 1, 10, tzinfo=dt.UTC),
        )  # fmt: skip
    d = Activity.objects.get(component=world.comp, code="D")
    delivery_services.create_deliverable(
        actor=None, program=program, component=world.comp, name="Reopened ward", milestone=d
    )

    figures = component_figures(world.comp, today)

    expected_overdue = [i for i in overdue_items(program, today) if i.component_id == world.comp.pk]
    assert figures["feedback"]["overdue"] == len(expected_overdue) == 1
    assert figures["risks"]["open"] == 1 and figures["risks"]["high"] == 1
    assert figures["risks"]["high_without_response"] == 1
    assert figures["suggested"]["risks"]["rag"] == "red"  # a high threat without response
    assert figures["scope"] == {"total": 1, "late": 1, "rejected": 0, "latest_late_days": 55}
    assert figures["suggested"]["scope"]["rag"] == "red"  # late by more than 14 days
    assert figures["suggested"]["overall"]["rag"] == "red"


def test_readers_without_cost_rights_get_no_cost_figures(world: World, program: Program) -> None:
    figures = component_figures(world.comp, dt.date(2026, 3, 19))
    for user in (world.team, world.stakeholder, world.viewer):
        seen = for_reader(figures, user, program)
        assert "cost" not in seen and "cost" not in seen["suggested"]
    assert for_reader(figures, world.cm, program)["cost"]["cpi"] == figures["cost"]["cpi"]


def test_prefill_suggests_colours_and_carries_last_blockers(world: World, program: Program) -> None:
    from tests.updates.conftest import LAST_WEEK, file, in_delivery

    in_delivery(world.comp)
    file(world.cm, world.comp, LAST_WEEK, blockers="Cable supplier late.",
         next_steps="Rewire ward 4.", schedule_rag="amber",
         schedule_reason="Two days behind.")  # fmt: skip
    info = selectors.prefill(world.cm, world.comp)
    assert info["previous_next_steps"] == "Rewire ward 4."
    assert info["initial"]["blockers"] == "Cable supplier late."
    assert info["initial"]["cost_rag"] == info["suggested"]["cost"]["rag"]
    assert "resources_rag" not in info["initial"]  # no rule: the manager chooses
