"""Earned value and earned schedule on a small project computed by hand.

The project, on the standard calendar (Mon-Fri 08-12, 13-17), from Mon 1 Jan 2024 08:00:

* ``A`` design, Mon 08:00 - Tue 17:00 (16 h): fixed cost 1,000 and a cost per use of 20
  at its start, one designer at 50/h spread (800): BAC 1,820.
* ``B`` build, Wed 08:00 - Thu 17:00 (16 h): 10/h variable cost (160) spread, fixed cost
  400 at its finish: BAC 560.
* ``M`` hand-over milestone, Thu 17:00: 100.

So PV(k hours) = 1,020 + 50 k for 1 <= k <= 16 and 1,820 + 10 (k - 16) up to 32 h,
where B's 400 and M's 100 arrive: BAC 2,480.
"""

from __future__ import annotations

import doctest
import importlib
from datetime import datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podium.engine.calendars import Calendar
from podium.engine.errors import NetworkError
from podium.engine.evm import (
    ActivityBudget,
    ActivityProgress,
    CostItem,
    EvmProject,
    FiftyFifty,
    PercentComplete,
    ResourceCost,
    WeightedMilestones,
    ZeroHundred,
    cost_metrics,
    earned_value,
    evaluate,
)
from podium.engine.evm_schedule import PlannedValueCurve, earned_schedule, p_factor

MON = datetime(2024, 1, 1, 8)


def _project() -> EvmProject:
    a = ActivityBudget(
        "A", MON, datetime(2024, 1, 2, 17), fixed_cost=1000,
        resources=(ResourceCost("designer", 1.0, 50.0, cost_per_use=20),), component="design",
    )  # fmt: skip
    b = ActivityBudget(
        "B", datetime(2024, 1, 3, 8), datetime(2024, 1, 4, 17), fixed_cost=400,
        fixed_cost_accrual="finish", cost_per_hour=10, component="build",
    )  # fmt: skip
    m = ActivityBudget(
        "M", datetime(2024, 1, 4, 17), datetime(2024, 1, 4, 17),
        costs=(CostItem(100, "start"),), component="build",
    )  # fmt: skip
    return EvmProject((a, b, m), Calendar.standard())


# --------------------------------------------------------------------------- budgets, PV
def test_budgets_add_every_cost_rule() -> None:
    project = _project()
    assert project.budget("A") == 1820
    assert project.budget("B") == 560
    assert project.budget("M") == 100
    assert project.bac == 2480


@pytest.mark.parametrize(
    ("hours", "pv"),
    [
        (0, 0.0),  # nothing incurred at the very start instant
        (1, 1070.0),  # A's 1,020 at its first minute + one hour at 50
        (8, 1420.0),
        (16, 1820.0),  # Tue 17:00: A complete, B not begun
        (20, 1860.0),  # Wed 12:00: four hours of B at 10
        (32, 2480.0),  # Thu 17:00: B's finish cost and the milestone
        (40, 2480.0),
    ],
)
def test_planned_value_curve_by_working_hour(hours: int, pv: float) -> None:
    curve = _project().curve()
    assert curve.value(hours * 60) == pytest.approx(pv, rel=1e-12)


def test_planned_value_of_a_status_date_skips_nights() -> None:
    project = _project()
    evening = evaluate(project, {}, datetime(2024, 1, 2, 17)).project.pv
    night = evaluate(project, {}, datetime(2024, 1, 2, 23)).project.pv
    assert evening == night == 1820.0  # B starting Wed 08:00 has incurred nothing


def test_curve_vectorised_equals_sum_of_activities() -> None:
    curve = _project().curve()
    grid = np.arange(0, 33 * 60, 7.0)
    direct = np.array([curve.per_activity(w).sum() for w in grid])
    assert np.allclose(curve.values(grid), direct, rtol=1e-12, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 2000),
            st.integers(0, 600),
            st.floats(0, 1e4),
            st.floats(0, 1e4),
            st.floats(0, 1e4),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_curve_is_monotone_and_ends_at_the_budget(acts: list[tuple[int, ...]]) -> None:
    s = [a[0] for a in acts]
    f = [a[0] + a[1] for a in acts]
    curve = PlannedValueCurve(
        s, f, [a[2] for a in acts], [a[3] for a in acts], [a[4] for a in acts]
    )
    grid = np.linspace(-10, max(f) + 10, 257)
    values = curve.values(grid)
    assert np.all(np.diff(values) >= -1e-9 * max(curve.total, 1))
    assert values[-1] == pytest.approx(curve.total, rel=1e-9, abs=1e-9)
    assert values[0] == 0


