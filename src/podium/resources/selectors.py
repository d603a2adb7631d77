"""Reads of the resource pool.

* who may see the organisation pool, and the pool list with its filters (skill, kind,
  text);
* load: what the schedule asks of each resource, day by day and week by week, against
  capacity. An organisation resource carries the load of every program; a program sees
  the other programs' part only as one aggregate figure;
* :func:`external_load`: the other programs' work on the organisation resources a program
  uses, as fixed intervals for leveling;
* capacity against demand per skill and week for a program.

Dates are the schedules' wall-clock times. Only remaining work counts: each program's
work is cut at that program's data date, and finished activities take no part.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet

from podium.core.errors import NotFound
from podium.engine import calendars as ecal
from podium.programs.models import Membership, Program
from podium.programs.permissions import can_see_costs, visible_programs
from podium.resources.models import Assignment, Resource, Skill
from podium.schedule.convert import engine_calendar
from podium.schedule.models import Activity, Calendar, ScheduleSettings
from podium.schedule.wall import to_wall

__all__ = [
    "LoadTable",
    "PoolLoad",
    "SkillLoad",
    "WeekLoad",
    "can_manage_pool",
    "can_see_pool",
    "can_see_pool_costs",
    "external_load",
    "get_resource",
    "pool_list",
    "pool_resource_load",
    "resource_load",
    "skill_capacity",
    "skills",
    "visible_resources",
]

EPS = 1e-9
SCOPES = ("all", "program", "organisation")


# --- who may see and change the organisation pool -------------------------------------


def can_see_pool(user: Any) -> bool:
    """Administrators and everyone who belongs to a program see the organisation pool
    (program and component managers staff their activities from it)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if getattr(user, "is_administrator", False):
        return True
    cache = user.__dict__
    if "_podium_pool" not in cache:
        cache["_podium_pool"] = Membership.objects.filter(user=user).exists()
    return bool(cache["_podium_pool"])


def can_manage_pool(user: Any) -> bool:
    """Only administrators create and change organisation resources."""
    return bool(getattr(user, "is_administrator", False))


def can_see_pool_costs(user: Any) -> bool:
    """Rates of organisation resources: whoever may see costs in at least one program
    (:func:`podium.programs.permissions.can_see_costs`), and administrators."""
    if getattr(user, "is_administrator", False):
        return True
    return any(can_see_costs(user, p) for p in visible_programs(user))


def visible_resources(user: Any) -> QuerySet[Resource]:
    """Resources of the programs the user sees, plus the organisation pool when they may
    see it."""
    where = Q(program__in=visible_programs(user))
    if can_see_pool(user):
        where |= Q(program__isnull=True)
    return Resource.objects.filter(where)


def get_resource(user: Any, pk: int, *, organisation: bool | None = None) -> Resource:
    """A resource the user may see (404 otherwise); ``organisation`` True/False narrows to
    the organisation pool or to program resources."""
    qs = visible_resources(user).select_related("program")
    if organisation is not None:
        qs = qs.filter(program__isnull=organisation)
    resource = qs.filter(pk=pk).first()
    if resource is None:
        raise NotFound(f"No resource {pk}.")
    return resource


def skills() -> QuerySet[Skill]:
    return Skill.objects.order_by("name")


def pool_list(
    user: Any,
    program: Program | None = None,
    *,
    scope: str = "all",
    skill: str | None = None,
    kind: str | None = None,
    text: str | None = None,
) -> QuerySet[Resource]:
    """The pool the user may see, filtered. Without ``program``: the organisation pool.
    With a (visible) ``program``: its own resources (``scope="program"``), the
    organisation's (``"organisation"``) or both (``"all"``), program ones first.
    ``skill`` matches a skill name exactly (any case); ``text`` matches code, name or a
    skill name in part."""
    org = Q(program__isnull=True) if can_see_pool(user) else Q(pk__in=[])
    if program is None:
        where = org
    elif scope == "program":
        where = Q(program=program)
    elif scope == "organisation":
        where = org
    else:
        where = Q(program=program) | org
    qs = Resource.objects.filter(where)
    if skill:
        qs = qs.filter(skills__name__iexact=skill.strip())
    if kind:
        qs = qs.filter(kind=kind)
    if text and text.strip():
        term = text.strip()
        matching = Resource.objects.filter(
            Q(code__icontains=term) | Q(name__icontains=term) | Q(skills__name__icontains=term)
        ).values("pk")
        qs = qs.filter(pk__in=matching)
    return (
        qs.select_related("program")
        .prefetch_related("skills")
        .order_by(F("program_id").asc(nulls_last=True), "code")
    )


# --- load -------------------------------------------------------------------------------


