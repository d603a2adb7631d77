"""Resource leveling of a whole program: from the stored schedule to the leveling engine
and back.

Time is cut into working hours of the program's default calendar, counted from the data
date (or the project start). Each activity keeps the start the critical-path schedule
gives it as a release time (a dummy source activity with start-to-start lags), so
calendars, constraints and component starts are respected; links become the engine's
generalized start-to-start lags; capacities and requests are counted in tenths of a
unit. Completed activities and summaries take no part. Started activities take part
with their remaining work (known limit: leveling may move their remaining work).

The resources are those the activities are assigned to (the program's own and the
organisation's shared ones). A resource's capacity varies with time (the engine's
capacity profile), period by period over a horizon long enough for the program:

* its calendar, day by day: on a program working day the resource does not work at all
  (its days off, holidays) its capacity is 0. Shorter hours on a day it works count as
  a whole day: an activity does not stop while its resource is away, so cutting the
  hours a part-time person is off out of every day would leave no room for any
  activity longer than their day; a part-time resource is given fractional units
  (``capacity`` 0.5) instead;
* its availability periods: the units of the period that covers the day instead of
  ``capacity``;
* fixed external load (units other programs already use on a shared resource between two
  instants), subtracted: its average over the period, rounded up to a tenth.

A period's units are those of the day it falls in (the average over its worked minutes
when it spans two days).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from podium.engine import calendars as ecal
from podium.engine import schedule
from podium.engine.errors import InfeasibleError
from podium.engine.leveling import LevelingResult, Progress, RcpspProblem, level
from podium.programs.models import Program
from podium.resources.models import Assignment, Resource
from podium.schedule.convert import build_network, engine_calendar
from podium.schedule.models import Activity, Link, ScheduleSettings
from podium.schedule.wall import to_wall

__all__ = ["LevelingOptions", "ProgramProblem", "build_problem", "level_program"]

PERIOD = 60  # minutes of work in one period
SCALE = 10  # capacities and requests in tenths of a unit
MAX_STRETCH = 5
"""The horizon grows by the inverse of the scarcest resource's share of its capacity
over the first estimate, up to this factor."""

ExternalLoad = Mapping[int, Sequence[tuple[datetime, datetime, float]]]
"""Per resource id: ``(start, finish, units)`` that other programs already use."""


@dataclass
class ProgramProblem:
    problem: RcpspProblem
    activities: list[Activity]  # index i + 1 in the problem (0 is the source)
    resources: list[Resource]
    calendar: ecal.Calendar
    anchor: datetime
    fixed: dict[int, int]
    deadlines: dict[int, int]
    priority: list[int]
    horizon: int = 0  # periods covered by the capacity profile
    profile: dict[int, list[tuple[int, int, int]]] = field(default_factory=dict)

    def to_datetime(self, period: int, *, start: bool = False) -> datetime:
        """The instant ``period`` working hours after the anchor; a start moves on to the
        next working minute (Thu 08:00 rather than Wed 17:00)."""
        moment = self.calendar.add_work(self.anchor, period * PERIOD)
        return self.calendar.next_work_start(moment) if start else moment


def _periods(minutes: int) -> int:
    return math.ceil(minutes / PERIOD)


class _Grid:
    """The program calendar's working time from the anchor: grid minute ``x`` is the
    ``x``-th working minute after the anchor, period ``p`` the minutes
    ``[60 p, 60 p + 60)``. Kept as one row per working interval of a day."""

    def __init__(self, calendar: ecal.Calendar, anchor: datetime, periods: int) -> None:
        self.calendar = calendar
        self.w0 = calendar.w_m(ecal.to_minutes(anchor))
        self.periods = periods
        total = periods * PERIOD
        # (day, start minute of day, end minute of day, grid minute of start)
        self.rows: list[tuple[date, int, int, int]] = []
        day = anchor.date()
        offset = calendar.w_m(ecal.to_minutes(datetime.combine(day, datetime.min.time())))
        offset -= self.w0
        while offset < total:
            for s, e in calendar.day_intervals(day):
                self.rows.append((day, s, e, offset))
                offset += e - s
            day = date.fromordinal(day.toordinal() + 1)

    def offset(self, moment: datetime) -> int:
        """Grid minute of ``moment`` (clamped to the grid)."""
        x = self.calendar.w_m(ecal.to_minutes(moment)) - self.w0
        return min(max(x, 0), self.periods * PERIOD)

    def per_period(self, spans: list[tuple[int, int, int]]) -> npt.NDArray[np.int64]:
        """Sum per period of a value given on disjoint, sorted grid-minute spans
        ``(a, b, v)`` (0 elsewhere): the integral
        :math:`F(x) = \\sum_{y < x} v(y)` is piecewise linear, read at period bounds."""
        xs: list[float] = [0.0]
        fs: list[float] = [0.0]
        total = 0
        for a, b, v in spans:
            xs += [a, b]
            fs += [total, total + v * (b - a)]
            total += v * (b - a)
        marks = np.arange(self.periods + 1, dtype=np.float64) * PERIOD
        cum = np.rint(np.interp(marks, xs, fs)).astype(np.int64)
        return np.diff(cum)


def _spans(
    grid: _Grid, resource: Resource, calendar: ecal.Calendar | None
) -> list[tuple[int, int, int]]:
    """Grid-minute spans where the resource works, with its units (tenths): the
    availability period covering the day (the first that does, as in the load view) or
    its capacity; only on the days its own calendar works when it has one."""
    base = max(1, round(resource.capacity * SCALE))
    periods = []
    for period in resource.availability or ():
        try:
            first = date.fromisoformat(period["start"])
            last = date.fromisoformat(period.get("end") or period["start"])
            units = max(0, round(float(period["units"]) * SCALE))
        except (KeyError, TypeError, ValueError):
            continue  # the resource form validates availability; skip anything else
        periods.append((first, last, units))
    out: list[tuple[int, int, int]] = []
    for day, s, e, offset in grid.rows:
        units = next((u for first, last, u in periods if first <= day <= last), base)
        if not units:
            continue
        if calendar is not None and not calendar.day_intervals(day):
            continue  # the resource's day off
        lo, hi = max(offset, 0), offset + e - s
        if lo < hi:
            out.append((lo, hi, units))
    return out


def _segments(per_period: npt.NDArray[np.int64], base: int) -> list[tuple[int, int, int]]:
    """Runs of periods whose capacity differs from ``base``, as ``(start, end, units)``."""
    change = np.flatnonzero(np.diff(per_period)) + 1
    bounds = [0, *change.tolist(), int(per_period.size)]
    return [
        (a, b, int(per_period[a]))
        for a, b in pairwise(bounds)
        if a < b and int(per_period[a]) != base
    ]


def _capacity_profile(
    grid: _Grid,
    resources: list[Resource],
    calendars: dict[int, ecal.Calendar],
    external: ExternalLoad,
) -> list[npt.NDArray[np.int64] | None]:
    """Capacity (tenths) per period of each resource, or None where nothing (calendar,
    availability, external load) changes its base capacity."""
    out: list[npt.NDArray[np.int64] | None] = []
    for r in resources:
        loads = external.get(r.pk, ())
        cal = calendars.get(r.calendar_id) if r.calendar_id is not None else None
        if cal is not None and cal == grid.calendar:
            cal = None
        if cal is None and not r.availability and not loads:
            out.append(None)
            continue
        spans = _spans(grid, r, cal)
        minutes = grid.per_period([(a, b, 1) for a, b, _ in spans])
        works = 2 * minutes >= PERIOD  # at least half of the hour
        cap = np.where(works, grid.per_period(spans) // np.maximum(minutes, 1), 0)
        if loads:
            cuts = sorted(
                (grid.offset(start), grid.offset(finish), round(units * SCALE))
                for start, finish, units in loads
            )
            # overlapping loads add up: split them into disjoint spans first
            edges = sorted({x for a, b, _ in cuts for x in (a, b)})
            spans = []
            for a, b in pairwise(edges):
                v = sum(u for lo, hi, u in cuts if lo <= a and b <= hi)
                if v:
                    spans.append((a, b, v))
            cap = np.maximum(cap + grid.per_period(spans) // -PERIOD, 0)  # load rounded up
        out.append(cap)
    return out


@dataclass(frozen=True)
class LevelingOptions:
    """What may move: ``components`` (codes; None = every component), only ``within_float``
    (no activity later than its critical-path late start), and only activities starting
    ``until`` a date (later ones keep their dates)."""

    components: tuple[str, ...] | None = None
    within_float: bool = False
    until: date | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LevelingOptions:
        comps = data.get("components")
        until = data.get("until")
        return cls(
            tuple(comps) if comps is not None else None,
            bool(data.get("within_float")),
            date.fromisoformat(until) if until else None,
        )


def build_problem(
    program: Program,
    options: LevelingOptions | None = None,
    *,
    external_load: ExternalLoad | None = None,
) -> ProgramProblem:
    """The program's open activities as the engine's problem (see the module docstring).

    ``external_load`` maps a resource id to ``(start, finish, units)`` that other
    programs already use on that shared resource: capacity taken away in those hours.
    """
    settings = ScheduleSettings.objects.get(program=program)
    calendar = (
        engine_calendar(settings.default_calendar)
        if settings.default_calendar
        else ecal.Calendar.standard()
    )
    anchor = to_wall(settings.data_date) or to_wall(settings.project_start)
    if anchor is None:
        raise ValueError("the program's schedule has not been computed")
    anchor = calendar.next_work_start(anchor)
    # Release times come from a critical-path schedule without the previous leveling.
    every = list(Activity.objects.filter(program=program).order_by("pk"))
    links = list(Link.objects.filter(program=program))
    cpm = schedule(build_network(program, settings, every, links, leveling=False))
    early = {a.pk: cpm.at(i).early_start for i, a in enumerate(every)}
    late = {a.pk: cpm.at(i).late_start for i, a in enumerate(every)}
    acts = list(
        Activity.objects.filter(program=program, actual_finish__isnull=True)
        .exclude(kind=Activity.Kind.SUMMARY)
        .select_related("component")
        .order_by("pk")
    )
    index = {a.pk: i + 1 for i, a in enumerate(acts)}
    durations = [0] + [
        _periods(a.remaining_minutes if a.remaining_minutes is not None else a.duration_minutes)
        for a in acts
    ]
    # The resources come through the assignments: the program's own and shared ones.
    assignments = list(
        Assignment.objects.filter(activity__in=acts)
        .exclude(resource__kind=Resource.Kind.MATERIAL)
        .select_related("resource", "resource__calendar")
        .order_by("pk")
    )
    by_pk = {asg.resource_id: asg.resource for asg in assignments}
    resources = sorted(by_pk.values(), key=lambda r: (r.program_id is None, r.code, r.pk))
    rindex = {r.pk: k for k, r in enumerate(resources)}
    capacities = [max(1, round(r.capacity * SCALE)) for r in resources]
    requests = [[0] * len(resources) for _ in range(len(acts) + 1)]
    for asg in assignments:
        k = rindex[asg.resource_id]
        requests[index[asg.activity_id]][k] = min(capacities[k], round(asg.units * SCALE))
    successors: list[list[int]] = [[] for _ in range(len(acts) + 1)]
    lags: list[list[int]] = [[] for _ in range(len(acts) + 1)]
    for a in acts:  # release times: the critical-path start of each activity
        start = early.get(a.pk) or anchor
        successors[0].append(index[a.pk])
        lags[0].append(_periods(max(0, calendar.work_between(anchor, max(start, anchor)))))
    for link in links:
        i, j = index.get(link.pred_id), index.get(link.succ_id)
        if i is None or j is None:
            continue
        d_i, d_j, lag = durations[i], durations[j], round(link.lag_minutes / PERIOD)
        gap = {"FS": d_i + lag, "SS": lag, "FF": d_i - d_j + lag, "SF": lag - d_j}[link.type]
        successors[i].append(j)
        lags[i].append(gap)
    # A horizon long enough for the program: every activity one after the other after
    # the latest release, stretched when a resource is mostly unavailable, with a margin.
    bound = max(lags[0], default=0) + sum(durations) + sum(max(0, g) for row in lags for g in row)
    bound += 1
    calendars = {
        r.calendar_id: engine_calendar(r.calendar)
        for r in resources
        if r.calendar_id is not None and r.calendar is not None
    }
    used = [any(row[k] for row in requests) for k in range(len(resources))]
    load = external_load or {}
    per_period = _capacity_profile(_Grid(calendar, anchor, bound), resources, calendars, load)
    share = min(
        (
            float(p.sum()) / (capacities[k] * bound)
            for k, p in enumerate(per_period)
            if p is not None and used[k]
        ),
        default=1.0,
    )
    horizon = bound
    if share < 1.0:
        stretch = min(MAX_STRETCH, 1.0 / max(share, 1e-9))
        horizon = math.ceil(bound * stretch) + bound // 2 + 2 * max(durations, default=0)
    codes = [r.code for r in resources]
    resource_names = [
        f"{r.code} (organisation)" if r.program_id is None and codes.count(r.code) > 1 else r.code
        for r in resources
    ]
    for attempt in range(2):
        if horizon != bound:
            grid = _Grid(calendar, anchor, horizon)
            per_period = _capacity_profile(grid, resources, calendars, load)
        profile = {
            k: segs
            for k, p in enumerate(per_period)
            if p is not None and (segs := _segments(p, capacities[k]))
        }
        try:
            problem = RcpspProblem(
                durations,
                successors,
                capacities,
                requests,
                lags=lags,
                names=["(start)"] + [f"{a.component.code} {a.code} {a.name}" for a in acts],
                resource_names=resource_names,
                capacity_profile=profile,
                horizon=horizon if profile else None,
            )
            break
        except InfeasibleError as exc:
            if not profile:
                raise
            if attempt:
                raise InfeasibleError(
                    f"{exc} (periods are working hours of the program calendar from "
                    f"{anchor:%Y-%m-%d %H:%M}, units are tenths)"
                ) from exc
            horizon *= 4  # once: a resource may just be away for long
    opts = options or LevelingOptions()
    fixed: dict[int, int] = {}
    deadlines: dict[int, int] = {}
    for a in acts:
        i = index[a.pk]
        release = lags[0][i - 1]
        start = early.get(a.pk) or anchor
        frozen = (
            (opts.components is not None and a.component.code not in opts.components)
            or (opts.until is not None and start.date() > opts.until)
            or a.actual_start is not None  # started work is not moved
        )
        if frozen:
            fixed[i] = release
        elif opts.within_float and late.get(a.pk) is not None:
            latest = late[a.pk]
            assert latest is not None
            deadlines[i] = _periods(max(0, calendar.work_between(anchor, max(latest, anchor))))
    priority = [1000] + [a.leveling_priority for a in acts]
    return ProgramProblem(
        problem, acts, resources, calendar, anchor, fixed, deadlines, priority, horizon, profile
    )


def level_program(
    program: Program,
    *,
    time_limit: float,
    options: LevelingOptions | None = None,
    progress: Any = None,
    external_load: ExternalLoad | None = None,
) -> tuple[ProgramProblem, LevelingResult]:
    built = build_problem(program, options, external_load=external_load)

    def report(p: Progress) -> None:
        if progress is not None:
            progress(p)

    result = level(
        built.problem,
        time_limit=time_limit,
        workers=2,
        progress=report,
        fixed=built.fixed or None,
        priority=built.priority,
        deadlines=built.deadlines or None,
    )
    return built, result
