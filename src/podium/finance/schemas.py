"""API shapes of the financial framework. Amounts are decimal strings in the program's
currency (JSON numbers would lose cents)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from typing_extensions import TypeAliasType

from podium.finance.models import (
    ActualCost,
    BudgetBaseline,
    BudgetChangeRequest,
    BudgetLine,
    Category,
)

# The OpenAPI document files a choice list under its class name, and several apps have a
# "Category", and two models here a "Status": the document knows these under the names below.
CostCategory = TypeAliasType("CostCategory", Category)
BudgetBaselineStatus = TypeAliasType("BudgetBaselineStatus", BudgetBaseline.Status)
BudgetChangeStatus = TypeAliasType("BudgetChangeStatus", BudgetChangeRequest.Status)

Money = Decimal


def _username(user: Any) -> str | None:
    return user.username if user is not None else None


class CostAccountOut(Schema):
    id: int
    code: str
    name: str
    component: str
    activity: int | None
    version: int

    @staticmethod
    def resolve_component(obj: Any) -> str:
        return str(obj.component.code)

    @staticmethod
    def resolve_activity(obj: Any) -> int | None:
        return obj.activity_id  # type: ignore[no-any-return]


class CostAccountIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    component: str = Field(..., description="component code")
    activity: int | None = Field(None, description="id of the WBS activity the account covers")


class CostAccountPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    activity: int | None = None
    version: int | None = None


class LineOut(Schema):
    id: int
    key: str
    cost_account: str
    component: str
    activity: int | None
    category: CostCategory
    description: str
    amount: Money
    phasing: BudgetLine.Phasing
    phase_start: dt.date | None
    phase_finish: dt.date | None
    version: int

    @staticmethod
    def resolve_key(obj: Any) -> str:
        return str(obj.key)

    @staticmethod
    def resolve_cost_account(obj: Any) -> str:
        return str(obj.cost_account.code)

    @staticmethod
    def resolve_component(obj: Any) -> str:
        return str(obj.cost_account.component.code)

    @staticmethod
    def resolve_activity(obj: Any) -> int | None:
        return obj.activity_id  # type: ignore[no-any-return]


class _LineFields(Schema):
    activity: int | None = None
    category: CostCategory = Category.LABOUR
    description: str = Field("", max_length=200)
    phasing: BudgetLine.Phasing = BudgetLine.Phasing.SCHEDULE
    phase_start: dt.date | None = None
    phase_finish: dt.date | None = None


class LineIn(_LineFields):
    cost_account: str = Field(..., description="cost account code")
    amount: Money = Field(..., ge=0, max_digits=14, decimal_places=2)


class LinePatch(Schema):
    cost_account: str | None = None
    activity: int | None = None
    category: CostCategory | None = None
    description: str | None = Field(None, max_length=200)
    amount: Money | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    phasing: BudgetLine.Phasing | None = None
    phase_start: dt.date | None = None
    phase_finish: dt.date | None = None
    version: int | None = None


class BudgetBaselineOut(Schema):
    id: int
    program: str
    number: int
    status: BudgetBaselineStatus
    approved_by: str | None
    approved_at: dt.datetime | None
    notes: str
    lines_total: Money
    contingency: Money
    cost_baseline: Money = Field(..., description="lines + contingency")
    management_reserve: Money
    total_budget: Money = Field(..., description="cost baseline + management reserve")
    version: int


class BaselineDetailOut(BudgetBaselineOut):
    lines: list[LineOut]


class BudgetBaselineIn(Schema):
    management_reserve: Money = Field(Decimal(0), ge=0, max_digits=14, decimal_places=2)
    contingency: Money = Field(Decimal(0), ge=0, max_digits=14, decimal_places=2)
    notes: str = ""


class BaselinePatch(Schema):
    management_reserve: Money | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    contingency: Money | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    notes: str | None = None
    version: int | None = None


class BudgetDecisionIn(Schema):
    note: str = Field("", max_length=4000)


class LineDiffOut(Schema):
    label: str
    category: str
    status: str
    amount_a: Money | None
    amount_b: Money | None
    difference: Money


class AccountDiffOut(Schema):
    cost_account: str
    component: str
    total_a: Money
    total_b: Money
    difference: Money
    lines: list[LineDiffOut]


class ReserveDiffOut(Schema):
    reserve: str
    amount_a: Money
    amount_b: Money
    difference: Money


class ComparisonOut(Schema):
    a: int
    b: int
    total_a: Money
    total_b: Money
    difference: Money
    accounts: list[AccountDiffOut]
    reserves: list[ReserveDiffOut]


class ChangeIn(Schema):
    op: Literal["change", "add", "remove", "reserve"]
    line: int | None = Field(None, description="line id in the baseline (change, remove)")
    amount: Money | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    cost_account: str | None = Field(None, description="cost account code (add)")
    activity: int | None = None
    category: CostCategory | None = None
    description: str = ""
    field: Literal["management_reserve", "contingency"] | None = None


class BudgetChangeIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    reason: str = Field(..., min_length=1, max_length=4000)
    changes: list[ChangeIn] = Field(..., min_length=1)


class BudgetChangeOut(Schema):
    id: int
    number: int
    title: str
    reason: str
    status: BudgetChangeStatus
    baseline: int = Field(..., description="version number of the baseline it changes")
    changes: list[dict[str, Any]]
    requested_by: str | None
    created_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str
    resulting_baseline: int | None = Field(None, description="version number it created")
    version: int

    @staticmethod
    def resolve_baseline(obj: Any) -> int:
        return int(obj.baseline.number)

    @staticmethod
    def resolve_requested_by(obj: Any) -> str | None:
        return _username(obj.created_by)

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return _username(obj.decided_by)

    @staticmethod
    def resolve_resulting_baseline(obj: Any) -> int | None:
        return obj.resulting_baseline.number if obj.resulting_baseline_id else None


class ActualOut(Schema):
    id: int
    date: dt.date
    cost_account: str
    component: str
    activity: int | None
    amount: Money
    description: str
    source: ActualCost.Source
    resource: str | None
    hours: Decimal | None
    import_batch: int | None
    version: int

    @staticmethod
    def resolve_cost_account(obj: Any) -> str:
        return str(obj.cost_account.code)

    @staticmethod
    def resolve_component(obj: Any) -> str:
        return str(obj.cost_account.component.code)

    @staticmethod
    def resolve_activity(obj: Any) -> int | None:
        return obj.activity_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_resource(obj: Any) -> str | None:
        return obj.resource.code if obj.resource_id else None

    @staticmethod
    def resolve_import_batch(obj: Any) -> int | None:
        return obj.import_batch_id  # type: ignore[no-any-return]


class ActualIn(Schema):
    cost_account: str = Field(..., description="cost account code")
    date: dt.date
    amount: Money = Field(..., max_digits=14, decimal_places=2)
    activity: int | None = None
    description: str = Field("", max_length=300)


class TimeEntryIn(Schema):
    cost_account: str
    resource: str = Field(..., description="resource code; its standard rate costs the hours")
    date: dt.date
    hours: Decimal = Field(..., gt=0, le=24, max_digits=8, decimal_places=2)
    activity: int | None = None
    description: str = Field("", max_length=300)


class ImportOut(Schema):
    id: int
    filename: str
    rows: int
    total: Money


class ActualFilter(Schema):
    component: str = Field("", description="component code")
    cost_account: str = Field("", description="cost account code")
    date_from: dt.date | None = None
    date_to: dt.date | None = None


# -- earned value ---------------------------------------------------------------------------


class EvmRowOut(Schema):
    """One row of earned value (see :class:`podium.finance.evm.EvmRow`): money as decimal
    strings, ratios as numbers, ``null`` where undefined (a zero denominator, or earned
    schedule on an activity row)."""

    level: Literal["program", "component", "activity"]
    key: str
    name: str
    component: str | None
    activity_id: int | None = None
    earning_rule: str | None = None
    percent_complete: float | None = None
    bac: Money
    pv: Money
    ev: Money
    ac: Money
    sv: Money
    cv: Money
    spi: float | None
    cpi: float | None
    eac: Money = Field(..., description="AC + (BAC − EV)")
    eac_cpi: Money | None = Field(None, description="BAC / CPI")
    eac_sci: Money | None = Field(None, description="AC + (BAC − EV) / (CPI × SPI)")
    etc: Money | None = Field(None, description="EAC(CPI) − AC")
    vac: Money | None = Field(None, description="BAC − EAC(CPI)")
    tcpi: float | None = Field(None, description="(BAC − EV) / (BAC − AC)")
    es: dt.date | None = Field(None, description="earned schedule (date)")
    sv_t_days: float | None = Field(None, description="ES − AT in working days of 8 hours")
    spi_t: float | None = None
    sci_t: float | None = None
    p_factor: float | None = None
    planned_finish: dt.date | None = None
    eac_t_pf1: dt.date | None = None
    eac_t_spi_t: dt.date | None = None
    eac_t_sci_t: dt.date | None = None


class ProgramEvmOut(Schema):
    program_code: str
    currency: str
    status_date: dt.date = Field(..., description="status at the end of this day")
    baseline_number: int | None
    schedule_baseline: str | None
    program: EvmRowOut
    components: list[EvmRowOut]
    activities: list[EvmRowOut]
    notes: list[str]


class SCurvePointOut(Schema):
    date: dt.date
    pv: Money
    ev: Money | None
    ac: Money | None
    forecast: Money | None


class SCurveOut(Schema):
    program_code: str
    currency: str
    status_date: dt.date
    bac: Money
    eac: Money
    planned_finish: dt.date | None
    forecast_finish: dt.date | None
    points: list[SCurvePointOut]


class SnapshotIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    status_date: dt.date | None = Field(None, description="default: from the data date")


class SnapshotOut(Schema):
    id: int
    name: str
    status_date: dt.date
    created_by: str | None
    created_at: dt.datetime
    baseline_number: int | None
    schedule_baseline: str | None
    program: EvmRowOut
    components: list[EvmRowOut]


class TrendPointOut(Schema):
    snapshot_id: int
    name: str
    status_date: dt.date
    cpi: float | None
    spi: float | None
    spi_t: float | None
    pv: Money
    ev: Money
    ac: Money


class EarningRuleIn(Schema):
    rule: Literal["percent_complete", "zero_hundred", "fifty_fifty", "weighted_milestones"]
    weights: list[float] = Field(
        default_factory=list, description="weighted milestones: relative weights, in order"
    )


class EarningRuleOut(Schema):
    activity_id: int
    rule: str
    weights: list[float]