@dataclass
class WeekLoad:
    week: dt.date  # Monday
    peak: float  # highest daily load in the week, in units (every program's)
    capacity: float
    other: float = 0.0  # highest daily load of other programs in the week

    @property
    def ratio(self) -> float:
        return self.peak / self.capacity if self.capacity > 0 else float("inf")

    @property
    def over(self) -> bool:
        return self.peak > self.capacity + EPS


def _capacity_on(resource: Resource, day: dt.date) -> float:
    for period in resource.availability:
        if (
            dt.date.fromisoformat(period["start"])
            <= day
            <= dt.date.fromisoformat(period.get("end") or period["start"])
        ):
            return float(period["units"])
    return float(resource.capacity)


@dataclass
class ResourceLoad:
    """One resource's load seen from one program: ``daily`` counts every program's work,
    ``other`` the part of it that belongs to other programs (organisation resources)."""

    resource: Resource
    daily: dict[dt.date, float] = field(default_factory=dict)
    weeks: list[WeekLoad] = field(default_factory=list)
    other: dict[dt.date, float] = field(default_factory=dict)
    assignments: int = 0  # of this program
    calendar: ecal.Calendar | None = None  # working days for capacity

    @property
    def over_days(self) -> list[dt.date]:
        return [d for d, load in sorted(self.daily.items()) if load > self.capacity_on(d) + EPS]

    def capacity_on(self, day: dt.date) -> float:
        return _capacity_on(self.resource, day)


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


@dataclass
class _Clocks:
    """Per program: data date and default calendar; calendars by id (of every program
    involved, and of the resources' own calendars)."""

    data_dates: dict[int, dt.datetime | None]
    defaults: dict[int, ecal.Calendar]
    calendars: dict[int, ecal.Calendar]

    @classmethod
    def load(cls, program_ids: Iterable[int], calendar_ids: Iterable[int] = ()) -> _Clocks:
        ids = set(program_ids)
        cals = {
            c.pk: engine_calendar(c)
            for c in Calendar.objects.filter(Q(program_id__in=ids) | Q(pk__in=set(calendar_ids)))
        }
        data_dates: dict[int, dt.datetime | None] = {}
        defaults: dict[int, ecal.Calendar] = {}
        for s in ScheduleSettings.objects.filter(program_id__in=ids):
            data_dates[s.program_id] = to_wall(s.data_date)
            if s.default_calendar_id in cals:
                defaults[s.program_id] = cals[s.default_calendar_id]
        return cls(data_dates, defaults, cals)

    def default(self, program_id: int) -> ecal.Calendar:
        return self.defaults.get(program_id) or ecal.Calendar.standard()

    def calendar(self, assignment: Assignment) -> ecal.Calendar:
        cal_id = assignment.resource.calendar_id or assignment.activity.calendar_id or 0
        return self.calendars.get(cal_id) or self.default(assignment.activity.program_id)

    def window(self, activity: Activity) -> tuple[dt.datetime, dt.datetime] | None:
        """The remaining part of the activity's current dates: the stored schedule (which
        holds an accepted leveling), moved to its leveled start if that is later; from
        the program's data date on; None when nothing remains."""
        start, finish = to_wall(activity.start), to_wall(activity.finish)
        if start is None or finish is None or finish <= start or activity.actual_finish:
            return None
        leveled = to_wall(activity.leveled_start)
        if leveled is not None and leveled > start and activity.actual_start is None:
            cal = self.calendars.get(activity.calendar_id or 0) or self.default(activity.program_id)
            work = cal.work_between(start, finish)
            start = cal.next_work_start(leveled)
            finish = cal.add_work(start, work)
        data_date = self.data_dates.get(activity.program_id)
        if data_date is not None:
            if finish <= data_date:
                return None
            start = max(start, data_date)
        return start, finish

    def spread(self, assignment: Assignment) -> dict[dt.date, float]:
        """Units of the assignment per day (a day's share of working time × units)."""
        window = self.window(assignment.activity)
        if window is None:
            return {}
        days = _daily_minutes(self.calendar(assignment), *window)
        return {day: assignment.units * share for day, share in days.items()}


def _first_monday(anchor: dt.date) -> dt.date:
    return anchor - dt.timedelta(days=anchor.weekday())


def _week_peaks(daily: dict[dt.date, float]) -> dict[dt.date, float]:
    peaks: dict[dt.date, float] = defaultdict(float)
    for day, load in daily.items():
        monday = _first_monday(day)
        peaks[monday] = max(peaks[monday], load)
    return peaks


_ASSIGNMENT_FIELDS = ("activity", "resource")


