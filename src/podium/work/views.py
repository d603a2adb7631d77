"""Pages of "My work": my assignments, my weekly timesheet (hours per activity and day,
progress per activity), and for managers the program's timesheets to approve."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from podium.core.errors import REFUSALS, PermissionDenied, ValidationFailed
from podium.core.views import AuthedRequest, page, paginate_qs
from podium.programs.permissions import can_see_costs, get_program
from podium.resources.models import Assignment
from podium.work import selectors, services
from podium.work.models import ProgressReport, TimeEntry, Timesheet

PROGRESS_FIELDS = ("actual_start", "actual_finish", "percent_complete", "remaining_days")


def _version(request: AuthedRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@login_required
@page
def mine(request: AuthedRequest) -> HttpResponse:
    """My assignments across programs: late, due this week, in progress, next, later."""
    today = timezone.localdate()
    groups = selectors.group_assignments(request.user, today)
    linked = request.user.resources.exists()
    return render(
        request,
        "work/mine.html",
        {
            "groups": groups,
            "count": sum(len(rows) for _, _, rows in groups),
            "linked": linked,
            "week": selectors.monday_of(today),
        },
    )


@login_required
def this_week(request: AuthedRequest) -> HttpResponse:
    return redirect("work:week", week=selectors.monday_of(timezone.localdate()).isoformat())


# -- the week's grid ------------------------------------------------------------------------


@dataclass
class Cell:
    day: dt.date
    name: str
    value: str
    errors: list[str] = field(default_factory=list)
    future: bool = False


@dataclass
class Row:
    assignment: Assignment
    locked: bool
    cells: list[Cell]
    progress: dict[str, tuple[str, str, list[str]]]  # field → (input name, value, errors)
    total: Decimal = Decimal(0)

    @property
    def activity(self) -> Any:
        return self.assignment.activity


@dataclass
class Group:
    key: tuple[str, str]
    component: Any
    program: Any
    timesheet: Timesheet | None
    rows: list[Row] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _grid(
    request: AuthedRequest,
    monday: dt.date,
    posted: dict[str, str] | None,
    errors: dict[str, list[str]],
) -> tuple[list[Group], list[dt.date], dict[str, Timesheet]]:
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    today = timezone.localdate()
    sheets = {ts.component_id: ts for ts in selectors.week_timesheets(request.user, monday)}
    hours = {
        (e.activity_id, e.date): e.hours
        for e in TimeEntry.objects.filter(timesheet__user=request.user, timesheet__week=monday)
    }
    reports = {
        r.activity_id: r
        for r in ProgressReport.objects.filter(timesheet__user=request.user, timesheet__week=monday)
    }
    groups: dict[tuple[str, str], Group] = {}
    for a in selectors.week_activities(request.user, monday):
        act = a.activity
        ts = sheets.get(act.component_id)
        locked = ts is not None and not ts.editable
        key = (act.program.code, act.component.code)
        group = groups.setdefault(key, Group(key, act.component, act.program, ts))
        cells = []
        total = Decimal(0)
        for day in days:
            name = f"hours.{act.pk}.{day.isoformat()}"
            stored = hours.get((act.pk, day))
            total += stored or 0
            value = posted.get(name, "") if posted is not None and not locked else _text(stored)
            cells.append(Cell(day, name, value, errors.get(name, []), day > today))
        report = reports.get(act.pk)
        current = services.current_progress(act)
        progress = {}
        for f in PROGRESS_FIELDS:
            name = f"{f}.{act.pk}"
            source = report if report is not None else current
            value = (
                posted.get(name, "")
                if posted is not None and not locked
                else _text(getattr(source, f))
            )
            progress[f] = (name, value, errors.get(name, []))
        group.rows.append(Row(a, locked, cells, progress, total))
    versions = {ts.component.code: ts for ts in sheets.values()}
    return list(groups.values()), days, versions


def _parse(
    request: AuthedRequest, groups: list[Group]
) -> tuple[list[services.HoursIn], list[services.ProgressIn], dict[str, list[str]]]:
    hours: list[services.HoursIn] = []
    progress: list[services.ProgressIn] = []
    errors: dict[str, list[str]] = {}
    post = request.POST
    for group in groups:
        for row in group.rows:
            if row.locked:
                continue
            act = row.activity
            label = f"{act.code} {act.name}"
            for cell in row.cells:
                raw = post.get(cell.name, "").strip()
                if not raw:
                    continue
                try:
                    value = Decimal(raw.replace(",", "."))
                    if not value.is_finite():
                        raise InvalidOperation
                except InvalidOperation:
                    errors[cell.name] = [f"{label}, {cell.day:%a %Y-%m-%d}: enter hours as a "
                                         "number, e.g. 7.5."]  # fmt: skip
                    continue
                if value != 0:
                    hours.append(services.HoursIn(act.pk, cell.day, value))
            values: dict[str, Any] = {}
            for f in PROGRESS_FIELDS:
                name = f"{f}.{act.pk}"
                raw = post.get(name, "").strip()
                if not raw:
                    values[f] = None
                    continue
                try:
                    if f in ("actual_start", "actual_finish"):
                        values[f] = dt.date.fromisoformat(raw)
                    elif f == "percent_complete":
                        values[f] = float(raw.replace(",", "."))
                    else:
                        values[f] = Decimal(raw.replace(",", "."))
                except (ValueError, InvalidOperation):
                    errors[name] = [f"{label}: {f.replace('_', ' ')} is not valid."]
            if not any(name.endswith(f".{act.pk}") and name.split(".")[0] in PROGRESS_FIELDS
                       for name in errors):  # fmt: skip
                progress.append(services.ProgressIn(act.pk, **values))
    return hours, progress, errors


def _week_date(week: str) -> dt.date:
    try:
        return dt.date.fromisoformat(week)
    except ValueError as exc:
        raise Http404("Give the week as YYYY-MM-DD.") from exc


@login_required
@page
def week(request: AuthedRequest, week: str) -> HttpResponse:
    """My timesheet of one week: hours per activity and day, progress per activity;
    Save keeps a draft, Submit sends it to the approvers."""
    day = _week_date(week)
    monday = selectors.monday_of(day)
    if day != monday:
        return redirect("work:week", week=monday.isoformat())
    errors: dict[str, list[str]] = {}
    posted: dict[str, str] | None = None
    status = 200
    if request.method == "POST":
        groups, _, _ = _grid(request, monday, None, {})
        hours, progress, errors = _parse(request, groups)
        posted = {key: request.POST.get(key, "") for key in request.POST}
        versions = {
            key.removeprefix("version."): int(value)
            for key, value in posted.items()
            if key.startswith("version.") and value.isdigit()
        }
        submit = request.POST.get("action") == "submit"
        if not errors:
            try:
                with transaction.atomic():
                    services.save_week(
                        actor=request.user, week=monday, hours=hours, progress=progress,
                        versions=versions,
                    )  # fmt: skip
                    if submit:
                        submitted = services.submit_week(actor=request.user, week=monday)
            except ValidationFailed as exc:
                errors = exc.errors
            except REFUSALS as exc:
                errors = {"__all__": [exc.message]}
            else:
                if submit:
                    codes = ", ".join(ts.component.code for ts in submitted)
                    messages.success(request, f"Submitted for approval: {codes}.")
                else:
                    messages.success(request, "Saved as a draft.")
                return redirect("work:week", week=monday.isoformat())
        status = 422
    groups, days, sheets = _grid(request, monday, posted, errors)
    names = {c.name for g in groups for r in g.rows for c in r.cells}
    names |= {n for g in groups for r in g.rows for n, _, _ in r.progress.values()}
    day_errors = {d: errors.get(f"day.{d.isoformat()}", []) for d in days}
    other = [m for k, msgs in errors.items() if k not in names for m in msgs]
    editable = any(not r.locked for g in groups for r in g.rows)
    return render(
        request,
        "work/week.html",
        {
            "monday": monday,
            "sunday": monday + dt.timedelta(days=6),
            "days": days,
            "day_errors": day_errors,
            "groups": groups,
            "sheets": sheets,
            "errors": [m for msgs in errors.values() for m in msgs],
            "other_errors": other,
            "editable": editable,
            "previous": (monday - dt.timedelta(days=7)).isoformat(),
            "next": (monday + dt.timedelta(days=7)).isoformat(),
            "this_week": selectors.monday_of(timezone.localdate()),
        },
        status=status,
    )


# -- approval -------------------------------------------------------------------------------


def _require_approver(request: AuthedRequest, code: str) -> Any:
    program = get_program(request.user, code)
    if not selectors.is_approver_in(request.user, program):
        raise PermissionDenied(
            "Only the program manager and component managers approve timesheets."
        )
    return program


@login_required
@page
def program_timesheets(request: AuthedRequest, code: str) -> HttpResponse:
    """The program's timesheets I approve: awaiting my approval first; filters."""
    program = _require_approver(request, code)
    filters = {
        "status": request.GET.get("status", "")
        if request.GET.get("status", "") in Timesheet.Status.values
        else "",
        "person": request.GET.get("person", "").strip(),
        "week": request.GET.get("week", "").strip(),
    }
    week_day = None
    if filters["week"]:
        try:
            week_day = dt.date.fromisoformat(filters["week"])
        except ValueError:
            messages.error(request, "Enter the week as YYYY-MM-DD.")
            filters["week"] = ""
    qs = selectors.program_timesheets(
        request.user, program, status=filters["status"], person=filters["person"], week=week_day
    )
    people = (
        selectors.approvable(request.user, program)
        .values_list("user__username", flat=True)
        .distinct()
        .order_by("user__username")
    )
    return render(
        request,
        "work/program_timesheets.html",
        {
            "program": program,
            "page_obj": paginate_qs(request, qs),
            "filters": filters,
            "statuses": Timesheet.Status.choices,
            "people": list(people),
            "filtered": any(filters.values()),
        },
    )


