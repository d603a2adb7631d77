"""A forecast run end to end: started as a background job, simulated on the program's
network with the risk register's inputs, stored, and reproducible with its seed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from podium.core.errors import PermissionDenied, ValidationFailed
from podium.core.models import AuditRecord, Job
from podium.forecast import services
from podium.forecast.models import ForecastRun
from podium.schedule.models import ScheduleSettings
from podium.schedule.wall import to_wall
from tests.conftest import World
from tests.forecast.conftest import Inputs, fixed_inputs, pk, risky_inputs


def forecast(world: World, capture: Any, **kwargs: Any) -> ForecastRun:
    kwargs.setdefault("iterations", 300)
    kwargs.setdefault("seed", 7)
    with capture(execute=True):
        run, job = services.start_forecast(actor=world.pm, program=world.alpha, **kwargs)
    run.refresh_from_db()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.progress == 100 and job.result["forecast"] == run.pk
    return run


def test_fixed_estimates_forecast_the_deterministic_finish(
    world: World, scheduled: Any, use_inputs: Inputs, django_capture_on_commit_callbacks: Any
) -> None:
    use_inputs(fixed_inputs())
    run = forecast(world, django_capture_on_commit_callbacks)
    assert run.status == ForecastRun.Status.READY, run.error
    r = run.results
    scheduled_finish = to_wall(ScheduleSettings.objects.get(program=world.alpha).finish)
    assert r["deterministic"] == scheduled_finish.isoformat(timespec="minutes")  # type: ignore[union-attr]
    # no uncertainty: every percentile is the deterministic finish (Fri 2026-03-06 17:00)
    assert r["finish"]["p50"] == r["deterministic"] == "2026-03-06T17:00"
    assert r["finish"]["p10"] == r["finish"]["p90"] == r["deterministic"]
    assert r["sensitivity"] == []  # nothing varies
    assert r["counts"] == {"activities": 4, "uncertain": 3, "risks": 0, "correlations": 0}
    assert r["iterations"] == 300 and sum(b[2] for b in r["histogram"]) == 300
    # the critical path A -> B is critical in every iteration, C (float 2d) in none
    critical = {row["code"]: row["value"] for row in r["criticality"]}
    assert critical["A"] == critical["B"] == 1.0 and "C" not in critical


def test_a_risk_event_moves_the_p90_later_and_points_at_its_activity(
    world: World, scheduled: Any, use_inputs: Inputs, django_capture_on_commit_callbacks: Any
) -> None:
    use_inputs(fixed_inputs())
    calm = forecast(world, django_capture_on_commit_callbacks).results
    use_inputs(risky_inputs())
    risky = forecast(world, django_capture_on_commit_callbacks, target=dt.date(2026, 3, 10)).results
    assert risky["finish"]["p90"] > calm["finish"]["p90"]
    assert risky["finish"]["p50"] > risky["deterministic"] == calm["deterministic"]
    assert risky["finish"]["p10"] <= risky["finish"]["p50"] <= risky["finish"]["p80"]
    assert risky["finish"]["p80"] <= risky["finish"]["p90"]
    # B carries all the uncertainty: top of the tornado and of the P80 drivers
    top = risky["sensitivity"][0]
    assert (top["code"], top["component"], top["name"]) == ("B", "WARD-REFIT", "Rewire")
    assert top["value"] > 0.5
    driver = risky["drivers"][0]
    assert driver["code"] == "B" and driver["risks"] == ["R-1"] and driver["criticality"] == 1.0
    assert 0 < risky["probability_on_time"] < 1
    # the cumulative curve rises to 1 and the cost is kept (for those who may see it)
    shares = [p for _, p in risky["cumulative"]]
    assert shares == sorted(shares) and shares[-1] == 1.0
    assert 10_000 <= risky["cost"]["p90"] <= 40_000 and risky["cost"]["p10"] >= 0


def test_the_same_seed_repeats_a_run(
    world: World, scheduled: Any, use_inputs: Inputs, django_capture_on_commit_callbacks: Any
) -> None:
    use_inputs(risky_inputs())
    first = forecast(world, django_capture_on_commit_callbacks, seed=11)
    again = forecast(world, django_capture_on_commit_callbacks, seed=11)
    other = forecast(world, django_capture_on_commit_callbacks, seed=12)
    keep = ("finish", "histogram", "sensitivity")
    assert {k: first.results[k] for k in keep} == {k: again.results[k] for k in keep}
    assert first.results["histogram"] != other.results["histogram"]


def test_a_run_without_seed_stores_the_one_it_drew(
    world: World, scheduled: Any, use_inputs: Inputs, django_capture_on_commit_callbacks: Any
) -> None:
    use_inputs(risky_inputs())
    with django_capture_on_commit_callbacks(execute=True):
        run, _ = services.start_forecast(actor=world.cm, program=world.alpha, iterations=200)
    run.refresh_from_db()
    assert run.status == ForecastRun.Status.READY and run.seed >= 0
    repeat = forecast(world, django_capture_on_commit_callbacks, iterations=200, seed=run.seed)
    assert repeat.results["finish"] == run.results["finish"]
    record = AuditRecord.objects.filter(note="forecast started").first()
    assert record is not None and record.program_id == world.alpha.pk


def test_milestone_finishes_are_forecast(
    world: World, scheduled: Any, use_inputs: Inputs, django_capture_on_commit_callbacks: Any
) -> None:
    use_inputs(risky_inputs())
    run = forecast(world, django_capture_on_commit_callbacks)  # default: the milestones
    assert run.milestones == [int(pk("D"))]
    (ward,) = run.results["milestones"]
    assert (ward["code"], ward["name"]) == ("D", "Ward reopens")
    assert ward["deterministic"] == "2026-03-06T17:00"
    assert ward["p50"] == run.results["finish"]["p50"]  # D ends the program
    chosen = forecast(world, django_capture_on_commit_callbacks, milestones=[int(pk("C"))])
    assert [m["code"] for m in chosen.results["milestones"]] == ["C"]


def test_only_managers_start_forecasts_and_inputs_are_checked(world: World, scheduled: Any) -> None:
    for user in (world.stakeholder, world.team, world.viewer):
        with pytest.raises(PermissionDenied):
            services.start_forecast(actor=user, program=world.alpha, iterations=200)
    with pytest.raises(ValidationFailed) as exc:
        services.start_forecast(actor=world.pm, program=world.alpha, iterations=10)
    assert "iterations" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:  # an activity of another program
        services.start_forecast(
            actor=world.pm_b, program=world.beta, iterations=200, milestones=[int(pk("D"))]
        )
    assert "milestones" in exc.value.errors
    assert not ForecastRun.objects.exists()


def test_a_program_without_schedule_fails_with_a_reason(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run, job = services.start_forecast(actor=world.pm, program=world.alpha, iterations=200)
    run.refresh_from_db()
    job.refresh_from_db()
    assert run.status == ForecastRun.Status.FAILED and "no schedule" in run.error
    assert job.status == Job.Status.FAILED and job.error == run.error


def test_the_cost_forecast_starts_from_the_estimate_at_completion(
    world: World, use_inputs: Inputs, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.finance.conftest import approve, build_budget

    budget = build_budget(world.alpha, world.comp, world.pm)
    approve(budget)  # BAC 3,500 (lines), nothing earned or spent yet: EAC = 3,500
    use_inputs(risky_inputs())  # a risk that costs 10k..40k when it happens
    cost = forecast(world, django_capture_on_commit_callbacks).results["cost"]
    assert cost["base"] == 3500
    assert 3500 <= cost["p10"] <= cost["p50"] <= cost["p90"] <= 3500 + 40_000
    assert cost["p90"] >= 3500 + 10_000  # the risk happens in more than 10 % of iterations