def resource_load(
    program: Program, *, first_week: dt.date | None = None, weeks: int = 26
) -> LoadTable:
    """Load of the program's pool per day and per week (peak daily load against
    capacity): its own resources and the organisation resources it staffs. An
    organisation resource's load counts every program's work (``other`` holds the part of
    the other programs), so its over-allocations show in every program that uses it."""
    own_assignments = list(
        Assignment.objects.filter(activity__program=program).select_related(*_ASSIGNMENT_FIELDS)
    )
    org_ids = {a.resource_id for a in own_assignments if a.resource.program_id is None}
    resources = (
        Resource.objects.filter(Q(program=program) | Q(pk__in=org_ids))
        .select_related("program")
        .prefetch_related("skills")
    )
    rows = {r.pk: ResourceLoad(r) for r in resources}
    other_assignments = list(
        Assignment.objects.filter(resource_id__in=org_ids)
        .exclude(activity__program=program)
        .select_related(*_ASSIGNMENT_FIELDS)
    )
    clocks = _Clocks.load(
        {program.pk} | {a.activity.program_id for a in other_assignments},
        {r.resource.calendar_id for r in rows.values() if r.resource.calendar_id},
    )
    for a in own_assignments:
        row = rows[a.resource_id]
        row.assignments += 1
        for day, units in clocks.spread(a).items():
            row.daily[day] = row.daily.get(day, 0.0) + units
    for a in other_assignments:
        row = rows[a.resource_id]
        for day, units in clocks.spread(a).items():
            row.daily[day] = row.daily.get(day, 0.0) + units
            row.other[day] = row.other.get(day, 0.0) + units
    if first_week is None:
        data_date = clocks.data_dates.get(program.pk)
        first_week = _first_monday(data_date.date() if data_date else dt.date.today())
    week_list = [first_week + dt.timedelta(weeks=i) for i in range(weeks)]
    for row in rows.values():
        row.calendar = clocks.calendars.get(row.resource.calendar_id or 0) or clocks.default(
            program.pk
        )
        peaks, others = _week_peaks(row.daily), _week_peaks(row.other)
        row.weeks = [
            WeekLoad(w, round(peaks.get(w, 0.0), 3), row.capacity_on(w), round(others.get(w, 0), 3))
            for w in week_list
        ]
    ordered = sorted(rows.values(), key=lambda r: (r.resource.program_id is None, r.resource.code))
    return LoadTable(week_list, ordered)


def external_load(
    program: Program, resource_ids: Iterable[int] | None = None
) -> dict[int, list[tuple[dt.datetime, dt.datetime, float]]]:
    """The other programs' work on organisation resources, as fixed intervals.

    For every organisation resource the program's activities are assigned to (or, with
    ``resource_ids``, every organisation resource among them, used or not): the
    ``(start, finish, units)`` of each assignment in another program, with that
    activity's current dates (the stored schedule, moved to its leveled start if that is
    later), cut at that program's data date; finished work is left out. Resources with
    no such work map to an empty list. Wall-clock datetimes, sorted by start.
    """
    if resource_ids is None:
        ids = set(
            Assignment.objects.filter(
                activity__program=program, resource__program__isnull=True
            ).values_list("resource_id", flat=True)
        )
    else:
        ids = set(
            Resource.objects.filter(pk__in=list(resource_ids), program__isnull=True).values_list(
                "pk", flat=True
            )
        )
    out: dict[int, list[tuple[dt.datetime, dt.datetime, float]]] = {pk: [] for pk in ids}
    if not ids:
        return out
    others = list(
        Assignment.objects.filter(resource_id__in=ids)
        .exclude(activity__program=program)
        .select_related(*_ASSIGNMENT_FIELDS)
    )
    clocks = _Clocks.load({a.activity.program_id for a in others})
    for a in others:
        window = clocks.window(a.activity)
        if window is not None:
            out[a.resource_id].append((window[0], window[1], float(a.units)))
    for intervals in out.values():
        intervals.sort()
    return out


# --- one organisation resource across programs -------------------------------------------


@dataclass
class PoolWeek:
    week: dt.date
    capacity: float
    peak: float  # every program's
    programs: dict[str, float]  # peak per program the viewer sees
    other: float  # peak of the programs the viewer does not see (one figure)

    @property
    def over(self) -> bool:
        return self.peak > self.capacity + EPS


@dataclass
class PoolAssignment:
    program: str
    component: str
    activity_id: int
    activity: str
    name: str
    start: dt.datetime | None
    finish: dt.datetime | None
    units: float


@dataclass
class PoolLoad:
    resource: Resource
    weeks: list[PoolWeek]
    programs: list[str]  # visible programs with work on the resource, by code
    over_days: list[dt.date]
    assignments: list[PoolAssignment]  # in visible programs only


