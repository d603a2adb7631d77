"""The program's Forecast tab: the run form, the running job, the latest (or a chosen)
run's results with charts and their text alternatives, and earlier runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from podium.core.errors import REFUSALS
from podium.core.views import AuthedRequest, page
from podium.forecast import charts, selectors, services
from podium.forecast.models import ForecastRun
from podium.programs.models import Program
from podium.programs.permissions import can_see_costs, get_program
from podium.schedule.models import Activity


class ForecastForm(forms.Form):
    iterations = forms.IntegerField(
        min_value=services.MIN_ITERATIONS, max_value=services.MAX_ITERATIONS, initial=10_000
    )
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        help_text="Leave empty for a new one; the same seed repeats a run.",
    )
    target = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    milestones = forms.TypedMultipleChoiceField(
        required=False, coerce=int, help_text="Milestones whose dates to forecast (default: all)."
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestones"].choices = [  # type: ignore[attr-defined]
            (a.pk, f"{a.component.code} · {a.code} {a.name}")
            for a in Activity.objects.filter(program=program, kind=Activity.Kind.MILESTONE)
            .select_related("component")
            .order_by("finish", "pk")
        ]


def _dates(values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in values.items():
        try:
            out[key] = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        except ValueError:
            out[key] = value
    return out


def _context(request: AuthedRequest, program: Program, run: ForecastRun | None) -> dict[str, Any]:
    can_run = services.can_run_forecast(request.user, program)
    runs = list(selectors.run_list(program)[:10])
    running = next((r for r in runs if r.status == ForecastRun.Status.RUNNING), None)
    watch = None  # the job progress partial polls the job, which only its starter may see
    job = running.job if running is not None else None
    if job is not None and (job.created_by_id == request.user.pk or request.user.is_administrator):
        watch = job
    context: dict[str, Any] = {
        "program": program,
        "run": run,
        "runs": runs,
        "running": running,
        "job": watch,
        "can_run": can_run,
        "form": ForecastForm(program=program) if can_run else None,
    }
    if run is not None and run.status == ForecastRun.Status.READY:
        results = selectors.results_for(request.user, run)
        context.update(
            results=results,
            finish=_dates(results.get("finish") or {}),
            deterministic=_dates({"d": results.get("deterministic")})["d"],
            milestones=[_dates(m) for m in results.get("milestones") or []],
            histogram=[_dates({"a": a, "b": b}) | {"n": n} for a, b, n in results["histogram"]],
            cumulative=[(dt.datetime.fromisoformat(t), p) for t, p in results["cumulative"]],
            histogram_data=charts.histogram_chart(results, run.target),
            cumulative_data=charts.cumulative_chart(results, run.target),
            tornado_data=charts.tornado_chart(results),
            show_costs=can_see_costs(request.user, program) and results.get("cost"),
        )
    return context


@login_required
@page
def program_forecast(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    run = selectors.latest_ready(program)
    return render(request, "forecast/program.html", _context(request, program, run))


@login_required
@page
def run_page(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    run = selectors.get_run(program, pk)
    return render(request, "forecast/program.html", _context(request, program, run))


@login_required
@require_POST
@page
def start(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    form = ForecastForm(request.POST, program=program)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label or field if field in form.fields else ""
            messages.error(
                request, f"{label.capitalize()}: {' '.join(str(e) for e in errors)}".lstrip(": ")
            )
        return redirect("forecast:program", code=code)
    data = form.cleaned_data
    try:
        services.start_forecast(
            actor=request.user, program=program, iterations=data["iterations"],
            seed=data["seed"], target=data["target"], milestones=data["milestones"] or None,
        )  # fmt: skip
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Forecast started: the results appear here when it is done.")
    return redirect("forecast:program", code=code)
