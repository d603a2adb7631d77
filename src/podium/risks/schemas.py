"""API shapes of the risk and issue registers and the uncertainty inputs.

Cost impacts are money (decimal strings in the program's currency). A risk sent to a
user who may not see costs has **no** ``cost_impact`` key at all (the risk routes drop
unset fields; see :func:`podium.risks.api._risk_out`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from typing_extensions import TypeAliasType

from podium.risks.models import (
    ActionStatus,
    DistributionKind,
    IssuePriority,
    IssueStatus,
    Level,
    RiskKind,
    RiskStatus,
    Strategy,
)

# The OpenAPI document files a choice list under its class name, and several apps have a
# "Category" or an "ActionStatus": the document knows this app's under these names.
RiskActionStatus = TypeAliasType("RiskActionStatus", ActionStatus)


def _username(user: Any) -> str | None:
    return user.username if user is not None else None


class RiskCostImpactOut(Schema):
    kind: DistributionKind
    low: Decimal
    mode: Decimal
    high: Decimal
    currency: str


class CostImpactIn(Schema):
    kind: DistributionKind = DistributionKind.TRIANGULAR
    low: Decimal
    mode: Decimal | None = None
    high: Decimal


class DurationImpact(Schema):
    """A risk's impact on each linked activity, in working hours (magnitudes: an
    opportunity's impact is taken off)."""

    kind: DistributionKind
    low: float = Field(..., ge=0)
    mode: float | None = Field(None, ge=0)
    high: float = Field(..., ge=0)


class ActivityRef(Schema):
    id: int
    code: str
    name: str
    component: str


class RiskOut(Schema):
    id: int
    program: str
    component: str | None
    code: str
    title: str
    kind: RiskKind
    cause: str
    event: str
    effect: str
    owner: str | None
    probability: float
    schedule_score: int
    cost_score: int
    probability_score: int
    impact_score: int
    duration_impact: DurationImpact | None
    activities: list[ActivityRef]
    strategy: Strategy
    response: str
    status: RiskStatus
    level: Level
    escalated_by: str | None
    escalated_at: dt.datetime | None
    escalation_reason: str
    issue: str | None = Field(None, description="code of the issue it became")
    cost_impact: RiskCostImpactOut | None = Field(
        None, description="only for users who may see costs; absent otherwise"
    )
    version: int


class _RiskFields(Schema):
    kind: RiskKind = RiskKind.THREAT
    cause: str = ""
    event: str = ""
    effect: str = ""
    owner: str | None = Field(None, description="username")
    probability: float = Field(0.5, ge=0, le=1)
    schedule_score: int = Field(3, ge=1, le=5)
    cost_score: int = Field(3, ge=1, le=5)
    duration_impact: DurationImpact | None = None
    activities: list[int] = Field(default_factory=list, description="activity ids")
    strategy: Strategy = Strategy.ACCEPT
    response: str = ""
    cost_impact: CostImpactIn | None = None


class RiskIn(_RiskFields):
    title: str = Field(..., min_length=1, max_length=200)
    code: str = Field("", max_length=20, description="empty: the next R-nnn")
    component: str | None = Field(None, description="component code; empty: program level")


class RiskPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    code: str | None = Field(None, min_length=1, max_length=20)
    component: str | None = None
    kind: RiskKind | None = None
    cause: str | None = None
    event: str | None = None
    effect: str | None = None
    owner: str | None = None
    probability: float | None = Field(None, ge=0, le=1)
    schedule_score: int | None = Field(None, ge=1, le=5)
    cost_score: int | None = Field(None, ge=1, le=5)
    duration_impact: DurationImpact | None = None
    activities: list[int] | None = None
    strategy: Strategy | None = None
    response: str | None = None
    status: RiskStatus | None = None
    cost_impact: CostImpactIn | None = None
    version: int | None = None


class RiskFilter(Schema):
    component: str = Field("", description="component code, or 'program' for program level")
    status: str = ""
    kind: str = ""
    owner: str = Field("", description="username")
    level: str = ""
    q: str = ""


class EscalateIn(Schema):
    reason: str = Field(..., min_length=1)
    version: int | None = None


class OccurIn(Schema):
    note: str = ""
    owner: str | None = None
    priority: IssuePriority | None = None
    due_date: dt.date | None = None
    version: int | None = None