def _detail_context(request: AuthedRequest, ts: Timesheet) -> dict[str, Any]:
    entries = list(TimeEntry.objects.filter(timesheet=ts).select_related("activity", "actual_cost"))
    days = [ts.week + dt.timedelta(days=i) for i in range(7)]
    by_activity: dict[int, dict[str, Any]] = {}
    for e in entries:
        row = by_activity.setdefault(
            e.activity_id, {"activity": e.activity, "hours": dict.fromkeys(days), "total": 0}
        )
        row["hours"][e.date] = e.hours
        row["total"] += e.hours
    rows = [{**row, "cells": [row["hours"][d] for d in days]} for row in by_activity.values()]
    progress = list(ProgressReport.objects.filter(timesheet=ts).select_related("activity"))
    costs = can_see_costs(request.user, ts.program)
    booked = [e for e in entries if e.actual_cost_id is not None]
    return {
        "program": ts.program,
        "ts": ts,
        "days": days,
        "rows": rows,
        "total": sum((e.hours for e in entries), Decimal(0)),
        "progress": progress,
        "can_decide": selectors.can_approve(request.user, ts)
        and ts.status == Timesheet.Status.SUBMITTED,
        "show_costs": costs,
        "booked": booked if costs else [],
        "booked_total": sum((e.actual_cost.amount for e in booked if e.actual_cost), Decimal(0)),
    }


@login_required
@page
def timesheet(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    ts = selectors.get_timesheet(request.user, program, pk)
    return render(request, "work/timesheet.html", _detail_context(request, ts))


@login_required
@require_POST
@page
def approve(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    ts = selectors.get_timesheet(request.user, program, pk)
    try:
        services.approve(actor=request.user, timesheet=ts, expected_version=_version(request))
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Approved the timesheet of {ts.user}.")
    return redirect("work:timesheet", code=code, pk=pk)


@login_required
@require_POST
@page
def reject(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = get_program(request.user, code)
    ts = selectors.get_timesheet(request.user, program, pk)
    try:
        services.reject(
            actor=request.user, timesheet=ts, expected_version=_version(request),
            reason=request.POST.get("reason", ""),
        )  # fmt: skip
    except ValidationFailed as exc:
        context = _detail_context(request, ts)
        context["reject_errors"] = [m for msgs in exc.errors.values() for m in msgs]
        return render(request, "work/timesheet.html", context, status=422)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Rejected the timesheet of {ts.user}; they were told why.")
    return redirect("work:timesheet", code=code, pk=pk)
