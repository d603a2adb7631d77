"""Reporting time and progress, and approving it.

A person saves the week's grid (:func:`save_week`): hours per assigned activity and day,
and progress per activity; the grid is split into one timesheet per component. They
submit the week (:func:`submit_week`); the component's manager or the program manager
approves (:func:`approve`) or rejects (:func:`reject`, with a reason) each timesheet.

Approval is one transaction that goes through the other apps' services:

* Progress → :func:`podium.schedule.services.record_progress`, not ``update_activity``.
  The engine schedules the remaining work of a started activity from the program's data
  date (and no unstarted work before it), and earned value reads progress and actual
  costs at that date (:func:`podium.finance.evm.default_status_date`). ``update_activity``
  leaves the data date where it was, so the remaining work of an activity reported
  today would be scheduled from an old data date, possibly before its actual start, and
  the new hours would fall after the default status date; it also recomputes the program
  once per activity. ``record_progress`` moves the data date to the end of the reported
  period — the first midnight after the last day of the week that had passed when the
  timesheet was submitted, never earlier than the data date already set — records every
  activity of the timesheet and recomputes the program once.
* Hours → :func:`podium.finance.services.record_time` (hours × the resource's standard
  rate) on the component's cost account for the activity (:func:`cost_account_for`).
  Hours with no cost account or no rate are kept in the timesheet without a cost, and
  the timesheet says why (``cost_note``).

Either step failing stores nothing. An activity changed since it was reported refuses
the approval (the reporter must report again).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from podium.accounts.models import User
from podium.core import audit
from podium.core.errors import (
    NotFound,
    PermissionDenied,
    TransitionRefused,
    ValidationFailed,
    VersionConflict,
)
from podium.core.jobs import JobContext, job_handler
from podium.core.services import update_versioned
from podium.engine.calendars import Calendar as EngineCalendar
from podium.engine.calendars import from_minutes, to_minutes
from podium.finance.models import BudgetLine, Category, CostAccount
from podium.finance.services import record_time
from podium.notifications.models import Notification
from podium.notifications.services import notify
from podium.programs.models import Role
from podium.programs.permissions import require, visible_programs
from podium.resources.models import Assignment, Resource
from podium.schedule import services as schedule_services
from podium.schedule.convert import engine_calendar
from podium.schedule.models import Activity, ScheduleSettings
from podium.schedule.wall import to_wall
from podium.work.models import ProgressReport, TimeEntry, Timesheet
from podium.work.selectors import (
    DAY_MINUTES,
    can_approve,
    monday_of,
    my_assignments,
    week_activities,
)

__all__ = [
    "HoursIn",
    "ProgressIn",
    "approve",
    "cost_account_for",
    "current_progress",
    "reject",
    "reminders_job",
    "save_week",
    "send_reminders",
    "submit_week",
]

S = Timesheet.Status
QUARTER = Decimal("0.25")
MAX_DAY = Decimal(24)


@dataclass(frozen=True)
class HoursIn:
    activity_id: int
    date: dt.date
    hours: Decimal


@dataclass(frozen=True)
class ProgressIn:
    activity_id: int
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None
    percent_complete: float | None = None
    remaining_days: Decimal | None = None


def _label(activity: Activity) -> str:
    return f"{activity.code} {activity.name}"


def _day_label(day: dt.date) -> str:
    return f"{day:%a %Y-%m-%d}"


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _wall_day(value: dt.datetime | None) -> dt.date | None:
    wall = to_wall(value)
    return wall.date() if wall is not None else None


def current_progress(activity: Activity) -> ProgressIn:
    """What the schedule says about an activity, in the grid's terms."""
    remaining = (
        (Decimal(activity.remaining_minutes) / DAY_MINUTES).quantize(Decimal("0.01"))
        if activity.remaining_minutes is not None
        else None
    )
    return ProgressIn(
        activity.pk, _wall_day(activity.actual_start), _wall_day(activity.actual_finish),
        activity.percent_complete, remaining,
    )  # fmt: skip


def _progress_before(activity: Activity) -> dict[str, Any]:
    p = current_progress(activity)
    start, finish = to_wall(activity.start), to_wall(activity.finish)
    return {
        "actual_start": p.actual_start.isoformat() if p.actual_start else None,
        "actual_finish": p.actual_finish.isoformat() if p.actual_finish else None,
        "percent_complete": p.percent_complete,
        "remaining_days": str(p.remaining_days) if p.remaining_days is not None else None,
        "start": start.isoformat(sep=" ", timespec="minutes") if start else None,
        "finish": finish.isoformat(sep=" ", timespec="minutes") if finish else None,
    }


