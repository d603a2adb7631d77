"""Reads for "My work" and timesheets, narrowed to what the user may see.

A user's assignments are those of the resources linked to their account
(``Resource.user``) on activities of programs they can see. A timesheet is seen by the
person who reports it, the manager of its component and the program manager; to anyone
else it answers 404 like a missing one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from podium.core.errors import NotFound
from podium.programs.models import Component, Program, Role
from podium.programs.permissions import can_change_program, roles_in, visible_programs
from podium.resources.models import Assignment
from podium.schedule.models import Activity
from podium.schedule.wall import to_wall
from podium.work.models import Timesheet

__all__ = [
    "GROUPS",
    "AssignmentRow",
    "WeekRow",
    "approvable",
    "can_approve",
    "get_timesheet",
    "group_assignments",
    "is_approver_in",
    "monday_of",
    "my_assignments",
    "program_timesheets",
    "week_activities",
    "week_timesheets",
]

# The groups of "My work", in the order the page shows them.
GROUPS = [
    ("late", "Late"),
    ("due", "Due this week"),
    ("in_progress", "In progress"),
    ("next", "Next (starting within 14 days)"),
    ("later", "Later"),
]
DAY_MINUTES = 480  # a working day, as the schedule pages count it


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _day(value: dt.datetime | None) -> dt.date | None:
    wall = to_wall(value)
    return wall.date() if wall is not None else None


def my_assignments(user: Any) -> QuerySet[Assignment]:
    """The user's assignments on work (not summaries) in programs they can see."""
    if not getattr(user, "is_authenticated", False):
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(
            resource__user=user, activity__program__in=visible_programs(user)
        )
        .exclude(activity__kind=Activity.Kind.SUMMARY)
        .select_related("activity__component", "activity__program", "resource")
        .order_by("activity__start", "activity__program__code", "activity__component__code",
                  "activity__order", "pk")
    )  # fmt: skip


@dataclass(frozen=True)
class AssignmentRow:
    assignment: Assignment
    group: str
    start: dt.date | None
    finish: dt.date | None

    @property
    def activity(self) -> Activity:
        return self.assignment.activity

    @property
    def percent(self) -> float:
        return self.activity.percent_complete or 0.0


def _group(activity: Activity, today: dt.date) -> str:
    start, finish = _day(activity.start), _day(activity.finish)
    sunday = monday_of(today) + dt.timedelta(days=6)
    if finish is not None and finish < today:
        return "late"
    if finish is not None and finish <= sunday:
        return "due"
    if activity.actual_start is not None or (start is not None and start <= today):
        return "in_progress"
    if start is not None and start <= today + dt.timedelta(days=14):
        return "next"
    return "later"


def group_assignments(user: Any, today: dt.date) -> list[tuple[str, str, list[AssignmentRow]]]:
    """The user's unfinished assignments in the groups of :data:`GROUPS` (empty groups
    kept, so the page can say so)."""
    rows: dict[str, list[AssignmentRow]] = {key: [] for key, _ in GROUPS}
    for a in my_assignments(user).filter(activity__actual_finish__isnull=True):
        act = a.activity
        group = _group(act, today)
        rows[group].append(AssignmentRow(a, group, _day(act.start), _day(act.finish)))
    return [(key, label, rows[key]) for key, label in GROUPS]


@dataclass
class WeekRow:
    """One assigned activity on the weekly grid."""

    activity: Activity
    resource_id: int
    component: Component
    program: Program
    hours: dict[dt.date, Any] = field(default_factory=dict)
    progress: Any = None  # the ProgressReport of this week, if any
    timesheet: Timesheet | None = None


def week_activities(user: Any, monday: dt.date) -> list[Assignment]:
    """The user's assignments that belong on the week's grid: work scheduled (or
    actually started) by the week's end and not finished before it began."""
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time())
    begin = dt.datetime.combine(monday, dt.time())
    end_db, begin_db = end.replace(tzinfo=dt.UTC), begin.replace(tzinfo=dt.UTC)
    started = Q(activity__start__lt=end_db) | Q(activity__actual_start__lt=end_db)
    open_ = Q(activity__actual_finish__isnull=True) | Q(activity__actual_finish__gte=begin_db)
    reported = Q(activity__in=_reported_activities(user, monday))
    seen: set[int] = set()
    out = []
    for a in my_assignments(user).filter((started & open_) | reported):
        if a.activity_id not in seen:
            seen.add(a.activity_id)
            out.append(a)
    return out


def _reported_activities(user: Any, monday: dt.date) -> QuerySet[Any]:
    from podium.work.models import ProgressReport, TimeEntry

    entries = TimeEntry.objects.filter(timesheet__user=user, timesheet__week=monday)
    progress = ProgressReport.objects.filter(timesheet__user=user, timesheet__week=monday)
    return Activity.objects.filter(
        Q(pk__in=entries.values("activity_id")) | Q(pk__in=progress.values("activity_id"))
    )


def week_timesheets(user: Any, monday: dt.date) -> QuerySet[Timesheet]:
    """The user's timesheets of the week (one per component), in programs they see."""
    return (
        Timesheet.objects.filter(user=user, week=monday, program__in=visible_programs(user))
        .select_related("component", "program", "decided_by", "user")
        .prefetch_related("entries__activity", "progress__activity")
        .order_by("program__code", "component__code")
    )


def can_approve(user: Any, timesheet: Timesheet) -> bool:
    """The manager of the timesheet's component, the program manager, an administrator."""
    if not getattr(user, "is_authenticated", False):
        return False
    if can_change_program(user, timesheet.program):
        return True
    return timesheet.component.manager_id is not None and timesheet.component.manager_id == user.pk


def is_approver_in(user: Any, program: Program) -> bool:
    """Whether the user approves timesheets in ``program`` (its Timesheets tab)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if can_change_program(user, program):
        return True
    # roles_in (cached per request) says whether they manage a component at all
    return Role.COMPONENT_MANAGER in roles_in(user, program) and (
        program.components.filter(manager=user).exists()
    )


def approvable(user: Any, program: Program) -> QuerySet[Timesheet]:
    """The program's timesheets ``user`` approves (all for the program manager, their
    components' for a component manager)."""
    qs = Timesheet.objects.filter(program=program)
    if not can_change_program(user, program):
        qs = qs.filter(component__manager=user)
    return qs


def program_timesheets(
    user: Any,
    program: Program,
    *,
    status: str = "",
    person: str = "",
    week: dt.date | None = None,
) -> QuerySet[Timesheet]:
    """The timesheets an approver sees, awaiting their approval first, then newest week."""
    qs = approvable(user, program).select_related("user", "component", "decided_by")
    if status:
        qs = qs.filter(status=status)
    if person:
        qs = qs.filter(user__username=person)
    if week is not None:
        qs = qs.filter(week=monday_of(week))
    awaiting = Case(
        When(status=Timesheet.Status.SUBMITTED, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return qs.annotate(awaiting=awaiting).order_by(
        "awaiting", "-week", "user__username", "component__code", "pk"
    )


def get_timesheet(user: Any, program: Program, pk: int) -> Timesheet:
    """A timesheet of ``program`` the user may see: their own, or one they approve."""
    ts = (
        Timesheet.objects.filter(program=program, pk=pk)
        .select_related("user", "component", "program", "decided_by")
        .first()
    )
    if ts is None or not (ts.user_id == user.pk or can_approve(user, ts)):
        raise NotFound(f"No timesheet {pk}.")
    return ts
