"""API shapes of the program dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class DimensionOut(Schema):
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


class RiskOut(Schema):
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


class ActionOut(Schema):
    kind: str
    title: str
    due_date: dt.date
    days_overdue: int
    owner: str
    url: str


class GateOut(Schema):
    subject: str
    source: str
    target: str
    url: str


class DashboardOut(Schema):
    program: str
    today: dt.date
    dimensions: list[DimensionOut]
    milestones: list[MilestoneOut]
    top_risks: list[RiskOut]
    overdue_feedback: int
    overdue_actions: list[ActionOut]
    next_gates: list[GateOut]
    milestone_trend: dict[str, Any]