# --------------------------------------------------------------------------- earning rules
AMOUNTS = (100.0, 300.0, 50.0)  # start, spread, finish: BAC 450
HALF_WAY = ActivityProgress(40, started=True, milestones_reached=2)
DONE = ActivityProgress(100)
NOT_STARTED = ActivityProgress(0)


@pytest.mark.parametrize(
    ("rule", "not_started", "half_way", "done"),
    [
        (PercentComplete(), 0.0, 100 + 0.4 * 300, 450.0),
        (ZeroHundred(), 0.0, 0.0, 450.0),
        (FiftyFifty(), 0.0, 225.0, 450.0),
        (WeightedMilestones((1, 2, 1)), 0.0, 450 * 0.75, 450.0),
    ],
)
def test_earning_rules(rule: object, not_started: float, half_way: float, done: float) -> None:
    assert earned_value(rule, AMOUNTS, NOT_STARTED) == not_started  # type: ignore[arg-type]
    assert earned_value(rule, AMOUNTS, HALF_WAY) == pytest.approx(half_way)  # type: ignore[arg-type]
    assert earned_value(rule, AMOUNTS, DONE) == done  # type: ignore[arg-type]


def test_started_without_percent_earns_start_amounts() -> None:
    assert earned_value(PercentComplete(), AMOUNTS, ActivityProgress(0, started=True)) == 100


# --------------------------------------------------------------------------- cost formulas
def test_cost_formulas() -> None:
    m = cost_metrics(bac=1000, pv=400, ev=300, ac=360)
    assert (m.sv, m.cv) == (-100, -60)
    assert m.spi == pytest.approx(0.75)
    assert m.cpi == pytest.approx(300 / 360)
    assert m.eac == 1060  # AC + (BAC - EV)
    assert m.eac_cpi == pytest.approx(1200)  # BAC / CPI
    assert m.eac_sci == pytest.approx(360 + 700 / 0.625)  # AC + (BAC - EV) / (CPI SPI)
    assert m.etc == pytest.approx(840)
    assert m.vac == pytest.approx(-200)
    assert m.tcpi == pytest.approx(700 / 640)


def test_zero_denominators_are_none() -> None:
    m = cost_metrics(bac=1000, pv=0, ev=0, ac=0)
    assert (m.spi, m.cpi, m.eac_cpi, m.eac_sci, m.etc, m.vac) == (None,) * 6
    assert m.eac == 1000 and m.tcpi == 1.0
    assert cost_metrics(bac=500, pv=500, ev=400, ac=500).tcpi is None  # AC = BAC


# --------------------------------------------------------------------------- earned schedule
def _two() -> PlannedValueCurve:
    # PV(k h) = 100 + 10 k up to 8 h, then 180 + 20 (k - 8) up to 16 h
    return PlannedValueCurve([0, 480], [480, 960], [100, 0], [80, 160], [0, 0])


def test_es_behind_interpolates_and_protrack_takes_whole_hours() -> None:
    es = earned_schedule(_two(), ev=165, at=600)  # PV(10 h) = 220: behind
    assert es.lipke_minutes == pytest.approx(6.5 * 60)  # 6 + (165 - 160) / (170 - 160)
    assert es.minutes == 360  # the last hour before AT with PV <= EV
    assert es.sv_t_minutes == -240 and es.spi_t == pytest.approx(0.6)
    lipke = earned_schedule(_two(), ev=165, at=600, method="lipke")
    assert lipke.minutes == pytest.approx(390)


def test_es_ahead_rounds_up_to_the_first_hour_reaching_ev() -> None:
    es = earned_schedule(_two(), ev=250, at=300)  # PV(5 h) = 150: ahead
    assert es.lipke_minutes == pytest.approx(11.5 * 60)  # between PV(11 h) 240 and 260
    assert es.minutes == 720
    assert es.spi_t == pytest.approx(720 / 300)


def test_es_on_schedule_inside_a_flat_stretch_is_at() -> None:
    gap = PlannedValueCurve([0, 360], [120, 480], [0, 0], [100, 100], [0, 0])
    es = earned_schedule(gap, ev=100, at=240)  # nothing planned 2 h - 6 h
    assert es.minutes == es.lipke_minutes == 240 and es.spi_t == 1


