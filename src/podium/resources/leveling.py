"""Resource leveling of a whole program: from the stored schedule to the leveling engine
and back.

Time is cut into working hours of the program's default calendar, counted from the data
date (or the project start). Each activity keeps the start the critical-path schedule
gives it as a release time (a dummy source activity with start-to-start lags), so
calendars, constraints and component starts are respected; links become the engine's
generalized start-to-start lags; capacities and requests are counted in tenths of a
unit. Completed activities and summaries take no part. Started activities take part
with their remaining work (known limit: leveling may move their remaining work).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from podium.engine import calendars as ecal
from podium.engine import schedule
from podium.engine.leveling import LevelingResult, Progress, RcpspProblem, level
from podium.programs.models import Program
from podium.resources.models import Assignment, Resource
from podium.schedule.convert import build_network, engine_calendar
from podium.schedule.models import Activity, Link, ScheduleSettings
from podium.schedule.wall import to_wall

__all__ = ["LevelingOptions", "ProgramProblem", "build_problem", "level_program"]

PERIOD = 60  # minutes of work in one period
SCALE = 10  # capacities and requests in tenths of a unit


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

    def to_datetime(self, period: int, *, start: bool = False) -> datetime:
        """The instant ``period`` working hours after the anchor; a start moves on to the
        next working minute (Thu 08:00 rather than Wed 17:00)."""
        moment = self.calendar.add_work(self.anchor, period * PERIOD)
        return self.calendar.next_work_start(moment) if start else moment


def _periods(minutes: int) -> int:
    return math.ceil(minutes / PERIOD)


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


def build_problem(program: Program, options: LevelingOptions | None = None) -> ProgramProblem:
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
    resources = list(Resource.objects.filter(program=program).exclude(kind=Resource.Kind.MATERIAL))
    rindex = {r.pk: k for k, r in enumerate(resources)}
    capacities = [max(1, round(r.capacity * SCALE)) for r in resources]
    requests = [[0] * len(resources) for _ in range(len(acts) + 1)]
    for asg in Assignment.objects.filter(activity__in=acts, resource__in=resources):
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
    problem = RcpspProblem(
        durations,
        successors,
        capacities,
        requests,
        lags=lags,
        names=["(start)"] + [f"{a.component.code} {a.code} {a.name}" for a in acts],
        resource_names=[r.code for r in resources],
    )
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
    return ProgramProblem(problem, acts, resources, calendar, anchor, fixed, deadlines, priority)


def level_program(
    program: Program,
    *,
    time_limit: float,
    options: LevelingOptions | None = None,
    progress: Any = None,
) -> tuple[ProgramProblem, LevelingResult]:
    built = build_problem(program, options)

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
