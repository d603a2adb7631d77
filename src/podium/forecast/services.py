"""Forecast runs: start one (a background job) or run one now (the demo), and the job
that simulates the program and stores what the forecast page shows.

The simulation is :func:`podium.engine.montecarlo.simulate` on the program's whole
network (:func:`podium.schedule.convert.build_network`, every component and the links
between them) with the uncertainty the risk register holds
(:func:`podium.risks.selectors.simulation_inputs`): three-point estimates, open risk
events, correlations and costs.
"""

from __future__ import annotations

import contextlib
import math
import secrets
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from datetime import time as dtime
from typing import Any

import numpy as np
from django.db import transaction
from django.urls import reverse

from podium.accounts.models import User
from podium.core import audit
from podium.core.errors import ValidationFailed
from podium.core.jobs import JobContext, JobFailed, job_handler, start_job
from podium.core.models import Job
from podium.engine import EngineError
from podium.engine.calendars import from_minutes
from podium.engine.montecarlo import SimulationResult, simulate
from podium.forecast.models import ForecastRun
from podium.programs.models import Program, Role
from podium.programs.permissions import can_change_program, require, roles_in
from podium.risks.selectors import SimulationInputs, simulation_inputs
from podium.schedule.convert import build_network
from podium.schedule.models import Activity, Link, ScheduleSettings
from podium.schedule.wall import to_wall

__all__ = [
    "MAX_ITERATIONS",
    "MIN_ITERATIONS",
    "can_run_forecast",
    "compute_forecast",
    "inputs_for",
    "run_forecast",
    "start_forecast",
]

MIN_ITERATIONS = 100
MAX_ITERATIONS = 100_000
PERCENTILES = (10, 20, 30, 40, 50, 60, 70, 80, 90)
TOP = 15  # activities kept in the criticality and sensitivity lists
DRIVERS = 10
MAX_MILESTONES = 12  # followed by default: the open milestones, earliest first
HISTOGRAM_BINS = 30
CUMULATIVE_POINTS = 60
_SKIPPED_KINDS = {Activity.Kind.SUMMARY, Activity.Kind.MILESTONE}
START_DENIED = "Only the program manager or a component manager can run a forecast."


def can_run_forecast(user: Any, program: Program) -> bool:
    """Program and component managers (and administrators) start forecasts; every member
    sees them."""
    return can_change_program(user, program) or Role.COMPONENT_MANAGER in roles_in(user, program)


def inputs_for(program: Program) -> SimulationInputs:
    """The uncertainty of the program's schedule (the seam tests replace)."""
    return simulation_inputs(program)


def _validate(
    program: Program, iterations: int, seed: int | None, milestones: Sequence[int] | None
) -> tuple[int, list[int]]:
    errors: dict[str, list[str]] = {}
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        errors["iterations"] = [f"Between {MIN_ITERATIONS:,} and {MAX_ITERATIONS:,}."]
    if seed is not None and not 0 <= seed < 2**63:
        errors["seed"] = ["A whole number from 0 up."]
    acts = Activity.objects.filter(program=program).exclude(kind=Activity.Kind.SUMMARY)
    if milestones is None:
        chosen = list(
            acts.filter(kind=Activity.Kind.MILESTONE, actual_finish__isnull=True)
            .order_by("finish", "pk")
            .values_list("pk", flat=True)[:MAX_MILESTONES]
        )
        # and the milestones of open deliverables, whose dates benefits are forecast from
        from podium.delivery.models import Deliverable

        enabling = acts.filter(
            pk__in=Deliverable.objects.filter(program=program).values("milestone_id"),
            kind=Activity.Kind.MILESTONE, actual_finish__isnull=True,
        ).order_by("finish", "pk")  # fmt: skip
        chosen += [pk for pk in enabling.values_list("pk", flat=True) if pk not in chosen]
    else:
        chosen = list(dict.fromkeys(int(m) for m in milestones if 0 < int(m) < 2**63))
        known = set(acts.filter(pk__in=chosen).values_list("pk", flat=True))
        if len(chosen) < len(set(milestones)):
            errors["milestones"] = ["Choose activities of this program."]
        if set(chosen) - known:
            errors["milestones"] = ["Choose activities of this program."]
    if errors:
        raise ValidationFailed(errors)
    return (seed if seed is not None else secrets.randbelow(2**31)), chosen


def _create(
    actor: User,
    program: Program,
    iterations: int,
    seed: int | None,
    target: date | None,
    milestones: Sequence[int] | None,
) -> ForecastRun:
    require(can_run_forecast(actor, program), START_DENIED)
    used_seed, chosen = _validate(program, iterations, seed, milestones)
    run = ForecastRun.objects.create(
        program=program, iterations=iterations, seed=used_seed, target=target,
        milestones=chosen, created_by=actor, updated_by=actor,
    )  # fmt: skip
    audit.record(
        user=actor, action="create", obj=run, before=None,
        after={"iterations": iterations, "seed": used_seed,
               "target": target.isoformat() if target else None},
        program_id=program.pk, note="forecast started",
    )  # fmt: skip
    return run