# -- saving the week ------------------------------------------------------------------------


def _my_activity(actor: User, activity_id: int, mine: dict[int, Assignment]) -> Assignment:
    assignment = mine.get(activity_id)
    if assignment is not None:
        return assignment
    visible = Activity.objects.filter(pk=activity_id, program__in=visible_programs(actor)).first()
    if visible is None:
        raise NotFound(f"No activity {activity_id}.")
    raise PermissionDenied(
        f"{_label(visible)} is not assigned to you: report only on your own assignments."
    )


def _check_hours(entry: HoursIn, activity: Activity, monday: dt.date, today: dt.date) -> str | None:
    where = f"{_label(activity)}, {_day_label(entry.date)}"
    if not monday <= entry.date <= monday + dt.timedelta(days=6):
        return f"{where}: the day is not in the week of {monday:%Y-%m-%d}."
    if entry.date > today:
        return f"{where}: hours can't be reported for a day still to come."
    if entry.hours <= 0 or entry.hours > MAX_DAY:
        return f"{where}: hours must be more than 0 and at most 24."
    if entry.hours % QUARTER:
        return f"{where}: use quarter hours (steps of 0.25)."
    return None


def _check_progress(p: ProgressIn, activity: Activity, today: dt.date) -> dict[str, str]:
    name = _label(activity)
    errors: dict[str, str] = {}
    if p.percent_complete is not None and not 0 <= p.percent_complete <= 100:
        errors["percent_complete"] = f"{name}: percent complete must be between 0 and 100."
    if p.remaining_days is not None and p.remaining_days < 0:
        errors["remaining_days"] = f"{name}: remaining duration can't be negative."
    for key in ("actual_start", "actual_finish"):
        value = getattr(p, key)
        if value is not None and value > today:
            errors[key] = f"{name}: the {key.replace('_', ' ')} can't be after today."
    if p.actual_finish is not None and p.actual_start is None:
        errors["actual_start"] = f"{name}: give the actual start of finished work."
    if p.actual_start and p.actual_finish and p.actual_finish < p.actual_start:
        errors["actual_finish"] = f"{name}: the actual finish is before the actual start."
    if (p.percent_complete or 0) > 0 and p.actual_start is None:
        errors.setdefault("actual_start", f"{name}: give the actual start of work done.")
    return errors


def _normal(p: ProgressIn) -> ProgressIn:
    """A finished activity is 100 % complete with nothing remaining."""
    if p.actual_finish is not None:
        return ProgressIn(p.activity_id, p.actual_start, p.actual_finish, 100.0, Decimal(0))
    return p


def _same(a: ProgressIn, b: ProgressIn) -> bool:
    def rem(x: Decimal | None) -> Decimal | None:
        return x.quantize(Decimal("0.01")) if x is not None else None

    return (
        a.actual_start == b.actual_start
        and a.actual_finish == b.actual_finish
        and a.percent_complete == b.percent_complete
        and rem(a.remaining_days) == rem(b.remaining_days)
    )


def _snapshot(ts: Timesheet) -> dict[str, Any]:
    entries = TimeEntry.objects.filter(timesheet=ts).select_related("activity")
    progress = ProgressReport.objects.filter(timesheet=ts).select_related("activity")
    return {
        "status": ts.status,
        "hours": {f"{e.activity.code} {e.date:%Y-%m-%d}": str(e.hours) for e in entries},
        "progress": {
            p.activity.code: {
                "actual_start": p.actual_start.isoformat() if p.actual_start else None,
                "actual_finish": p.actual_finish.isoformat() if p.actual_finish else None,
                "percent_complete": p.percent_complete,
                "remaining_days": str(p.remaining_days) if p.remaining_days is not None else None,
            }
            for p in progress
        },
    }


