"""API shapes of the program dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class DashboardDimensionOut(Schema):
    key: str = Field(description="schedule, cost, deliverables, benefits, feedback or risks")
    label: str
    rag: str = Field(description="green, amber, red or grey (no data / not visible)")
    headline: str
    rule: str = Field(description="the rule that decided the colour, with its thresholds")
    figures: dict[str, Any]
    url: str


class MilestoneOut(Schema):
    activity_id: int
    code: str
    name: str
    component: str | None
    baseline_finish: dt.date | None
    finish: dt.date | None
    slip_days: float | None = Field(description="finish minus baseline finish, calendar days")
    done: bool
    critical: bool


class DashboardRiskOut(Schema):
    code: str
    title: str
    kind: str
    score: int = Field(description="probability score x impact score")
    probability_score: int
    impact_score: int
    owner: str
    has_response: bool
    escalated: bool
    high: bool


class DashboardActionOut(Schema):
    kind: str
    title: str
    due_date: dt.date
    days_overdue: int
    owner: str
    url: str


class DashboardGateOut(Schema):
    subject: str
    source: str
    target: str
    url: str


class DashboardOut(Schema):
    program: str
    today: dt.date
    dimensions: list[DashboardDimensionOut]
    milestones: list[MilestoneOut]
    top_risks: list[DashboardRiskOut]
    overdue_feedback: int
    overdue_actions: list[DashboardActionOut]
    next_gates: list[DashboardGateOut]
    milestone_trend: dict[str, Any]
