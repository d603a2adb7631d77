"""Descope impact and "which benefits depend on this" on the TRACE program (see
conftest for the program and the hand computations' inputs)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from podium.benefits import selectors
from podium.core.errors import ValidationFailed
from podium.delivery.selectors import deliverable_dates
from tests.benefits.conftest import Trace, build_trace
from tests.conftest import World


@pytest.fixture
def trace(world: World) -> Trace:
    return build_trace(world.admin, world.pm)


def _codes(rows: Any) -> list[str]:
    return sorted(r.benefit.code for r in rows)


def test_schedule_dates_are_what_the_hand_computation_assumes(trace: Trace) -> None:
    dates = deliverable_dates(trace.program)
    assert [dates[d.pk].date().isoformat() for d in (trace.d1, trace.d2, trace.d3)] == [
        "2026-03-06", "2026-03-13", "2026-03-27",
    ]  # fmt: skip


def test_which_benefits_depend_on_a_deliverable_or_component(trace: Trace) -> None:
    on_d1 = selectors.benefits_depending_on(trace.program, deliverable=trace.d1)
    on_d3 = selectors.benefits_depending_on(trace.program, deliverable=trace.d3)
    on_ward = selectors.benefits_depending_on(trace.program, component=trace.ward)
    on_data = selectors.benefits_depending_on(trace.program, component=trace.data)
    # B3 is linked to WARD itself, so it depends on each of WARD's deliverables
    assert [b.code for b in on_d1] == ["B1", "B2", "B3"]
    assert [b.code for b in on_d3] == ["B2"]
    assert [b.code for b in on_ward] == ["B1", "B2", "B3", "B5"]
    assert [b.code for b in on_data] == ["B4"]


def test_delay_of_a_deliverable_names_the_benefits_and_the_value(trace: Trace) -> None:
    impact = selectors.descope_impact(trace.program, deliverable=trace.d1, delay_weeks=4)
    rows = {r.benefit.code: r for r in impact.rows}
    assert sorted(rows) == ["B1", "B2", "B3"]
    # B1: only D1 enables it: moves 28 days; loses 28 of 365 units by 2027-12-31
    assert rows["B1"].shift_days == 28
    assert rows["B1"].value_at_risk == Decimal("28000.00")
    # B2: D1 moves to 2026-04-03, one week after D3 (2026-03-27): moves 7 of 184 days
    assert rows["B2"].shift_days == 7
    assert rows["B2"].value_at_risk == Decimal("7000.00")
    # B3: WARD's later deliverable D2 (03-13) is overtaken by D1 (04-03): 21 days of 364
    assert rows["B3"].shift_days == 21
    assert rows["B3"].share == pytest.approx(21 / 364, abs=1e-6)
    assert rows["B3"].value_at_risk is None
    assert impact.total_value == Decimal("35000.00")
    assert impact.benefits_without_value == 1


def test_delay_hidden_behind_a_later_enabler_costs_nothing(trace: Trace) -> None:
    impact = selectors.descope_impact(trace.program, component=trace.ward, delay_weeks=2)
    rows = {r.benefit.code: r for r in impact.rows}
    assert sorted(rows) == ["B1", "B2", "B3", "B5"]
    # D1 + 2 weeks = 03-20, still before D3 (03-27): B2 does not move
    assert (rows["B2"].shift_days, rows["B2"].share) == (0, 0.0)
    assert rows["B1"].value_at_risk == Decimal("14000.00")
    # B5 is due in full on 2026-12-31 (213 days from its baseline): 14 of 10/213 per day
    assert rows["B5"].shift_days == 14
    assert rows["B5"].share == pytest.approx(14 / 213, abs=1e-6)
    assert rows["B5"].value_at_risk == Decimal("3286.38")  # 50,000 x 14/213
    assert impact.total_value == Decimal("17286.38")


def test_cut_puts_all_value_of_dependent_benefits_at_risk(trace: Trace) -> None:
    ward = selectors.descope_impact(trace.program, component=trace.ward, cut=True)
    assert _codes(ward.rows) == ["B1", "B2", "B3", "B5"]
    assert all(r.share == 1.0 for r in ward.rows)
    assert ward.total_value == Decimal(365_000 + 184_000 + 50_000)
    d3 = selectors.descope_impact(trace.program, deliverable=trace.d3, cut=True)
    assert _codes(d3.rows) == ["B2"]
    assert d3.total_value == Decimal(184_000)
    data = selectors.descope_impact(trace.program, component=trace.data, cut=True)
    assert _codes(data.rows) == ["B4"]
    assert data.total_value == Decimal(80_000)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"delay_weeks": 0},  # neither cut nor delay
        {"delay_weeks": -2},
        {"delay_weeks": 2, "both": True},
        {"delay_weeks": 2, "none": True},
    ],
)
def test_descope_refuses_unclear_questions(trace: Trace, kwargs: dict[str, Any]) -> None:
    args: dict[str, Any] = {"deliverable": trace.d1}
    if kwargs.pop("both", False):
        args["component"] = trace.ward
    if kwargs.pop("none", False):
        args = {}
    with pytest.raises(ValidationFailed):
        selectors.descope_impact(trace.program, **args, **kwargs)


def test_traceability_tree_both_ways(trace: Trace) -> None:
    tree = selectors.traceability(trace.program)
    (goal,) = tree.goals
    assert goal.goal is not None and goal.goal.title == "Safer care"
    nodes = {n.benefit.code: n for n in goal.benefits}
    assert [d.code for d in nodes["B2"].deliverables] == ["D1", "D3"]
    assert [c.code for c in nodes["B3"].components] == ["WARD"]
    comps = {c.component.code: c for c in tree.components}
    assert [b.code for b in comps["WARD"].benefits] == ["B3"]
    ward_deliverables = {d.deliverable.code: [b.code for b in d.benefits]
                         for d in comps["WARD"].deliverables}  # fmt: skip
    assert ward_deliverables == {"D1": ["B1", "B2"], "D2": ["B5"]}
    assert comps["DATA"].deliverables == []
    assert [b.code for b in comps["DATA"].benefits] == ["B4"]


def test_traceability_query_count_does_not_grow_with_benefits(
    trace: Trace, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(10):
        selectors.traceability(trace.program)