def test_es_is_capped_at_the_planned_duration() -> None:
    es = earned_schedule(_two(), ev=340, at=1500)
    assert es.minutes == es.lipke_minutes == 960
    assert es.spi_t == pytest.approx(960 / 1500)


def test_es_at_the_start_has_no_spi_t() -> None:
    es = earned_schedule(_two(), ev=0, at=0)
    assert (es.minutes, es.spi_t) == (0, None)
    assert p_factor(_two(), [0, 0], es=0) is None  # nothing planned by ES


def test_p_factor_counts_work_done_out_of_sequence_as_not_adhering() -> None:
    # at ES = 4 h, A planned 140 and B nothing; A earned 120 and B 60 (ahead of plan)
    assert p_factor(_two(), [120, 60], es=240) == pytest.approx(120 / 140)


# --------------------------------------------------------------------------- evaluate
def test_evaluate_project_components_and_schedule() -> None:
    progress = {
        "A": ActivityProgress(90, actual_cost=2000),
        "B": ActivityProgress(20, actual_cost=50),
    }
    status = evaluate(_project(), progress, datetime(2024, 1, 3, 12))  # AT = 20 h
    m = status.project
    assert m.pv == pytest.approx(1860)
    assert m.ev == pytest.approx(1020 + 0.9 * 800 + 0.2 * 160)  # 1,772
    assert m.ac == 2050
    assert m.spi == pytest.approx(1772 / 1860)
    assert m.cpi == pytest.approx(1772 / 2050)
    assert status.activities["B"].ev == pytest.approx(32)  # the finish cost is not earned
    build = status.components["build"]
    assert (build.bac, build.pv, build.ev, build.ac) == (660, 40, pytest.approx(32), 50)

    s = status.schedule
    assert s.lipke_es_hours == pytest.approx(15 + 2 / 50)  # PV(15 h) = 1,770
    assert s.es_hours == 15 and s.es == datetime(2024, 1, 2, 16)
    assert (s.at_hours, s.pd_hours, s.sv_t_hours) == (20, 32, -5)
    assert s.spi_t == pytest.approx(0.75)
    assert s.sci_t == pytest.approx(0.75 * 1772 / 2050)
    assert s.p_factor == pytest.approx(1740 / 1770)  # min(PV_A(ES), EV_A) / PV(ES)
    assert s.eac_t_pf1 == datetime(2024, 1, 5, 14)  # AT + (PD - ES) = 37 h
    assert s.eac_t_spi_t == datetime(2024, 1, 8, 11)  # 20 + 17 / 0.75 = 42.7 -> 43 h


def test_evaluate_before_anything_happened() -> None:
    status = evaluate(_project(), {}, MON)
    m, s = status.project, status.schedule
    assert (m.pv, m.ev, m.ac, m.spi, m.cpi) == (0, 0, 0, None, None)
    assert (s.es, s.spi_t, s.sci_t, s.p_factor, s.eac_t_spi_t) == (MON, None, None, None, None)
    assert s.eac_t_pf1 == datetime(2024, 1, 4, 17)  # the planned finish


# --------------------------------------------------------------------------- validation
def test_invalid_inputs_are_named() -> None:
    a = ActivityBudget("A", MON, datetime(2024, 1, 2, 17))
    with pytest.raises(NetworkError, match="duplicate activity id 'A'"):
        EvmProject((a, a), Calendar.standard())
    late = ActivityBudget("L", datetime(2024, 1, 3, 8), datetime(2024, 1, 2, 8))
    with pytest.raises(NetworkError, match="'L' finishes before it starts"):
        EvmProject((late,), Calendar.standard())
    with pytest.raises(NetworkError, match="within 0-100"):
        ActivityProgress(120)
    with pytest.raises(NetworkError, match="accrual"):
        CostItem(5, "sometimes")  # type: ignore[arg-type]
    with pytest.raises(NetworkError, match="none negative"):
        WeightedMilestones((1, -1))
    with pytest.raises(NetworkError, match="finite"):
        ActivityBudget("X", MON, MON, fixed_cost=float("nan"))
    with pytest.raises(NetworkError, match="unknown activity 'Z'"):
        evaluate(_project(), {"Z": ActivityProgress(10)}, MON)


@pytest.mark.parametrize("name", ["podium.engine.evm", "podium.engine.evm_schedule"])
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
