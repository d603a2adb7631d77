"""Register filters, the probability x impact matrix and the simulation inputs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from podium.engine.montecarlo import Correlation, Distribution, RiskEvent
from podium.risks import selectors, services
from podium.risks.models import Risk
from podium.schedule.models import Activity
from tests.conftest import World
from tests.risks.conftest import Risky


def test_simulation_inputs_in_engine_types_and_working_minutes(world: World, risky: Risky) -> None:
    inputs = selectors.simulation_inputs(world.alpha)

    assert inputs.durations == {
        str(risky.a.pk): Distribution("triangular", 600.0, 960.0, 1800.0),
        str(risky.b.pk): Distribution("pert", 1200.0, 1440.0, 2400.0),
    }
    by_id = {event.id: event for event in inputs.risks}
    assert set(by_id) == {"R-001", "R-002"}  # the closed risk takes no part
    threat = by_id["R-001"]
    assert isinstance(threat, RiskEvent)
    assert threat.probability == 0.4
    assert set(threat.activities) == {str(risky.a.pk), str(risky.b.pk)}
    assert threat.delay == Distribution(
        "triangular", 8 * 60.0, 16 * 60.0, 40 * 60.0
    )  # hours → minutes
    assert threat.cost == Distribution("triangular", 1000.0, 2000.0, 5000.0)
    assert inputs.correlations == [Correlation(str(risky.a.pk), str(risky.b.pk), 0.6)]
    assert inputs.costs == {}


def test_opportunities_take_time_off(world: World, risky: Risky) -> None:
    event = next(e for e in selectors.simulation_inputs(world.alpha).risks if e.id == "R-002")
    assert event.activities == (str(risky.c.pk),)
    assert event.delay == Distribution("pert", -16 * 60.0, -8 * 60.0, -4 * 60.0)
    assert event.cost is None


def test_occurred_risks_and_finished_activities_left_out(world: World, risky: Risky) -> None:
    services.occur_risk(actor=world.pm, risk=risky.threat, expected_version=None)
    Activity.objects.filter(pk=risky.a.pk).update(
        actual_finish=dt.datetime(2026, 3, 4, 17, tzinfo=dt.UTC)
    )

    inputs = selectors.simulation_inputs(world.alpha)

    assert list(inputs.durations) == [str(risky.b.pk)]
    assert [e.id for e in inputs.risks] == ["R-002"]
    assert inputs.correlations == []  # A's duration is known now: nothing to correlate


def test_simulation_inputs_without_costs(world: World, risky: Risky) -> None:
    inputs = selectors.simulation_inputs(world.alpha, include_costs=False)
    assert all(event.cost is None for event in inputs.risks)


def test_simulation_inputs_query_count(
    world: World, risky: Risky, django_assert_max_num_queries: Any
) -> None:
    for n in range(20):
        services.create_risk(
            actor=world.pm, program=world.alpha, title=f"R{n}", probability=0.1,
            duration_kind="uniform", duration_low=1, duration_high=2,
            activities=[risky.a, risky.c],
        )  # fmt: skip
    with django_assert_max_num_queries(4):
        inputs = selectors.simulation_inputs(world.alpha)
    assert len(inputs.risks) == 22


def test_matrix_counts_open_risks_per_cell(world: World, risky: Risky) -> None:
    program = selectors.matrix(world.alpha)
    # p 0.4 → 3, impact max(4, 3) = 4; the closed risk is not counted
    assert program.cell(3, 4).codes == ["R-001"]
    assert program.total == 1
    assert program.cell(3, 4).zone == "medium"
    opportunities = selectors.matrix(world.alpha, kind="opportunity")
    assert opportunities.cell(2, 2).codes == ["R-002"]  # p 0.2 → 2 (≤ 30 %)
    component = selectors.matrix(world.alpha, component=world.comp, kind="opportunity")
    assert component.total == 0  # the opportunity is program-level


def test_matrix_per_component(world: World, risky: Risky) -> None:
    services.create_risk(
        actor=world.pm, program=world.alpha, title="Program-wide", probability=0.95,
        schedule_score=5, cost_score=1,
    )  # fmt: skip
    assert selectors.matrix(world.alpha).cell(5, 5).codes == ["R-004"]
    assert selectors.matrix(world.alpha, component=world.comp).cell(5, 5).codes == []
    assert selectors.matrix(world.alpha, component=world.comp).total == 1


def test_register_filters(world: World, risky: Risky) -> None:
    def codes(**filters: Any) -> list[str]:
        return [r.code for r in selectors.risk_list(world.alpha, **filters)]

    assert codes() == ["R-001", "R-002", "R-003"]
    assert codes(component=world.comp.pk) == ["R-001", "R-003"]
    assert codes(component="program") == ["R-002"]
    assert codes(status="open") == ["R-001", "R-002"]
    assert codes(kind="opportunity") == ["R-002"]
    assert codes(owner=world.cm.pk) == ["R-001"]
    assert codes(text="beds") == ["R-001"]  # the event text
    assert codes(component="nonsense") == []
    assert Risk.objects.count() == 3