@transaction.atomic
def start_forecast(
    *,
    actor: User,
    program: Program,
    iterations: int = 10_000,
    seed: int | None = None,
    target: date | None = None,
    milestones: Sequence[int] | None = None,
) -> tuple[ForecastRun, Job]:
    """Queue a forecast of ``program``. Without a ``seed`` one is drawn and stored, so
    every run can be repeated; ``milestones`` (activity ids) default to the program's
    first open milestones."""
    run = _create(actor, program, iterations, seed, target, milestones)
    job = start_job(
        "forecast.simulate", user=actor, params={"run_id": run.pk}, program_id=program.pk,
        link=reverse("forecast:run", args=[program.code, run.pk]),
    )  # fmt: skip
    ForecastRun.objects.filter(pk=run.pk).update(job=job)
    run.job = job
    return run, job


def run_forecast(
    *,
    actor: User,
    program: Program,
    iterations: int = 10_000,
    seed: int | None = None,
    target: date | None = None,
    milestones: Sequence[int] | None = None,
) -> ForecastRun:
    """Create and compute a forecast in this process (the demo loader, the command line)."""
    with transaction.atomic():
        run = _create(actor, program, iterations, seed, target, milestones)
    with contextlib.suppress(JobFailed):  # the run carries the reason
        compute_forecast(run.pk)
    run.refresh_from_db()
    return run


@job_handler("forecast.simulate")
def simulate_job(ctx: JobContext, run_id: int) -> dict[str, Any]:
    last = [-1.0, 0.0]

    def report(share: float) -> None:
        # the engine may call often: write at most every half second
        now = time.monotonic()
        if share >= 1 or (share - last[0] >= 0.01 and now - last[1] >= 0.5):
            last[:] = [share, now]
            ctx.progress(5 + 90 * share, "simulating")

    ctx.progress(2, "building the network")
    results = compute_forecast(run_id, progress=report)
    return {
        "forecast": run_id,
        "p50": results["finish"]["p50"],
        "p80": results["finish"]["p80"],
        "probability_on_time": results["probability_on_time"],
    }


def _fail(run_id: int, message: str) -> JobFailed:
    ForecastRun.objects.filter(pk=run_id).update(status=ForecastRun.Status.FAILED, error=message)
    return JobFailed(message)


def compute_forecast(
    run_id: int, progress: Callable[[float], None] | None = None
) -> dict[str, Any]:
    """Simulate the run's program and store the results (or the reason it failed)."""
    run = ForecastRun.objects.select_related("program").get(pk=run_id)
    program = run.program
    settings, _ = ScheduleSettings.objects.get_or_create(program=program)
    activities = list(
        Activity.objects.filter(program=program).select_related("component").order_by("pk")
    )
    if not activities:
        raise _fail(run_id, "The program has no schedule yet: import or add activities first.")
    links = list(Link.objects.filter(program=program))
    try:
        network = build_network(program, settings, activities, links)
        inputs = inputs_for(program)
        target = datetime.combine(run.target, dtime(23, 59)) if run.target else None
        started = time.perf_counter()
        result = simulate(
            network, inputs.durations, risks=inputs.risks, costs=inputs.costs or None,
            correlations=inputs.correlations, iterations=run.iterations, seed=run.seed,
            target=target, milestones=[str(m) for m in run.milestones], progress=progress,
        )  # fmt: skip
        seconds = time.perf_counter() - started
    except (EngineError, ValueError) as exc:
        raise _fail(run_id, f"The forecast could not be computed: {exc}") from exc
    except Exception as exc:
        _fail(run_id, f"The forecast failed unexpectedly ({type(exc).__name__}).")
        raise
    results = summarize(
        result, activities, inputs, seconds=seconds, base_cost=_estimate_at_completion(program)
    )
    results["benefits"] = _benefit_dates(program, result)
    ForecastRun.objects.filter(pk=run_id).update(status=ForecastRun.Status.READY, results=results)
    return results


# -- results as stored -------------------------------------------------------------------


def _iso(value: datetime) -> str:
    return to_wall(value).isoformat(timespec="minutes")  # type: ignore[union-attr]


def _num(value: float) -> float | None:
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else round(value, 4)


def _benefit_dates(program: Program, result: SimulationResult) -> list[dict[str, Any]]:
    """Realization-date percentiles per benefit: in every iteration the latest date of
    its enablers (the simulated finish of an open deliverable's milestone; the date of a
    deliverable already done). Benefits with an open enabler the run did not follow (no
    milestone, or not among the run's milestones) are left out."""
    from podium.benefits.selectors import benefit_enablers

    out = []
    for pk, enablers in benefit_enablers(program).items():
        open_ = [e for e in enablers if not e.done]
        ids = [str(e.milestone_id) for e in open_ if e.milestone_id is not None]
        if not enablers or len(ids) < len(open_):
            continue
        if any(i not in result.milestone_finishes for i in ids):
            continue
        floor = max((e.date for e in enablers if e.done and e.date), default=None)
        if not ids and floor is None:
            continue
        latest = None
        if ids:
            latest = np.max(np.vstack([result.milestone_finishes[i] for i in ids]), axis=0)
        row: dict[str, Any] = {"id": pk}
        for p in PERCENTILES:
            day = None
            if latest is not None:
                minutes = round(float(np.percentile(latest, p, method="inverted_cdf")))
                day = to_wall(from_minutes(minutes)).date()  # type: ignore[union-attr]
            if floor is not None and (day is None or day < floor):
                day = floor
            row[f"p{p}"] = day.isoformat() if day else None
        out.append(row)
    return out