@transaction.atomic
def save_week(
    *,
    actor: User,
    week: dt.date,
    hours: list[HoursIn],
    progress: list[ProgressIn],
    versions: dict[str, int] | None = None,
    today: dt.date | None = None,
) -> list[Timesheet]:
    """Store the week's grid as the user's draft (or rejected) timesheets, one per
    component: their hours and progress are replaced by what is given. Submitted and
    approved timesheets can't be changed. ``versions`` (component code → version) makes
    the write conditional. Every error names the activity and the day; nothing is
    stored when one is refused."""
    today = today or timezone.localdate()
    monday = monday_of(week)
    mine = {a.activity_id: a for a in my_assignments(actor)}
    existing = {
        ts.component_id: ts
        for ts in Timesheet.objects.filter(user=actor, week=monday).select_related("component")
    }
    errors: dict[str, list[str]] = {}
    by_component: dict[int, tuple[list[tuple[HoursIn, Assignment]], list[ProgressIn]]] = (
        defaultdict(lambda: ([], []))
    )
    seen: set[tuple[int, dt.date]] = set()
    per_day: dict[dt.date, Decimal] = defaultdict(Decimal)

    def locked(field: str, assignment: Assignment) -> bool:
        ts = existing.get(assignment.activity.component_id)
        if ts is not None and not ts.editable:
            errors.setdefault(field, []).append(
                f"{_label(assignment.activity)}: the {assignment.activity.component.code} "
                f"timesheet of this week is {ts.get_status_display().lower()}; it can't be "
                "changed."
            )
            return True
        return False

    for entry in hours:
        assignment = _my_activity(actor, entry.activity_id, mine)
        field = f"hours.{entry.activity_id}.{entry.date.isoformat()}"
        if (entry.activity_id, entry.date) in seen:
            errors.setdefault(field, []).append(
                f"{_label(assignment.activity)}, {_day_label(entry.date)}: given twice."
            )
            continue
        seen.add((entry.activity_id, entry.date))
        problem = _check_hours(entry, assignment.activity, monday, today)
        if problem:
            errors.setdefault(field, []).append(problem)
            continue
        if locked(field, assignment):
            continue
        per_day[entry.date] += entry.hours
        by_component[assignment.activity.component_id][0].append((entry, assignment))
    reported: set[int] = set()
    for p in progress:
        assignment = _my_activity(actor, p.activity_id, mine)
        if p.activity_id in reported:
            continue
        reported.add(p.activity_id)
        found = _check_progress(p, assignment.activity, today)
        for key, message in found.items():
            errors.setdefault(f"{key}.{p.activity_id}", []).append(message)
        if found:
            continue
        p = _normal(p)
        if _same(p, current_progress(assignment.activity)):
            continue  # nothing new to report
        if locked(f"percent_complete.{p.activity_id}", assignment):
            continue
        by_component[assignment.activity.component_id][1].append(p)
    # At most 24 hours a day in total, counting the timesheets that stay as they are.
    kept = (
        TimeEntry.objects.filter(timesheet__user=actor, date__in=list(per_day))
        .exclude(timesheet__in=[ts for ts in existing.values() if ts.editable])
        .values("date")
        .annotate(total=Sum("hours"))
    )
    for row in kept:
        per_day[row["date"]] += row["total"]
    for day, total in sorted(per_day.items()):
        if total > MAX_DAY:
            errors.setdefault(f"day.{day.isoformat()}", []).append(
                f"{_day_label(day)}: {_hours(total)} hours in total; at most 24 a day."
            )
    if errors:
        raise ValidationFailed(errors)

    saved: list[Timesheet] = []
    touched = set(by_component) | {cid for cid, ts in existing.items() if ts.editable}
    for component_id in sorted(touched):
        entries, reports = by_component.get(component_id, ([], []))
        ts = existing.get(component_id)
        if ts is None:
            first = (entries[0][1] if entries else mine[reports[0].activity_id]).activity
            ts = Timesheet.objects.create(
                user=actor, program=first.program, component=first.component, week=monday,
                created_by=actor, updated_by=actor,
            )  # fmt: skip
            before = None
        else:
            wanted = (versions or {}).get(ts.component.code)
            if wanted is not None and wanted != ts.version:
                raise VersionConflict(ts.version)
            before = _snapshot(ts)
            ts = update_versioned(ts, ts.version, actor)
            TimeEntry.objects.filter(timesheet=ts).delete()
            ProgressReport.objects.filter(timesheet=ts).delete()
        TimeEntry.objects.bulk_create(
            TimeEntry(timesheet=ts, activity=a.activity, resource=a.resource, date=e.date,
                      hours=e.hours)
            for e, a in entries
        )  # fmt: skip
        for p in reports:
            activity = mine[p.activity_id].activity
            ProgressReport.objects.create(
                timesheet=ts, activity=activity, actual_start=p.actual_start,
                actual_finish=p.actual_finish, percent_complete=p.percent_complete,
                remaining_days=p.remaining_days, before=_progress_before(activity),
                activity_version=activity.version,
            )  # fmt: skip
        if not entries and not reports and ts.status == S.DRAFT:
            audit.record(
                user=actor, action="delete", obj=ts, before=before, after=None,
                program_id=ts.program_id, note="emptied draft removed",
            )  # fmt: skip
            ts.delete()
            continue
        audit.record(
            user=actor, action="create" if before is None else "update", obj=ts,
            before=before, after=_snapshot(ts), program_id=ts.program_id,
        )  # fmt: skip
        saved.append(ts)
    return saved


