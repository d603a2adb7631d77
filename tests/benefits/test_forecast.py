"""The realization forecast: when each benefit can start realizing, from its enablers'
forecast dates, and from the Monte Carlo forecast when it followed their milestones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from podium.benefits import selectors, services
from podium.forecast.services import run_forecast
from podium.schedule.models import Activity
from tests.benefits.conftest import Trace, build_trace
from tests.conftest import World


@pytest.fixture
def trace(world: World) -> Trace:
    return build_trace(world.admin, world.pm)


def _rows(trace: Trace) -> dict[str, Any]:
    return {r.benefit.code: r for r in selectors.realization_forecast(trace.program)}


def test_without_a_forecast_run(trace: Trace) -> None:
    late = services.create_benefit(
        actor=trace.pm, program=trace.program, code="B6", name="Early target", kpi="K",
        baseline_value=0, baseline_date=dt.date(2026, 1, 1),
        targets=[(dt.date(2026, 3, 10), 5)], deliverables=[trace.d3],
    )  # fmt: skip
    rows = _rows(trace)
    expected = {code: row.expected_date for code, row in rows.items()}
    assert expected == {
        "B1": dt.date(2026, 3, 6), "B2": dt.date(2026, 3, 27), "B3": dt.date(2026, 3, 13),
        "B4": dt.date(2026, 6, 30), "B5": dt.date(2026, 3, 13), "B6": dt.date(2026, 3, 27),
    }  # fmt: skip
    # the profile improves from its baseline (01-01); it is enabled on 03-27
    assert rows[late.code].planned_start == dt.date(2026, 1, 1)
    assert rows[late.code].late_days == 85
    assert rows["B1"].late_days is None
    assert all("no forecast run" in r.monte_carlo for r in rows.values())
    assert all(r.p50 is None for r in rows.values())


def test_with_a_run_that_follows_some_milestones(trace: Trace) -> None:
    m1, m2 = (Activity.objects.get(component=trace.ward, code=c) for c in ("M1", "M2"))
    run = run_forecast(actor=trace.pm, program=trace.program, iterations=200, seed=7,
                       milestones=[m1.pk, m2.pk])  # fmt: skip
    assert run.status == "ready", run.error
    rows = _rows(trace)
    # no uncertainty in the register: the percentiles are the schedule's dates
    assert (rows["B1"].p50, rows["B1"].p80) == (dt.date(2026, 3, 6), dt.date(2026, 3, 6))
    assert rows["B3"].p80 == dt.date(2026, 3, 13)  # the later of M1 and M2
    assert rows["B2"].p50 is None and "did not follow" in rows["B2"].monte_carlo
    assert "no milestone" in rows["B4"].monte_carlo  # DATA has no deliverables


def test_a_new_forecast_follows_deliverable_milestones_by_default(trace: Trace) -> None:
    run = run_forecast(actor=trace.pm, program=trace.program, iterations=200, seed=7)
    m3 = Activity.objects.get(component=trace.portal, code="M3")
    assert m3.pk in run.milestones
    rows = _rows(trace)
    assert rows["B2"].monte_carlo == ""
    assert rows["B2"].p50 == dt.date(2026, 3, 27)


def test_forecast_api(trace: Trace, world: World, api_as: Any) -> None:
    response = api_as(world.pm).get("/programs/TRACE/benefits/forecast")
    assert response.status_code == 200
    by_code = {r["benefit"]["code"]: r for r in response.json()}
    assert by_code["B2"]["expected_date"] == "2026-03-27"
    assert [e["label"] for e in by_code["B2"]["enablers"]] == ["D1 Output D1", "D3 Output D3"]


def test_a_benefit_waiting_for_two_uncertain_milestones_is_later_than_either(
    trace: Trace,
) -> None:
    from podium.risks.services import set_estimate

    day = 480
    a, b = (Activity.objects.get(component=trace.ward, code=c) for c in ("A", "B"))
    for work in (a, b):  # two parallel pieces of work, each 5..15 days
        set_estimate(actor=trace.pm, activity=work, kind="uniform",
                     optimistic=5 * day, most_likely=10 * day, pessimistic=15 * day)  # fmt: skip
    m1, m2 = (Activity.objects.get(component=trace.ward, code=c) for c in ("M1", "M2"))
    run = run_forecast(actor=trace.pm, program=trace.program, iterations=4000, seed=3,
                       milestones=[m1.pk, m2.pk])  # fmt: skip
    assert run.status == "ready", run.error
    by_id = {int(m["id"]): m for m in run.results["milestones"]}
    each = max(dt.datetime.fromisoformat(by_id[m.pk]["p50"]).date() for m in (m1, m2))
    row = _rows(trace)["B3"]  # enabled by both M1 and M2
    # the median of the later of two draws is later than either median (12.1 vs 10 days)
    assert row.monte_carlo == "" and row.p50 is not None and row.p50 > each
    stored = next(x for x in run.results["benefits"] if x["id"] == trace.b3.pk)
    assert row.p50.isoformat() == stored["p50"] and row.p80.isoformat() == stored["p80"]