def pool_resource_load(
    user: Any, resource: Resource, *, first_week: dt.date | None = None, weeks: int = 26
) -> PoolLoad:
    """One resource's load across programs, as ``user`` may see it: per week the total
    against capacity, the share of each program the user sees, and one "other programs"
    figure for the rest; the assignments of the visible programs in detail (nothing of
    the other programs' activities). Weeks start from the earliest data date of the
    programs with work on it (else this week) unless ``first_week`` says otherwise."""
    every = list(
        Assignment.objects.filter(resource=resource)
        .select_related("activity__component", "activity__program", "resource")
        .order_by("activity__start", "activity_id")
    )
    visible = set(visible_programs(user).values_list("pk", flat=True))
    clocks = _Clocks.load(
        {a.activity.program_id for a in every},
        [resource.calendar_id] if resource.calendar_id else [],
    )
    total: dict[dt.date, float] = defaultdict(float)
    hidden: dict[dt.date, float] = defaultdict(float)
    by_program: dict[str, dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    shown: list[PoolAssignment] = []
    for a in every:
        days = clocks.spread(a)
        seen = a.activity.program_id in visible
        for day, units in days.items():
            total[day] += units
            if seen:
                by_program[a.activity.program.code][day] += units
            else:
                hidden[day] += units
        if seen:
            act = a.activity
            where = (act.program.code, act.component.code, act.pk, act.code, act.name)
            shown.append(PoolAssignment(*where, to_wall(act.start), to_wall(act.finish), a.units))
    if first_week is None:  # from the earliest data date of the programs involved
        dates = [d for d in clocks.data_dates.values() if d is not None]
        first_week = _first_monday(min(dates).date() if dates else dt.date.today())
    week_list = [first_week + dt.timedelta(weeks=i) for i in range(weeks)]
    peaks, hidden_peaks = _week_peaks(total), _week_peaks(hidden)
    program_peaks = {code: _week_peaks(daily) for code, daily in by_program.items()}
    rows = [
        PoolWeek(
            w,
            _capacity_on(resource, w),
            round(peaks.get(w, 0.0), 3),
            {code: round(p.get(w, 0.0), 3) for code, p in sorted(program_peaks.items())},
            round(hidden_peaks.get(w, 0.0), 3),
        )
        for w in week_list
    ]
    over = [d for d, load in sorted(total.items()) if load > _capacity_on(resource, d) + EPS]
    return PoolLoad(resource, rows, sorted(by_program), over, shown)


# --- capacity against demand per skill -----------------------------------------------------


@dataclass
class SkillWeek:
    week: dt.date
    capacity: float  # unit-days: capacity on each working day, net of availability
    demand: float  # unit-days this program asks
    other: float  # unit-days other programs ask of the same (organisation) resources

    @property
    def asked(self) -> float:
        return round(self.demand + self.other, 3)

    @property
    def free(self) -> float:
        return round(self.capacity - self.demand - self.other, 3)

    @property
    def over(self) -> bool:
        return self.demand + self.other > self.capacity + EPS


@dataclass
class SkillLoad:
    skill: str
    resources: list[str]  # codes
    weeks: list[SkillWeek]


def skill_capacity(
    program: Program,
    *,
    first_week: dt.date | None = None,
    weeks: int = 12,
    table: LoadTable | None = None,
) -> list[SkillLoad]:
    """Capacity against demand per skill and week for the program's pool (its own
    resources and the organisation resources it staffs), in unit-days (person-days for
    people): capacity counts each working day of the resource's calendar at its capacity
    on that day; demand is this program's assigned work; ``other`` what other programs
    ask of the same organisation resources."""
    table = table or resource_load(program, first_week=first_week, weeks=weeks)
    by_skill: dict[str, list[ResourceLoad]] = defaultdict(list)
    for row in table.rows:
        for s in row.resource.skills.all():
            by_skill[s.name].append(row)
    out = []
    for name in sorted(by_skill, key=str.lower):
        rows = by_skill[name]
        result = []
        for monday in table.weeks:
            days = [monday + dt.timedelta(days=i) for i in range(7)]
            capacity = demand = other = 0.0
            for row in rows:
                cal = row.calendar or ecal.Calendar.standard()
                capacity += sum(row.capacity_on(d) for d in days if cal.day_intervals(d))
                ext = sum(row.other.get(d, 0.0) for d in days)
                demand += sum(row.daily.get(d, 0.0) for d in days) - ext
                other += ext
            result.append(SkillWeek(monday, round(capacity, 3), round(demand, 3), round(other, 3)))
        out.append(SkillLoad(name, [r.resource.code for r in rows], result))
    return out
