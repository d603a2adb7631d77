"""Resource load: what the schedule asks of each resource, day by day and week by week."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from podium.engine import calendars as ecal
from podium.programs.models import Program
from podium.resources.models import Assignment, Resource
from podium.schedule.convert import engine_calendar
from podium.schedule.models import Calendar, ScheduleSettings
from podium.schedule.wall import to_wall

__all__ = ["LoadTable", "WeekLoad", "resource_load"]

EPS = 1e-9


@dataclass
class WeekLoad:
    week: dt.date  # Monday
    peak: float  # highest daily load in the week, in units
    capacity: float

    @property
    def ratio(self) -> float:
        return self.peak / self.capacity if self.capacity > 0 else float("inf")

    @property
    def over(self) -> bool:
        return self.peak > self.capacity + EPS


@dataclass
class ResourceLoad:
    resource: Resource
    daily: dict[dt.date, float] = field(default_factory=dict)
    weeks: list[WeekLoad] = field(default_factory=list)

    @property
    def over_days(self) -> list[dt.date]:
        return [d for d, load in sorted(self.daily.items()) if load > self.capacity_on(d) + EPS]

    def capacity_on(self, day: dt.date) -> float:
        for period in self.resource.availability:
            if (
                dt.date.fromisoformat(period["start"])
                <= day
                <= dt.date.fromisoformat(period.get("end") or period["start"])
            ):
                return float(period["units"])
        return float(self.resource.capacity)


@dataclass
class LoadTable:
    weeks: list[dt.date]
    rows: list[ResourceLoad]

    @property
    def overallocated(self) -> list[ResourceLoad]:
        return [r for r in self.rows if r.over_days]


def _daily_minutes(
    cal: ecal.Calendar, start: dt.datetime, finish: dt.datetime
) -> dict[dt.date, float]:
    """Share of each day's working time that falls between ``start`` and ``finish``."""
    out = {}
    day = start.date()
    while day <= finish.date():
        day_start = dt.datetime.combine(day, dt.time())
        day_end = day_start + dt.timedelta(days=1)
        full = cal.work_between(day_start, day_end)
        if full:
            worked = cal.work_between(max(start, day_start), min(finish, day_end))
            if worked:
                out[day] = worked / full
        day += dt.timedelta(days=1)
    return out


def resource_load(
    program: Program, *, first_week: dt.date | None = None, weeks: int = 26
) -> LoadTable:
    """Load of every pool resource from the current schedule (remaining work only: from
    the data date on), per day and per week (peak daily load against capacity)."""
    settings = ScheduleSettings.objects.filter(program=program).first()
    data_date = to_wall(settings.data_date) if settings else None
    calendars = {c.pk: engine_calendar(c) for c in Calendar.objects.filter(program=program)}
    default = (
        calendars.get(settings.default_calendar_id)
        if settings and settings.default_calendar_id
        else None
    ) or ecal.Calendar.standard()
    rows = {r.pk: ResourceLoad(r) for r in Resource.objects.filter(program=program)}
    assignments = Assignment.objects.filter(resource__program=program).select_related(
        "activity", "resource"
    )
    for a in assignments:
        start, finish = to_wall(a.activity.start), to_wall(a.activity.finish)
        if start is None or finish is None or finish <= start or a.activity.actual_finish:
            continue
        if data_date is not None:
            if finish <= data_date:
                continue
            start = max(start, data_date)
        cal = calendars.get(a.resource.calendar_id or a.activity.calendar_id or 0) or default
        daily = rows[a.resource_id].daily
        for day, share in _daily_minutes(cal, start, finish).items():
            daily[day] = daily.get(day, 0.0) + a.units * share
    if first_week is None:
        anchor = data_date.date() if data_date else dt.date.today()
        first_week = anchor - dt.timedelta(days=anchor.weekday())
    week_list = [first_week + dt.timedelta(weeks=i) for i in range(weeks)]
    for row in rows.values():
        peaks: dict[dt.date, float] = defaultdict(float)
        caps: dict[dt.date, float] = {}
        for day, load in row.daily.items():
            monday = day - dt.timedelta(days=day.weekday())
            peaks[monday] = max(peaks[monday], load)
        for monday in week_list:
            caps[monday] = row.capacity_on(monday)
        row.weeks = [WeekLoad(w, round(peaks.get(w, 0.0), 3), caps[w]) for w in week_list]
    return LoadTable(week_list, sorted(rows.values(), key=lambda r: r.resource.code))
