"""API endpoints for Monte Carlo forecasts of a program."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema, Status

from podium.core.api import ErrorOut
from podium.core.views import AuthedRequest
from podium.forecast import selectors, services
from podium.forecast.models import ForecastRun
from podium.forecast.schemas import ForecastIn, ForecastOut
from podium.programs.permissions import get_program

router = Router(tags=["forecast"])

ERRORS: dict[int, type[Schema]] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _out(request: AuthedRequest, run: ForecastRun) -> dict[str, Any]:
    job = run.job
    if job is not None and not (
        job.created_by_id == request.user.pk or request.user.is_administrator
    ):
        job = None  # a job is visible to the user who started it
    return {
        "id": run.pk,
        "program": run.program.code,
        "status": run.status,
        "iterations": run.iterations,
        "seed": run.seed,
        "target": run.target,
        "milestones": run.milestones,
        "created_at": run.created_at,
        "created_by": run.created_by.username if run.created_by else None,
        "error": run.error,
        "job": job,
        "results": selectors.results_for(request.user, run),
    }


@router.post("/programs/{code}/forecasts", response={202: ForecastOut, **ERRORS})
def start_forecast(request: AuthedRequest, code: str, payload: ForecastIn) -> Any:
    """Start a Monte Carlo forecast of the program in the background; poll the run (or
    its job) until its status is ``ready``."""
    program = get_program(request.user, code)
    run, _ = services.start_forecast(
        actor=request.user, program=program, iterations=payload.iterations,
        seed=payload.seed, target=payload.target, milestones=payload.milestones,
    )  # fmt: skip
    return Status(202, _out(request, selectors.get_run(program, run.pk)))


@router.get("/programs/{code}/forecasts", response={200: list[ForecastOut], 404: ErrorOut})
def list_forecasts(request: AuthedRequest, code: str) -> Any:
    """The program's forecast runs, newest first (the last 50)."""
    program = get_program(request.user, code)
    return [_out(request, run) for run in selectors.run_list(program)[:50]]


@router.get("/programs/{code}/forecasts/{run_id}", response={200: ForecastOut, 404: ErrorOut})
def get_forecast(request: AuthedRequest, code: str, run_id: int) -> Any:
    program = get_program(request.user, code)
    return _out(request, selectors.get_run(program, run_id))
