"""Demo timesheets: three team members of the demo program with their own work.

Each is a person resource linked to their account, assigned to activities in progress
(or next) in one component. Last week, Erik Lindqvist's timesheet was approved by his
component manager (so the schedule and actual costs carry it), Nadia Haddad's awaits
approval; Marta Kowalski has a draft for the current week. Dates follow
``timezone.localdate()``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from podium.accounts.models import User
from podium.programs.models import Program
from podium.resources.models import Resource
from podium.resources.services import assign, create_resource
from podium.schedule.models import Activity
from podium.work import services
from podium.work.selectors import monday_of

__all__ = ["seed_work"]

# username, resource code, name, rate per hour, preferred components
PEOPLE = [
    ("tm.lindqvist", "P-LINDQVIST", "Erik Lindqvist", "85.00", ["EHR", "NET", "PORTAL"]),
    ("tm.haddad", "P-HADDAD", "Nadia Haddad", "80.00", ["PORTAL", "EHR", "DATA"]),
    ("tm.kowalski", "P-KOWALSKI", "Marta Kowalski", "75.00", ["NET", "DATA", "EHR"]),
]


def _work_for(
    program: Program, components: list[str], taken: set[int], before: dt.date
) -> list[Activity]:
    """Two tasks of the first component (preferred ones first) that has some and a
    manager: in progress first, then ones planned to start before ``before`` (reporting
    work on a task planned for later would pull the plan in); work nobody else got yet
    first."""
    others = list(program.components.exclude(code__in=components).values_list("code", flat=True))
    for avoid in (taken, set()):
        for code in [*components, *sorted(others)]:
            tasks = Activity.objects.filter(
                program=program, component__code=code, kind=Activity.Kind.TASK,
                actual_finish__isnull=True, duration_minutes__gt=0,
                component__manager__isnull=False,
            ).exclude(pk__in=avoid).select_related("component__manager")  # fmt: skip
            started = list(tasks.filter(actual_start__isnull=False).order_by("start", "pk")[:2])
            upcoming = list(
                tasks.filter(actual_start__isnull=True, start__date__lt=before).order_by(
                    "start", "pk"
                )[:2]
            )
            chosen = (started + upcoming)[:2]
            if chosen:
                return chosen
    return []


def _resource(program: Program, pm: User, user: User, code: str, name: str, rate: str) -> Resource:
    existing = Resource.objects.filter(program=program, user=user).first()
    if existing is not None:
        return existing
    return create_resource(
        actor=pm, program=program, code=code, name=name, kind=Resource.Kind.PERSON,
        standard_rate=Decimal(rate), user=user,
    )  # fmt: skip


def _hours(work: list[Activity], days: list[dt.date]) -> list[services.HoursIn]:
    """7.5 hours each working day, split between the activities (quarter hours)."""
    out = []
    for day in days:
        if day.weekday() >= 5:
            continue
        first = Decimal("4.5") if len(work) > 1 else Decimal("7.5")
        out.append(services.HoursIn(work[0].pk, day, first))
        if len(work) > 1:
            out.append(services.HoursIn(work[1].pk, day, Decimal(3)))
    return out


def _progress(activity: Activity, today: dt.date, monday: dt.date) -> services.ProgressIn:
    """A week's progress: started (by last Monday at the latest), ten points further, and
    (as so often) no less work left than the schedule already expected."""
    now = services.current_progress(activity)
    start = now.actual_start
    if start is None:  # started when planned (within the week reported on)
        start = max(activity.start.date(), monday) if activity.start else monday
    percent = min(95.0, (now.percent_complete or 0.0) + 10.0)
    days = Decimal(activity.duration_minutes) / 480
    remaining = max(Decimal(1), (days * Decimal(1 - percent / 100)).quantize(Decimal("0.5")))
    if now.remaining_days is not None:
        remaining = max(remaining, now.remaining_days)
    return services.ProgressIn(activity.pk, start, None, percent, remaining)


def seed_work(program: Program, pm: User, users: dict[str, User]) -> None:
    """Link the demo team members to person resources of ``program``, assign them work
    and give them timesheets: Lindqvist's of last week approved, Haddad's of last week
    submitted, Kowalski's of this week a draft. People missing from ``users`` (or with
    no work to do) are left out."""
    today = timezone.localdate()
    this_week = monday_of(today)
    last_week = this_week - dt.timedelta(days=7)
    taken: set[int] = set()
    for username, code, name, rate, components in PEOPLE:
        user = users.get(username)
        if user is None:
            continue
        # this week's draft may report on what started up to today; last week's up to Sunday
        before = today + dt.timedelta(days=1) if username == "tm.kowalski" else this_week
        work = _work_for(program, components, taken, before)
        if not work:
            continue
        taken.update(a.pk for a in work)
        resource = _resource(program, pm, user, code, name, rate)
        for activity in work:
            if not activity.assignments.filter(resource=resource).exists():
                assign(actor=pm, activity=activity, resource=resource)
        manager = work[0].component.manager
        if username == "tm.kowalski":
            days = [this_week + dt.timedelta(days=i) for i in range((today - this_week).days + 1)]
            services.save_week(
                actor=user, week=this_week, hours=_hours(work, days),
                progress=[_progress(work[0], today, this_week)],
            )  # fmt: skip
            continue
        days = [last_week + dt.timedelta(days=i) for i in range(7)]
        services.save_week(
            actor=user, week=last_week, hours=_hours(work, days),
            progress=[_progress(a, today, last_week) for a in work],
        )  # fmt: skip
        [sheet] = services.submit_week(actor=user, week=last_week)
        if username == "tm.lindqvist" and manager is not None:
            services.approve(actor=manager, timesheet=sheet, expected_version=None)