def _approvers(ts: Timesheet) -> list[User]:
    ids = set(
        ts.program.memberships.filter(role=Role.PROGRAM_MANAGER).values_list("user_id", flat=True)
    )
    for user_id in (ts.program.manager_id, ts.component.manager_id):
        if user_id is not None:
            ids.add(user_id)
    ids.discard(ts.user_id)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


@transaction.atomic
def submit_week(*, actor: User, week: dt.date) -> list[Timesheet]:
    """Submit every draft or rejected timesheet of the user's week that holds hours or
    progress; each approver is notified."""
    monday = monday_of(week)
    open_sheets = (
        Timesheet.objects.filter(user=actor, week=monday, status__in=[S.DRAFT, S.REJECTED])
        .select_related("component", "program")
        .order_by("component__code")
    )
    candidates = [ts for ts in open_sheets if ts.entries.exists() or ts.progress.exists()]
    if not candidates:
        raise ValidationFailed(
            {"week": [f"Nothing to submit for the week of {monday:%Y-%m-%d}: save hours or "
                      "progress first."]}
        )  # fmt: skip
    done = []
    for ts in candidates:
        before = {"status": ts.status, "reason": ts.reason}
        updated = update_versioned(
            ts, ts.version, actor, status=S.SUBMITTED, submitted_at=timezone.now(), reason="",
            decided_by=None, decided_at=None,
        )  # fmt: skip
        audit.record(
            user=actor, action="transition", obj=updated, before=before,
            after={"status": S.SUBMITTED.value}, program_id=updated.program_id,
        )  # fmt: skip
        url = reverse("work:timesheet", kwargs={"code": updated.program.code, "pk": updated.pk})
        for approver in _approvers(updated):
            notify(
                user=approver,
                title=f"Timesheet to approve: {actor} — {updated.component.code}, "
                f"week {monday:%G-W%V}",
                body=f"{actor} submitted the week of {monday:%Y-%m-%d}.",
                url=url,
                program=updated.program,
                category="approvals",
            )
        done.append(updated)
    return done


# -- approval -------------------------------------------------------------------------------


def cost_account_for(activity: Activity) -> CostAccount | None:
    """Where the activity's time is booked: the component's account for the activity or
    its nearest summary above; else an account of the whole component; else any account
    of the component. Within each, an account with labour budget comes first."""
    accounts = list(CostAccount.objects.filter(component_id=activity.component_id))
    if not accounts:
        return None
    labour = set(
        BudgetLine.objects.filter(cost_account__in=accounts, category=Category.LABOUR).values_list(
            "cost_account_id", flat=True
        )
    )
    chain: list[int] = []
    node: Activity | None = activity
    while node is not None:
        chain.append(node.pk)
        node = node.parent
    depth = {pk: i for i, pk in enumerate(chain)}

    def rank(account: CostAccount) -> tuple[int, int, int, str]:
        if account.activity_id in depth:
            tier, level = 0, depth[account.activity_id]
        elif account.activity_id is None:
            tier, level = 1, 0
        else:
            tier, level = 2, 0
        return tier, level, 0 if account.pk in labour else 1, account.code

    return min(accounts, key=rank)


def _calendar(activity: Activity, settings: ScheduleSettings) -> EngineCalendar:
    cal = activity.calendar or settings.default_calendar
    return engine_calendar(cal) if cal is not None else EngineCalendar.standard()


