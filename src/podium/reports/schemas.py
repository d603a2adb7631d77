"""Shapes of the reports API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema

__all__ = [
    "CalendarFeedOut",
    "DimensionOut",
    "FigureOut",
    "StatusReportOut",
    "SubscriptionIn",
    "SubscriptionOut",
]


class DimensionOut(Schema):
    key: str
    label: str
    rag: str
    headline: str
    rule: str


class FigureOut(Schema):
    label: str
    value: str


class StatusReportOut(Schema):
    program: str
    week: str
    week_start: dt.date
    week_end: dt.date
    status_date: dt.date | None
    can_see_costs: bool
    dimensions: list[DimensionOut]
    figures: list[FigureOut]
    milestones: dict[str, list[dict[str, Any]]]
    top_risks: list[dict[str, Any]]
    deliverables: dict[str, list[dict[str, Any]]]
    benefits: dict[str, int]
    feedback: dict[str, str] | None
    decisions: list[dict[str, Any]]
    change_requests: list[dict[str, Any]]
    gates: list[dict[str, Any]]
    component_updates: list[dict[str, Any]] = []
    left_out: list[str]


class SubscriptionIn(Schema):
    subscribed: bool


class SubscriptionOut(Schema):
    program: str
    subscribed: bool


class CalendarFeedOut(Schema):
    program: str
    url: str | None
    created_at: dt.datetime | None
