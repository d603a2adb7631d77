"""API schemas of the benefits register. Money (``expected_value``, ``value_at_risk``)
is absent for users who may not see costs (the routes drop unset keys)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from podium.benefits.models import BenefitCategory, BenefitStatus, Direction

__all__ = [
    "BenefitFilter",
    "BenefitIn",
    "BenefitOut",
    "BenefitPatch",
    "DescopeOut",
    "ForecastRowOut",
    "MeasurementIn",
    "MeasurementOut",
    "SummaryOut",
    "TargetIn",
    "TargetsIn",
    "TraceabilityOut",
]


class TargetIn(Schema):
    date: dt.date
    value: float


class TargetsIn(Schema):
    targets: list[TargetIn]
    version: int | None = None


class Ref(Schema):
    id: int
    code: str
    name: str


class GoalRef(Schema):
    id: int
    title: str


class DeliverableRef(Ref):
    component: str


class MeasurementOut(Schema):
    id: int
    date: dt.date
    value: float
    note: str
    recorded_by: str | None


class BenefitOut(Schema):
    id: int
    program: str
    code: str
    name: str
    description: str
    category: BenefitCategory
    owner: str | None
    sustainment_owner: str | None
    goal: GoalRef | None
    components: list[Ref]
    deliverables: list[DeliverableRef]
    kpi: str
    unit: str
    measurement_method: str
    baseline_value: float
    baseline_date: dt.date
    direction: Direction
    at_risk_pct: float
    off_track_pct: float
    targets: list[TargetIn]
    status: BenefitStatus
    status_changed_at: dt.datetime | None
    expected_value: Decimal | None = None
    currency: str | None = None
    version: int


class _BenefitFields(Schema):
    code: str = ""
    description: str = ""
    category: BenefitCategory = BenefitCategory.OPERATIONAL
    owner: str | None = None
    sustainment_owner: str | None = None
    goal: int | None = Field(None, description="id of one of the program's goals")
    components: list[str] = Field(default_factory=list, description="component codes")
    deliverables: list[str] = Field(default_factory=list, description="deliverable codes")
    unit: str = ""
    measurement_method: str = ""
    direction: Direction = Direction.HIGHER
    at_risk_pct: float = 5.0
    off_track_pct: float = 15.0
    targets: list[TargetIn] = Field(default_factory=list)
    expected_value: Decimal | None = Field(None, description="program currency; cost data")


class BenefitIn(_BenefitFields):
    name: str
    kpi: str
    baseline_value: float
    baseline_date: dt.date


class BenefitPatch(Schema):
    code: str | None = None
    name: str | None = None
    description: str | None = None
    category: BenefitCategory | None = None
    owner: str | None = None
    sustainment_owner: str | None = None
    goal: int | None = None
    components: list[str] | None = None
    deliverables: list[str] | None = None
    kpi: str | None = None
    unit: str | None = None
    measurement_method: str | None = None
    baseline_value: float | None = None
    baseline_date: dt.date | None = None
    direction: Direction | None = None
    at_risk_pct: float | None = None
    off_track_pct: float | None = None
    targets: list[TargetIn] | None = None
    expected_value: Decimal | None = None
    version: int | None = None


class BenefitFilter(Schema):
    category: str = ""
    status: str = ""
    goal: int | None = None
    owner: str = ""
    q: str = ""
    deliverable: str = Field("", description="code: benefits that depend on it")
    component: str = Field("", description="code: benefits that depend on it")


class MeasurementIn(Schema):
    date: dt.date
    value: float
    note: str = ""
    version: int | None = Field(None, description="the benefit's version")


class StatusChangeOut(Schema):
    benefit_id: int
    code: str
    name: str
    before: str
    after: str
    at: dt.datetime
    note: str


class SummaryOut(Schema):
    total: int
    counts: dict[str, int]
    since: dt.datetime
    changes: list[StatusChangeOut]


class ImpactRowOut(Schema):
    benefit: Ref
    status: BenefitStatus
    share: float
    shift_days: int
    horizon: dt.date | None
    via: list[str]
    reason: str
    expected_value: Decimal | None = None
    value_at_risk: Decimal | None = None


class DescopeOut(Schema):
    subject: str
    cut: bool
    delay_weeks: int
    rows: list[ImpactRowOut]
    total_value_at_risk: Decimal | None = None
    currency: str | None = None


class EnablerOut(Schema):
    kind: str
    id: int
    label: str
    date: dt.date | None


class ForecastRowOut(Schema):
    benefit: Ref
    enablers: list[EnablerOut]
    expected_date: dt.date | None
    planned_start: dt.date | None
    late_days: int | None
    p50: dt.date | None
    p80: dt.date | None
    monte_carlo: str


class TraceBenefit(Schema):
    benefit: Ref
    status: BenefitStatus
    deliverables: list[DeliverableRef]
    components: list[Ref]


class TraceGoal(Schema):
    goal: GoalRef | None
    benefits: list[TraceBenefit]


class TraceDeliverable(Schema):
    deliverable: Ref
    benefits: list[Ref]


class TraceComponent(Schema):
    component: Ref
    deliverables: list[TraceDeliverable]
    benefits: list[Ref]


class TraceabilityOut(Schema):
    goals: list[TraceGoal]
    components: list[TraceComponent]
