"""API shapes of component status updates. Programs and components are codes, people
usernames; colours are "green", "amber", "red" ("" = not rated yet)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

__all__ = [
    "OverviewOut",
    "PrefillOut",
    "ReopenIn",
    "UpdateFilter",
    "UpdateIn",
    "UpdateOut",
    "UpdatePatch",
    "VersionIn",
]


class RatingOut(Schema):
    dimension: str
    rag: str
    reason: str


class UpdateOut(Schema):
    id: int
    program: str
    component: str
    period: dt.date = Field(description="Monday of the ISO week")
    week: str
    status: str
    author: str | None
    submitted_at: dt.datetime | None
    submitted_by: str | None
    revision: int
    ratings: list[RatingOut] = Field(description="overall first; no cost without cost rights")
    accomplishments: str
    next_steps: str
    blockers: str
    help_needed: str
    figures: dict[str, Any] = Field(description="what Podium knew when it was submitted")
    version: int


class _Fields(Schema):
    overall_rag: str = ""
    overall_reason: str = ""
    schedule_rag: str = ""
    schedule_reason: str = ""
    cost_rag: str = ""
    cost_reason: str = ""
    scope_rag: str = ""
    scope_reason: str = ""
    risks_rag: str = ""
    risks_reason: str = ""
    resources_rag: str = ""
    resources_reason: str = ""
    stakeholders_rag: str = ""
    stakeholders_reason: str = ""
    accomplishments: str = ""
    next_steps: str = ""
    blockers: str = ""
    help_needed: str = ""


class UpdateIn(_Fields):
    component: str = Field(description="component code")
    period: dt.date | None = Field(None, description="a Monday; default this week")
    submit: bool = Field(False, description="submit right away")


class UpdatePatch(Schema):
    overall_rag: str | None = None
    overall_reason: str | None = None
    schedule_rag: str | None = None
    schedule_reason: str | None = None
    cost_rag: str | None = None
    cost_reason: str | None = None
    scope_rag: str | None = None
    scope_reason: str | None = None
    risks_rag: str | None = None
    risks_reason: str | None = None
    resources_rag: str | None = None
    resources_reason: str | None = None
    stakeholders_rag: str | None = None
    stakeholders_reason: str | None = None
    accomplishments: str | None = None
    next_steps: str | None = None
    blockers: str | None = None
    help_needed: str | None = None
    version: int | None = None


class VersionIn(Schema):
    version: int | None = None


class ReopenIn(Schema):
    note: str
    version: int | None = None


class UpdateFilter(Schema):
    component: str = ""
    period: str = Field("", description='"2026-W48" or a date of the week')
    status: str = ""


class PrefillOut(Schema):
    component: str
    period: dt.date
    week: str
    figures: dict[str, Any]
    suggested: dict[str, dict[str, str]]
    defaults: dict[str, str] = Field(description="the form's starting values")
    previous_update: int | None
    previous_next_steps: str


class OverviewOut(Schema):
    program: str
    period: dt.date
    week: str
    dimensions: list[str]
    missing: list[str]
    components: list[dict[str, Any]]
