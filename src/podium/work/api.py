"""API of "My work": my assignments and timesheets, and the approval of a program's
timesheets. Another program's timesheet, or one the caller may not see, answers 404;
a team member deciding on one answers 403."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate

from podium.core.api import WRITE_ERRORS, ErrorOut, Pages, expected_version, set_etag
from podium.core.errors import PermissionDenied, ValidationFailed
from podium.core.views import AuthedRequest
from podium.programs.permissions import get_program
from podium.work import selectors, services
from podium.work.models import Timesheet
from podium.work.schemas import (
    RejectIn,
    TimesheetFilter,
    TimesheetOut,
    WeekIn,
    WorkAssignmentOut,
    WorkVersionIn,
)

__all__ = ["router"]

router = Router(tags=["work"])


def _week(week: str) -> dt.date:
    try:
        return selectors.monday_of(dt.date.fromisoformat(week))
    except ValueError as exc:
        raise ValidationFailed({"week": ["Give the week as a date, YYYY-MM-DD."]}) from exc


def _mine(request: AuthedRequest, monday: dt.date) -> list[Timesheet]:
    return list(selectors.week_timesheets(request.user, monday))


@router.get("/my/assignments", response=list[WorkAssignmentOut])
def my_assignments(request: AuthedRequest) -> Any:
    """My open assignments across the programs I can see, by group (late first)."""
    out = []
    for key, _, rows in selectors.group_assignments(request.user, timezone.localdate()):
        for row in rows:
            a = row.activity
            out.append({
                "id": row.assignment.pk, "group": key, "program": a.program.code,
                "component": a.component.code, "activity_id": a.pk, "activity": a.code,
                "name": a.name, "start": row.start, "finish": row.finish,
                "percent_complete": row.percent, "units": row.assignment.units,
                "resource": row.assignment.resource.code,
                "gantt_url": f"/programs/{a.program.code}/gantt/?activity={a.pk}",
                "discussion_url": f"/programs/{a.program.code}/discussions/activity/{a.pk}/",
            })  # fmt: skip
    return out


@router.get("/my/timesheets/{week}", response={200: list[TimesheetOut], 422: ErrorOut})
def my_week(request: AuthedRequest, week: str) -> Any:
    """My timesheets of the week (any day of it), one per component."""
    return _mine(request, _week(week))


@router.put("/my/timesheets/{week}", response={200: list[TimesheetOut], **WRITE_ERRORS})
def save_my_week(request: AuthedRequest, week: str, payload: WeekIn) -> Any:
    """Replace the hours and progress of my editable timesheets of the week. Errors name
    the field: ``hours.<activity>.<date>``, ``percent_complete.<activity>``,
    ``day.<date>``…"""
    monday = _week(week)
    services.save_week(
        actor=request.user,
        week=monday,
        hours=[services.HoursIn(e.activity, e.date, e.hours) for e in payload.entries],
        progress=[
            services.ProgressIn(
                p.activity, p.actual_start, p.actual_finish, p.percent_complete, p.remaining_days
            )
            for p in payload.progress
        ],
        versions=payload.versions,
    )
    return _mine(request, monday)


@router.post("/my/timesheets/{week}/submit", response={200: list[TimesheetOut], **WRITE_ERRORS})
def submit_my_week(request: AuthedRequest, week: str) -> Any:
    """Submit my draft and rejected timesheets of the week for approval."""
    monday = _week(week)
    services.submit_week(actor=request.user, week=monday)
    return _mine(request, monday)


def _require_approver(request: AuthedRequest, code: str) -> Any:
    program = get_program(request.user, code)
    if not selectors.is_approver_in(request.user, program):
        raise PermissionDenied(
            "Only the program manager and component managers approve timesheets."
        )
    return program


@router.get("/programs/{code}/timesheets", response=list[TimesheetOut])
@paginate(Pages, page_size=50)
def program_timesheets(request: AuthedRequest, code: str, filters: Query[TimesheetFilter]) -> Any:
    """The program's timesheets I approve, awaiting my approval first."""
    program = _require_approver(request, code)
    return (
        selectors.program_timesheets(
            request.user,
            program,
            status=filters.status or "",
            person=filters.person or "",
            week=filters.week,
        )
        .select_related("program")
        .prefetch_related("entries__activity", "progress__activity")
    )


def _get(request: HttpRequest, code: str, pk: int) -> Timesheet:
    user = request.user
    return selectors.get_timesheet(user, get_program(user, code), pk)


@router.get("/programs/{code}/timesheets/{pk}", response={200: TimesheetOut, 404: ErrorOut})
def get_timesheet(request: AuthedRequest, code: str, pk: int, response: HttpResponse) -> Any:
    ts = _get(request, code, pk)
    set_etag(response, ts)
    return ts


@router.post("/programs/{code}/timesheets/{pk}/approve", response={200: TimesheetOut,
                                                                   **WRITE_ERRORS})  # fmt: skip
def approve(
    request: AuthedRequest, code: str, pk: int, payload: WorkVersionIn, response: HttpResponse
) -> Any:
    """Approve: the progress goes into the schedule, the hours become actual costs."""
    ts = _get(request, code, pk)
    done = services.approve(
        actor=request.user, timesheet=ts,
        expected_version=expected_version(request, payload.version),
    )  # fmt: skip
    set_etag(response, done)
    return done


@router.post("/programs/{code}/timesheets/{pk}/reject", response={200: TimesheetOut,
                                                                  **WRITE_ERRORS})  # fmt: skip
def reject(
    request: AuthedRequest, code: str, pk: int, payload: RejectIn, response: HttpResponse
) -> Any:
    """Send the timesheet back with a reason (required)."""
    ts = _get(request, code, pk)
    done = services.reject(
        actor=request.user, timesheet=ts, reason=payload.reason,
        expected_version=expected_version(request, payload.version),
    )  # fmt: skip
    set_etag(response, done)
    return done