def _start_at(day: dt.date, cal: EngineCalendar) -> dt.datetime:
    return from_minutes(cal.next_work_start_m(to_minutes(dt.datetime.combine(day, dt.time()))))


def _finish_at(day: dt.date, cal: EngineCalendar) -> dt.datetime:
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    return from_minutes(cal.prev_work_end_m(to_minutes(midnight)))


def _data_date(ts: Timesheet, settings: ScheduleSettings) -> dt.datetime:
    """The first midnight after the last day of the week that had passed at submission,
    or the program's data date when that is later."""
    submitted = timezone.localdate(ts.submitted_at) if ts.submitted_at else timezone.localdate()
    last = min(ts.week + dt.timedelta(days=6), submitted)
    date = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    current = to_wall(settings.data_date)
    return current if current is not None and current > date else date


def _schedule_update(
    report: ProgressReport, activity: Activity, cal: EngineCalendar
) -> schedule_services.Progress:
    """The reported progress as the schedule stores it (a date the reporter kept keeps
    the stored time of day)."""
    before = current_progress(activity)

    def moment(day: dt.date | None, stored: dt.datetime | None, finish: bool) -> Any:
        if day is None:
            return None
        if day == _wall_day(stored):
            return to_wall(stored)
        return _finish_at(day, cal) if finish else _start_at(day, cal)

    start = moment(report.actual_start, activity.actual_start, False)
    finish = moment(report.actual_finish, activity.actual_finish, True)
    if start is not None and finish is not None and finish < start:
        finish = start
    remaining = (
        int((report.remaining_days * DAY_MINUTES).to_integral_value(ROUND_HALF_UP))
        if report.remaining_days is not None
        else None
    )
    if report.remaining_days is not None and report.remaining_days == before.remaining_days:
        remaining = activity.remaining_minutes
    return schedule_services.Progress(activity, start, finish, report.percent_complete, remaining)


def _require_submitted(ts: Timesheet, expected_version: int | None, actor: User) -> None:
    require(
        can_approve(actor, ts),
        f"Only the manager of {ts.component.code} or the program manager can decide on "
        "this timesheet.",
    )
    if expected_version is not None and expected_version != ts.version:
        raise VersionConflict(ts.version)
    if ts.status != S.SUBMITTED:
        raise TransitionRefused(
            f"The timesheet is {ts.get_status_display().lower()}; only a submitted one can be "
            "approved or rejected."
        )


@transaction.atomic
def approve(*, actor: User, timesheet: Timesheet, expected_version: int | None) -> Timesheet:
    """Approve a submitted timesheet: its progress goes into the schedule (one
    recomputation), its hours become actual costs; all or nothing."""
    ts = timesheet
    _require_submitted(ts, expected_version, actor)
    reporter = ts.user
    reports = list(ProgressReport.objects.filter(timesheet=ts).select_related("activity"))
    entries = list(
        TimeEntry.objects.filter(timesheet=ts).select_related("activity__component", "resource")
    )
    # Claim the timesheet first: of two approvers, one wins; the other is refused.
    updated = update_versioned(
        ts, ts.version, actor, status=S.APPROVED, decided_by=actor, decided_at=timezone.now()
    )
    activities = {
        a.pk: a
        for a in Activity.objects.filter(pk__in=[r.activity_id for r in reports]).select_related(
            "component", "calendar"
        )
    }
    for r in reports:
        activity = activities[r.activity_id]
        if activity.version != r.activity_version:
            raise TransitionRefused(
                f"{_label(activity)} changed after {reporter} reported on it; reject the "
                "timesheet so that they report again."
            )
    settings = schedule_services.settings_for(ts.program)
    if reports:
        updates = [
            _schedule_update(r, activities[r.activity_id], _calendar(activities[r.activity_id],
                                                                      settings))
            for r in reports
        ]  # fmt: skip
        schedule_services.record_progress(
            actor=actor, program=ts.program, data_date=_data_date(ts, settings), updates=updates
        )
    notes: list[str] = []
    accounts: dict[int, CostAccount | None] = {}
    for e in entries:
        if e.activity_id not in accounts:
            accounts[e.activity_id] = cost_account_for(e.activity)
        account = accounts[e.activity_id]
        where = f"{_hours(e.hours)} h on {e.activity.code}, {e.date:%Y-%m-%d}"
        if account is None:
            notes.append(f"No cost booked for {where}: {e.activity.component.code} has no "
                         "cost account.")  # fmt: skip
            continue
        if e.resource.standard_rate <= 0:
            notes.append(f"No cost booked for {where}: {e.resource.code} has no standard rate.")
            continue
        cost = record_time(
            actor=actor, program=ts.program, cost_account=account, resource=e.resource,
            date=e.date, hours=e.hours, activity=e.activity,
            description=f"Timesheet of {reporter}, week {ts.week:%G-W%V}",
        )  # fmt: skip
        TimeEntry.objects.filter(pk=e.pk).update(actual_cost=cost)
    if notes:
        Timesheet.objects.filter(pk=updated.pk).update(cost_note="\n".join(notes))
        updated.cost_note = "\n".join(notes)
    audit.record(
        user=actor, action="transition", obj=updated, before={"status": S.SUBMITTED.value},
        after={"status": S.APPROVED.value, "hours": str(sum((e.hours for e in entries),
                                                            Decimal(0))),
               "progress": sorted(activities[r.activity_id].code for r in reports)},
        program_id=updated.program_id,
        note=f"approved; hours and progress reported by {reporter} ({reporter.username})",
    )  # fmt: skip
    notify(
        user=reporter,
        title=f"Timesheet approved: {ts.component.code}, week {ts.week:%G-W%V}",
        body=f"{actor} approved your timesheet of the week of {ts.week:%Y-%m-%d}.",
        url=reverse("work:week", kwargs={"week": ts.week.isoformat()}),
        program=ts.program,
        category="updates",
    )
    return updated


