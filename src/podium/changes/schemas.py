"""API shapes of change requests, their lines and impact.

Components are codes; activities, links, cost accounts and deliverables of a line are
ids (with readable labels on the way out). Money (a cost line's amount, the impact's
``cost``, benefits' value at risk) is ``null`` for users who may not see costs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from podium.changes.models import LineKind, State
from podium.core.schemas import WallClock


class ChangeLineIn(Schema):
    kind: LineKind
    activity: int | None = Field(None, description="duration: the activity (cost: optional)")
    new_duration_days: Decimal | None = Field(None, description="duration, in working days")
    predecessor: int | None = Field(None, description="add_link: the predecessor activity")
    successor: int | None = Field(None, description="add_link: the successor activity")
    link_type: str = Field("FS", description="add_link: FS, SS, FF or SF")
    lag_days: Decimal | None = Field(None, description="add_link: lag in working days")
    link: int | None = Field(None, description="remove_link: the link's id")
    cost_account: int | None = Field(None, description="cost: the cost account's id")
    amount: Decimal | None = Field(None, description="cost: budget delta (negative lowers)")
    deliverable: int | None = Field(None, description="descope_deliverable: its id")
    reason: str = ""


class ChangeLinePatch(Schema):
    activity: int | None = None
    new_duration_days: Decimal | None = None
    predecessor: int | None = None
    successor: int | None = None
    link_type: str | None = None
    lag_days: Decimal | None = None
    link: int | None = None
    cost_account: int | None = None
    amount: Decimal | None = None
    deliverable: int | None = None
    reason: str | None = None
    version: int | None = None


class ChangeLineOut(Schema):
    id: int
    position: int
    kind: LineKind
    text: str = Field(description="what the line changes, in words")
    activity: int | None
    new_duration_days: float | None
    old_duration_minutes: int | None
    predecessor: int | None
    successor: int | None
    link_type: str
    lag_days: float
    link: int | None
    cost_account: str | None
    amount: float | None
    deliverable: str | None
    reason: str
    version: int


class ChangeRequestIn(Schema):
    title: str
    description: str = ""
    justification: str = ""
    components: list[str] = Field(default_factory=list, description="component codes")
    lines: list[ChangeLineIn] = Field(default_factory=list)


class ChangeRequestPatch(Schema):
    title: str | None = None
    description: str | None = None
    justification: str | None = None
    components: list[str] | None = None
    version: int | None = None


class ChangeRequestOut(Schema):
    id: int
    program: str
    number: int
    code: str
    title: str
    description: str
    justification: str
    requested_by: str | None
    components: list[str]
    state: State
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    decided_by: str | None
    decision: int | None = Field(description="the decision's number in the program's log")
    rejection_reason: str
    impact_computed_at: dt.datetime | None
    lines: list[ChangeLineOut]
    version: int


class ChangeRequestSummary(Schema):
    id: int
    code: str
    title: str
    state: State
    requested_by: str | None
    submitted_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_requested_by(obj: Any) -> str | None:
        return obj.requested_by.username if obj.requested_by is not None else None


class ChangeFilter(Schema):
    state: State | None = None
    component: str | None = None
    q: str = ""


class ChangeStepIn(Schema):
    version: int | None = None
    reason: str = ""


class ChangeDecisionIn(Schema):
    rationale: str = Field("", description="why (required to reject)")
    version: int | None = None
    impact_fingerprint: str | None = Field(
        None, description="the fingerprint of the impact you reviewed: refused (409) if the "
        "plan has changed since",
    )  # fmt: skip


class CostImpactOut(Schema):
    currency: str
    status_date: dt.date
    budget_delta: float
    bac_before: float
    bac_after: float
    bac_delta: float
    eac_before: float
    eac_after: float
    eac_delta: float
    baseline_number: int | None


class ImpactOut(Schema):
    fingerprint: str
    computed_at: dt.datetime
    stale: bool = Field(description="the plan has changed since (a decided request: never)")
    finish_before: WallClock | None
    finish_after: WallClock | None
    finish_delta_days: int | None
    finish_delta_working_days: float | None
    critical_before: int
    critical_after: int
    critical_entering: list[dict[str, Any]]
    critical_leaving: list[dict[str, Any]]
    moved: list[dict[str, Any]]
    moved_count: int
    cost: CostImpactOut | None
    benefits: list[dict[str, Any]]
    resources: list[dict[str, Any]]
    pv_before: list[list[Any]] | None
    pv_after: list[list[Any]] | None
    notes: list[str]
