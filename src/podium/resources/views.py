"""Resource pages: the pool, its load heatmap, over-allocations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from podium.core.errors import REFUSALS, ValidationFailed
from podium.core.views import AuthedRequest, add_form_errors, page
from podium.programs.permissions import can_change_program, can_see_costs, get_program, require
from podium.resources import leveling_services, selectors, services
from podium.resources.models import LevelingRun, Resource


class ResourceForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Resource
        fields = ["code", "name", "kind", "capacity", "standard_rate", "cost_per_use"]

    def validate_unique(self) -> None:  # the service checks, inside its transaction
        pass


def _bucket(ratio: float) -> str:
    if ratio <= 0:
        return "heat-0"
    if ratio > 1 + selectors.EPS:
        return "heat-over"
    return "heat-3" if ratio > 0.8 else "heat-2" if ratio > 0.5 else "heat-1"


@login_required
@page
def program_resources(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    can_change = can_change_program(request.user, program)
    form = ResourceForm(request.POST or None)
    if request.method == "POST":
        require(can_change, "Only the program manager manages the pool.")
        if form.is_valid():
            try:
                services.create_resource(actor=request.user, program=program, **form.cleaned_data)
            except ValidationFailed as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, f"{form.cleaned_data['name']} added to the pool.")
                return redirect("resources:program", code=code)
    weeks = max(4, min(104, int(request.GET.get("weeks", "26") or 26)))
    table = selectors.resource_load(program, weeks=weeks)
    rows: list[dict[str, Any]] = [
        {
            "load": row,
            "cells": [(w, _bucket(w.ratio)) for w in row.weeks],
            "over_days": row.over_days,
        }
        for row in table.rows
    ]
    return render(
        request,
        "resources/program.html",
        {
            "program": program,
            "table": table,
            "rows": rows,
            "weeks": weeks,
            "show_costs": can_see_costs(request.user, program),
            "form": form if can_change else None,
            "runs": LevelingRun.objects.filter(program=program)[:5],
            "components": program.components.order_by("code"),
            "can_level": can_change,
        },
    )


@login_required
@require_POST
@page
def start_leveling(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    try:
        limit = float(request.POST.get("time_limit", "10") or 10)
    except ValueError:
        limit = 0
    options = {
        "components": request.POST.getlist("components") or None,
        "within_float": bool(request.POST.get("within_float")),
        "until": request.POST.get("until") or None,
    }
    try:
        _, job = leveling_services.start_leveling(
            actor=request.user, program=program, time_limit=limit, options=options
        )
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return redirect("resources:program", code=code)
    return redirect("job-detail", pk=job.pk)


@login_required
@page
def leveling_run(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    run = get_object_or_404(LevelingRun, program=program, pk=pk)
    return render(
        request,
        "resources/leveling.html",
        {"program": program, "run": run, "can_change": can_change_program(request.user, program)},
    )


@login_required
@require_POST
@page
def decide_leveling(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    run = get_object_or_404(LevelingRun.objects.select_related("program"), program=program, pk=pk)
    try:
        if request.POST.get("decision") == "accept":
            leveling_services.accept_leveling(actor=request.user, run=run)
            messages.success(request, "Leveling accepted: the schedule holds the moved activities.")
        else:
            leveling_services.discard_leveling(actor=request.user, run=run)
            messages.success(request, "Leveling discarded; the schedule is unchanged.")
    except REFUSALS as exc:
        messages.error(request, exc.message)
    return redirect("resources:leveling", code=code, pk=pk)