@transaction.atomic
def reject(
    *, actor: User, timesheet: Timesheet, expected_version: int | None, reason: str
) -> Timesheet:
    """Send a submitted timesheet back to its reporter with a reason."""
    ts = timesheet
    _require_submitted(ts, expected_version, actor)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed({"reason": ["Say why the timesheet is rejected."]})
    updated = update_versioned(
        ts, ts.version, actor, status=S.REJECTED, reason=reason[:2000], decided_by=actor,
        decided_at=timezone.now(),
    )  # fmt: skip
    audit.record(
        user=actor, action="transition", obj=updated, before={"status": S.SUBMITTED.value},
        after={"status": S.REJECTED.value, "reason": updated.reason},
        program_id=updated.program_id, note=f"rejected the timesheet of {ts.user}",
    )  # fmt: skip
    notify(
        user=ts.user,
        title=f"Timesheet rejected: {ts.component.code}, week {ts.week:%G-W%V}",
        body=f"{actor}: {updated.reason}",
        url=reverse("work:week", kwargs={"week": ts.week.isoformat()}),
        program=ts.program,
        category="updates",
    )
    return updated


# -- reminders ------------------------------------------------------------------------------


def send_reminders(today: dt.date | None = None) -> int:
    """Remind each person with work in last week whose timesheets of that week are not
    all submitted (on Monday or later); once per person and week. Returns how many."""
    today = today or timezone.localdate()
    last = monday_of(today) - dt.timedelta(days=7)
    url = reverse("work:week", kwargs={"week": last.isoformat()})
    users = User.objects.filter(
        is_active=True, resources__kind=Resource.Kind.PERSON, resources__assignments__isnull=False
    ).distinct()
    sent = 0
    for user in users:
        if not week_activities(user, last):
            continue
        sheets = list(
            Timesheet.objects.filter(user=user, week=last).values_list("status", flat=True)
        )
        done = sheets and all(s in (S.SUBMITTED, S.APPROVED) for s in sheets)
        if done:
            continue
        with transaction.atomic():
            already = Notification.objects.filter(user=user, category="overdue", url=url)
            if already.exists():
                continue
            if notify(
                user=user,
                title=f"Timesheet overdue: week {last:%G-W%V}",
                body=f"Your timesheet of the week of {last:%Y-%m-%d} is not submitted yet.",
                url=url,
                category="overdue",
            ):
                sent += 1
    return sent


@job_handler("work.reminders")
def reminders_job(ctx: JobContext) -> dict[str, int]:
    """Background job: remind people of last week's timesheets."""
    return {"sent": send_reminders()}


def parse_hours(raw: str) -> Decimal:
    """Hours typed in a form ("7.5", "7,5")."""
    try:
        return Decimal(raw.strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(raw) from exc
