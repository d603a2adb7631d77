"""Resource pages: a program's pool, its load heatmap, over-allocations and capacity
against demand per skill; the organisation pool and the load of one of its resources
across programs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from podium.accounts.models import User
from podium.core.errors import REFUSALS, NotFound, ValidationFailed
from podium.core.views import AuthedRequest, add_form_errors, page
from podium.programs.models import Program
from podium.programs.permissions import can_change_program, can_see_costs, get_program, require
from podium.resources import leveling_services, selectors, services
from podium.resources.models import LevelingRun, Resource


class ResourceForm(forms.ModelForm):  # type: ignore[type-arg]
    skills = forms.CharField(
        required=False, max_length=1000, help_text="Comma-separated, e.g. Epic analyst, SQL"
    )

    class Meta:
        model = Resource
        fields = ["code", "name", "kind", "capacity", "standard_rate", "cost_per_use", "user"]
        help_texts = {"user": "A person resource's sign-in: their assignments show on My work."}

    def __init__(self, *args: Any, program: Program | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = User.objects.filter(is_active=True).order_by("username")
        if program is not None:
            users = users.filter(memberships__program=program)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]

    def validate_unique(self) -> None:  # the service checks, inside its transaction
        pass

    def clean_skills(self) -> list[str]:
        return [s.strip() for s in self.cleaned_data.get("skills", "").split(",") if s.strip()]


class PoolResourceForm(ResourceForm):
    """Changes to an organisation resource (the code stays)."""

    availability = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One period a line: start end units, e.g. 2026-07-01 2026-08-31 0.5",
    )

    class Meta(ResourceForm.Meta):
        fields = ["name", "kind", "capacity", "standard_rate", "cost_per_use", "user"]

    def clean_availability(self) -> list[dict[str, Any]]:
        periods = []
        for n, line in enumerate(self.cleaned_data.get("availability", "").splitlines(), 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 3:
                raise forms.ValidationError(f"Line {n}: start end units.")
            periods.append({"start": parts[0], "end": parts[1], "units": parts[2]})
        return periods


def _ratio(peak: float, capacity: float) -> float:
    if capacity > 0:
        return peak / capacity
    return float("inf") if peak > 0 else 0.0


def _bucket(ratio: float) -> str:
    if ratio <= 0:
        return "heat-0"
    if ratio > 1 + selectors.EPS:
        return "heat-over"
    return "heat-3" if ratio > 0.8 else "heat-2" if ratio > 0.5 else "heat-1"


# The bands of the load heatmap, the table's legend and its heat classes (``_bucket``): a
# share of capacity up to ``max`` (inclusive) falls in the band; the last one is open.
HEAT_BANDS: list[dict[str, Any]] = [
    {"key": "heat-1", "label": "≤ 50%", "max": 0.5},
    {"key": "heat-2", "label": "≤ 80%", "max": 0.8},
    {"key": "heat-3", "label": "≤ 100%", "max": 1 + selectors.EPS},
    {"key": "heat-over", "label": "over", "max": None},
]


def heatmap_data(table: selectors.LoadTable) -> dict[str, Any]:
    """The payload of the ``heatmap`` chart (charts.js) for a program's load table: rows
    are the resources, columns the weeks (Mondays, "YYYY-MM-DD"), values one
    ``[column, row, share, peak, capacity]`` per week with load (share = peak daily load
    over capacity; None when the resource has no capacity that week), bands the
    legend's. Weeks without load are left out (nothing drawn, like the table's empty
    cell)."""
    values: list[list[Any]] = []
    for y, row in enumerate(table.rows):
        for x, week in enumerate(row.weeks):
            if week.peak <= 0:
                continue
            share = week.peak / week.capacity if week.capacity > 0 else None
            values.append([x, y, share, week.peak, week.capacity])
    return {
        "rows": [
            {
                "code": row.resource.code,
                "name": row.resource.name,
                "organisation": row.resource.program_id is None,
            }
            for row in table.rows
        ],
        "columns": [w.isoformat() for w in table.weeks],
        "values": values,
        "bands": HEAT_BANDS,
    }


def _weeks(request: AuthedRequest) -> int:
    try:
        return max(4, min(104, int(request.GET.get("weeks", "26") or 26)))
    except ValueError:
        return 26


def _from(request: AuthedRequest) -> dt.date | None:
    """The ``from`` date of a load view, moved back to its Monday (None when absent or
    not a date)."""
    try:
        day = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        return None
    return day - dt.timedelta(days=day.weekday())


def _filters(request: AuthedRequest) -> dict[str, str]:
    filters = {k: request.GET.get(k, "").strip() for k in ("q", "skill", "kind", "scope")}
    if filters["kind"] not in Resource.Kind.values:
        filters["kind"] = ""
    if filters["scope"] not in selectors.SCOPES:
        filters["scope"] = ""
    return filters


def _pool(request: AuthedRequest, program: Program | None, filters: dict[str, str]) -> Any:
    return selectors.pool_list(
        request.user, program, scope=filters.get("scope") or "all",
        skill=filters["skill"] or None, kind=filters["kind"] or None, text=filters["q"] or None,
    )  # fmt: skip


def _version(request: AuthedRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def _form_fields(form: forms.BaseForm) -> dict[str, Any]:
    # An empty account choice unlinks the person (None kept for "user" only).
    return {k: v for k, v in form.cleaned_data.items() if v is not None or k == "user"}


@login_required
@page
def program_resources(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    can_change = can_change_program(request.user, program)
    form = ResourceForm(request.POST or None, program=program)
    if request.method == "POST":
        require(can_change, "Only the program manager manages the pool.")
        if form.is_valid():
            try:
                services.create_resource(actor=request.user, program=program, **_form_fields(form))
            except ValidationFailed as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, f"{form.cleaned_data['name']} added to the pool.")
                return redirect("resources:program", code=code)
    weeks = _weeks(request)
    table = selectors.resource_load(program, first_week=_from(request), weeks=weeks)
    rows: list[dict[str, Any]] = [
        {
            "load": row,
            "cells": [(w, _bucket(w.ratio)) for w in row.weeks],
            "over_days": row.over_days,
        }
        for row in table.rows
    ]
    filters = _filters(request)
    staffed = {row.resource.pk: row.assignments for row in table.rows}
    pool = [(r, staffed.get(r.pk, 0)) for r in _pool(request, program, filters)]
    return render(
        request,
        "resources/program.html",
        {
            "program": program,
            "table": table,
            "rows": rows,
            "heatmap": heatmap_data(table),
            "weeks": weeks,
            "pool": pool,
            "filters": filters,
            "filtered": any(filters.values()),
            "kinds": Resource.Kind.choices,
            "skills": selectors.skills(),
            "skill_rows": selectors.skill_capacity(program, table=table),
            "show_costs": can_see_costs(request.user, program),
            "form": form if can_change else None,
            "runs": LevelingRun.objects.filter(program=program)[:5],
            "components": program.components.order_by("code"),
            "can_level": can_change,
        },
    )


@login_required
@page
def pool(request: AuthedRequest) -> HttpResponse:
    """The organisation pool: every program member sees it, administrators change it."""
    if not selectors.can_see_pool(request.user):
        raise NotFound("No organisation pool here.")
    can_manage = selectors.can_manage_pool(request.user)
    form = ResourceForm(request.POST or None)
    if request.method == "POST":
        require(can_manage, services.ORG_POOL_ONLY)
        if form.is_valid():
            try:
                resource = services.create_resource(
                    actor=request.user, program=None, **_form_fields(form)
                )
            except ValidationFailed as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, f"{resource.name} added to the organisation pool.")
                return redirect("resources:pool")
    filters = _filters(request)
    return render(
        request,
        "resources/pool.html",
        {
            "resources": _pool(request, None, filters),
            "filters": filters,
            "filtered": any(filters.values()),
            "kinds": Resource.Kind.choices,
            "skills": selectors.skills(),
            "show_costs": selectors.can_see_pool_costs(request.user),
            "form": form if can_manage else None,
        },
    )


def _availability_text(resource: Resource) -> str:
    return "\n".join(
        f"{p['start']} {p.get('end') or p['start']} {p['units']:g}" for p in resource.availability
    )


@login_required
@page
def pool_resource(request: AuthedRequest, pk: int) -> HttpResponse:
    """One organisation resource: its load across programs (the user's programs in detail,
    the others as one figure) and, for administrators, its settings."""
    resource = selectors.get_resource(request.user, pk, organisation=True)
    can_manage = selectors.can_manage_pool(request.user)
    initial = {
        **model_to_dict(resource, fields=PoolResourceForm.Meta.fields),
        "skills": ", ".join(s.name for s in resource.skills.all()),
        "availability": _availability_text(resource),
    }
    # No ``instance``: validating the form must not change ``resource`` before the
    # service takes its "before" snapshot.
    form = PoolResourceForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require(can_manage, services.ORG_POOL_ONLY)
        if form.is_valid():
            try:
                services.update_resource(
                    actor=request.user, resource=resource,
                    expected_version=_version(request),
                    **_form_fields(form),
                )  # fmt: skip
            except REFUSALS as exc:
                if isinstance(exc, ValidationFailed):
                    add_form_errors(form, exc)
                else:
                    messages.error(request, exc.message)
            else:
                messages.success(request, f"{resource.code} saved.")
                return redirect("resources:pool-resource", pk=pk)
    weeks = _weeks(request)
    load = selectors.pool_resource_load(
        request.user, resource, first_week=_from(request), weeks=weeks
    )
    lines = [(code, [(w, w.programs.get(code, 0.0)) for w in load.weeks]) for code in load.programs]
    return render(
        request,
        "resources/pool_resource.html",
        {
            "resource": resource,
            "load": load,
            "weeks": weeks,
            "lines": lines,
            "totals": [(w, _bucket(_ratio(w.peak, w.capacity))) for w in load.weeks],
            "show_costs": selectors.can_see_pool_costs(request.user),
            "form": form if can_manage else None,
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