class ActionOut(Schema):
    id: int
    risk: str
    description: str
    owner: str | None
    due_date: dt.date | None
    status: RiskActionStatus
    version: int

    @staticmethod
    def resolve_risk(obj: Any) -> str:
        return str(obj.risk.code)

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return _username(obj.owner)


class ActionIn(Schema):
    description: str = Field(..., min_length=1, max_length=300)
    owner: str | None = None
    due_date: dt.date | None = None
    status: RiskActionStatus = ActionStatus.PLANNED


class ActionPatch(Schema):
    description: str | None = Field(None, min_length=1, max_length=300)
    owner: str | None = None
    due_date: dt.date | None = None
    status: RiskActionStatus | None = None
    version: int | None = None


class IssueOut(Schema):
    id: int
    program: str
    component: str | None
    code: str
    title: str
    description: str
    owner: str | None
    priority: IssuePriority
    due_date: dt.date | None
    status: IssueStatus
    resolution: str
    source_risk: str | None
    level: Level
    escalated_by: str | None
    escalated_at: dt.datetime | None
    escalation_reason: str
    version: int

    @staticmethod
    def resolve_program(obj: Any) -> str:
        return str(obj.program.code)

    @staticmethod
    def resolve_component(obj: Any) -> str | None:
        return obj.component.code if obj.component_id else None

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return _username(obj.owner)

    @staticmethod
    def resolve_escalated_by(obj: Any) -> str | None:
        return _username(obj.escalated_by)

    @staticmethod
    def resolve_source_risk(obj: Any) -> str | None:
        return obj.source_risk.code if obj.source_risk_id else None


class IssueIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    code: str = Field("", max_length=20)
    component: str | None = None
    description: str = ""
    owner: str | None = None
    priority: IssuePriority = IssuePriority.MEDIUM
    due_date: dt.date | None = None


class IssuePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    code: str | None = Field(None, min_length=1, max_length=20)
    component: str | None = None
    description: str | None = None
    owner: str | None = None
    priority: IssuePriority | None = None
    due_date: dt.date | None = None
    status: IssueStatus | None = None
    resolution: str | None = None
    version: int | None = None


class IssueFilter(Schema):
    component: str = ""
    status: str = ""
    priority: str = ""
    owner: str = ""
    level: str = ""
    q: str = ""


class EstimateOut(Schema):
    id: int
    activity: ActivityRef
    kind: DistributionKind
    optimistic: int
    most_likely: int
    pessimistic: int
    version: int

    @staticmethod
    def resolve_activity(obj: Any) -> dict[str, Any]:
        a = obj.activity
        return {"id": a.pk, "code": a.code, "name": a.name, "component": a.component.code}


class EstimateIn(Schema):
    """Working minutes (lognormal: most likely = median, pessimistic = 90th percentile)."""

    kind: DistributionKind = DistributionKind.TRIANGULAR
    optimistic: int = Field(..., ge=0)
    most_likely: int = Field(..., ge=0)
    pessimistic: int = Field(..., ge=0)
    version: int | None = None


class CorrelationOut(Schema):
    id: int
    activity_a: ActivityRef
    activity_b: ActivityRef
    rho: float
    version: int

    @staticmethod
    def resolve_activity_a(obj: Any) -> dict[str, Any]:
        a = obj.activity_a
        return {"id": a.pk, "code": a.code, "name": a.name, "component": a.component.code}

    @staticmethod
    def resolve_activity_b(obj: Any) -> dict[str, Any]:
        b = obj.activity_b
        return {"id": b.pk, "code": b.code, "name": b.name, "component": b.component.code}


class CorrelationIn(Schema):
    activity_a: int
    activity_b: int
    rho: float = Field(..., ge=-1, le=1)


class CorrelationPatch(Schema):
    rho: float = Field(..., ge=-1, le=1)
    version: int | None = None


class MatrixCellOut(Schema):
    probability: int
    impact: int
    count: int
    zone: str
    codes: list[str]


class MatrixOut(Schema):
    kind: RiskKind
    component: str | None
    total: int
    rows: list[list[MatrixCellOut]] = Field(
        ..., description="probability 5 (first row) down to 1; impact 1..5 in each row"
    )
