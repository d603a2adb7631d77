"""Reads of forecast runs. Callers pass a program the user may see
(:func:`podium.programs.permissions.get_program`); cost figures leave only through
:func:`results_for`, which drops them for users who may not see costs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from podium.core.errors import NotFound
from podium.forecast.models import ForecastRun
from podium.programs.models import Program
from podium.programs.permissions import can_see_costs

__all__ = ["get_run", "latest_ready", "results_for", "run_list"]


def run_list(program: Program) -> QuerySet[ForecastRun]:
    return ForecastRun.objects.filter(program=program).select_related("created_by", "job")


def get_run(program: Program, pk: int) -> ForecastRun:
    run = run_list(program).filter(pk=pk).first()
    if run is None:
        raise NotFound(f"No forecast {pk}.")
    return run


def latest_ready(program: Program) -> ForecastRun | None:
    return run_list(program).filter(status=ForecastRun.Status.READY).first()


def results_for(user: Any, run: ForecastRun) -> dict[str, Any]:
    """The run's results as ``user`` may see them: without the cost distribution (not even
    its key) unless they may see the program's costs."""
    results = dict(run.results or {})
    if not can_see_costs(user, run.program):
        results.pop("cost", None)
    return results