def _estimate_at_completion(program: Program) -> float:
    """The program's estimate at completion today, AC + (BAC - EV) from its earned value
    (0 without a budget or costs): the base on which the risks' cost impacts fall."""
    from podium.finance.evm import program_evm

    return float(program_evm(program).program.eac or 0.0)


def summarize(
    result: SimulationResult,
    activities: Sequence[Activity],
    inputs: SimulationInputs,
    *,
    seconds: float = 0.0,
    base_cost: float = 0.0,
) -> dict[str, Any]:
    """The stored form of a simulation (see :class:`ForecastRun`). The cost
    distribution is ``base_cost`` (the estimate at completion) plus the sampled cost of
    the risks and any activity cost distributions."""
    by_id = {str(a.pk): a for a in activities}
    risks_of: dict[str, list[str]] = {}
    for risk in inputs.risks:
        for activity_id in risk.activities:
            risks_of.setdefault(activity_id, []).append(risk.id)

    def describe(activity_id: str, value: float) -> dict[str, Any]:
        a = by_id[activity_id]
        return {
            "id": a.pk, "code": a.code, "name": a.name, "component": a.component.code,
            "value": _num(value),
        }  # fmt: skip

    def ranked(values: dict[str, float], key: Callable[[float], float]) -> list[dict[str, Any]]:
        rows = [
            (activity_id, v)
            for activity_id, v in values.items()
            if activity_id in by_id
            and by_id[activity_id].kind not in _SKIPPED_KINDS
            and _num(v) not in (None, 0.0)
        ]
        rows.sort(key=lambda row: (-key(row[1]), by_id[row[0]].pk))
        return [describe(activity_id, v) for activity_id, v in rows[:TOP]]

    drivers = []
    for activity_id, score in result.drivers(80, DRIVERS + 5):
        if activity_id not in by_id or by_id[activity_id].kind in _SKIPPED_KINDS:
            continue
        row = describe(activity_id, score)
        row["criticality"] = _num(result.criticality.get(activity_id, 0.0))
        row["sensitivity"] = _num(result.sensitivity.get(activity_id, 0.0))
        row["risks"] = risks_of.get(activity_id, [])
        row["uncertain"] = activity_id in inputs.durations
        drivers.append(row)
    cost = None
    if (result.cost is not None and len(result.cost)) or base_cost:
        sampled = result.cost if result.cost is not None else np.zeros(result.iterations)
        total = sampled + base_cost
        cost = {f"p{p}": _num(float(np.percentile(total, p))) for p in PERCENTILES}
        cost["mean"] = _num(float(np.mean(total)))
        cost["base"] = _num(base_cost)
    milestones = []
    for activity_id in result.milestone_finishes:
        a = by_id.get(activity_id)
        if a is None:
            continue
        finish = to_wall(a.finish)
        milestones.append({
            "id": a.pk, "code": a.code, "name": a.name, "component": a.component.code,
            "deterministic": finish.isoformat(timespec="minutes") if finish else None,
            **{f"p{p}": _iso(result.milestone_percentile(activity_id, p))
               for p in (10, 50, 80, 90)},
        })  # fmt: skip
    milestones.sort(key=lambda m: (m["p50"], m["id"]))
    return {
        "iterations": result.iterations,
        "finish": {
            **{f"p{p}": _iso(result.finish_percentile(p)) for p in PERCENTILES},
            "mean": _iso(result.finish_mean),
        },
        "deterministic": _iso(result.deterministic_finish),
        "probability_on_time": (
            None if result.probability_on_time is None else _num(result.probability_on_time)
        ),
        "histogram": [[_iso(a), _iso(b), int(n)] for a, b, n in result.histogram(HISTOGRAM_BINS)],
        "cumulative": [[_iso(t), _num(p)] for t, p in result.cumulative(CUMULATIVE_POINTS)],
        "criticality": ranked(result.criticality, key=lambda v: v),
        "sensitivity": ranked(result.sensitivity, key=abs),
        "drivers": drivers[:DRIVERS],
        "cost": cost,
        "milestones": milestones,
        "counts": {
            "activities": sum(1 for a in activities if a.kind != Activity.Kind.SUMMARY),
            "uncertain": len(inputs.durations),
            "risks": len(inputs.risks),
            "correlations": len(inputs.correlations),
        },
        "seconds": round(seconds, 2),
    }
