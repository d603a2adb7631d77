"""API shapes for "My work" and timesheets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

__all__ = [
    "HoursEntryIn",
    "HoursEntryOut",
    "ProgressIn",
    "ProgressOut",
    "RejectIn",
    "TimesheetFilter",
    "TimesheetOut",
    "WeekIn",
    "WorkAssignmentOut",
    "WorkVersionIn",
]


class WorkAssignmentOut(Schema):
    id: int
    group: str = Field(..., description="late, due, in_progress, next or later")
    program: str
    component: str
    activity_id: int
    activity: str = Field(..., description="the activity's code")
    name: str
    start: dt.date | None
    finish: dt.date | None
    percent_complete: float
    units: float
    resource: str
    gantt_url: str
    discussion_url: str


class HoursEntryIn(Schema):
    activity: int = Field(..., description="activity id")
    date: dt.date
    hours: Decimal = Field(..., description="0 < hours ≤ 24, in quarter hours")


class ProgressIn(Schema):
    activity: int = Field(..., description="activity id")
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None
    percent_complete: float | None = None
    remaining_days: Decimal | None = Field(None, description="remaining duration in days")


class WeekIn(Schema):
    entries: list[HoursEntryIn] = Field([], description="replaces the week's hours")
    progress: list[ProgressIn] = []
    versions: dict[str, int] = Field(
        {}, description="component code → timesheet version the change is based on"
    )


class HoursEntryOut(Schema):
    activity: int
    activity_code: str
    date: dt.date
    hours: Decimal

    @staticmethod
    def resolve_activity(obj: Any) -> int:
        return int(obj.activity_id)

    @staticmethod
    def resolve_activity_code(obj: Any) -> str:
        return str(obj.activity.code)


class ProgressOut(Schema):
    activity: int
    activity_code: str
    actual_start: dt.date | None
    actual_finish: dt.date | None
    percent_complete: float | None
    remaining_days: Decimal | None
    before: dict[str, Any] = Field(..., description="the schedule when it was reported")

    @staticmethod
    def resolve_activity(obj: Any) -> int:
        return int(obj.activity_id)

    @staticmethod
    def resolve_activity_code(obj: Any) -> str:
        return str(obj.activity.code)


class TimesheetOut(Schema):
    id: int
    program: str
    component: str
    user: str
    week: dt.date
    status: str
    submitted_at: dt.datetime | None
    decided_by: str | None
    decided_at: dt.datetime | None
    reason: str
    cost_note: str
    version: int
    entries: list[HoursEntryOut]
    progress: list[ProgressOut]

    @staticmethod
    def resolve_program(obj: Any) -> str:
        return str(obj.program.code)

    @staticmethod
    def resolve_component(obj: Any) -> str:
        return str(obj.component.code)

    @staticmethod
    def resolve_user(obj: Any) -> str:
        return str(obj.user.username)

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return obj.decided_by.username if obj.decided_by_id else None

    @staticmethod
    def resolve_entries(obj: Any) -> list[Any]:
        return list(obj.entries.all())

    @staticmethod
    def resolve_progress(obj: Any) -> list[Any]:
        return list(obj.progress.all())


class TimesheetFilter(Schema):
    status: str | None = None
    person: str | None = Field(None, description="username")
    week: dt.date | None = Field(None, description="any day of the week")


class WorkVersionIn(Schema):
    version: int | None = None


class RejectIn(Schema):
    reason: str = ""
    version: int | None = None
