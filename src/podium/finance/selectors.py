"""Reads of the financial framework. Callers pass a program whose costs the user may see
(:func:`podium.finance.access.costed_program`); nothing here checks permissions again.

:func:`evm_inputs` is the seam to the earned-value engine (``podium.engine.evm``): plain
data — budget per activity and per cost account, actual cost per activity and date —
with no Django objects in it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from podium.core.errors import NotFound
from podium.core.models import AuditRecord
from podium.finance.models import (
    ZERO,
    ActualCost,
    BudgetBaseline,
    BudgetChangeRequest,
    BudgetLine,
    CostAccount,
)
from podium.programs.models import Component, Program

__all__ = [
    "AccountBudget",
    "ActivityBudget",
    "BudgetView",
    "Comparison",
    "EvmInputs",
    "actual_list",
    "baseline_list",
    "budget_view",
    "change_request_list",
    "change_rows",
    "compare",
    "cost_account_list",
    "current_baseline",
    "evm_inputs",
    "finance_history",
    "get_actual_cost",
    "get_baseline",
    "get_change_request",
    "get_cost_account",
    "get_line",
]

FINANCE_TYPES = (
    "finance.costaccount", "finance.budgetbaseline", "finance.budgetline",
    "finance.budgetchangerequest", "finance.actualcost", "finance.costimport",
    "finance.earningrule", "finance.statussnapshot",
)  # fmt: skip


# -- lookups (404 like a missing object when outside the program) ------------------------


def get_cost_account(program: Program, pk: int) -> CostAccount:
    account = (
        CostAccount.objects.select_related("program", "component", "activity")
        .filter(program=program, pk=pk)
        .first()
    )
    if account is None:
        raise NotFound(f"No cost account {pk}.")
    return account


def get_baseline(
    program: Program, *, pk: int | None = None, number: int | None = None
) -> BudgetBaseline:
    qs = BudgetBaseline.objects.select_related("program", "approved_by").filter(program=program)
    baseline = qs.filter(pk=pk).first() if pk is not None else qs.filter(number=number or 0).first()
    if baseline is None:
        raise NotFound(f"No budget baseline {'v' + str(number) if number else pk}.")
    return baseline


def get_line(program: Program, pk: int) -> BudgetLine:
    line = (
        BudgetLine.objects.select_related(
            "baseline__program", "cost_account__component", "activity"
        )
        .filter(baseline__program=program, pk=pk)
        .first()
    )
    if line is None:
        raise NotFound(f"No budget line {pk}.")
    return line


def get_change_request(program: Program, pk: int) -> BudgetChangeRequest:
    request = (
        BudgetChangeRequest.objects.select_related(
            "program", "baseline", "resulting_baseline", "decided_by", "created_by"
        )
        .filter(program=program, pk=pk)
        .first()
    )
    if request is None:
        raise NotFound(f"No budget change request {pk}.")
    return request


def get_actual_cost(program: Program, pk: int) -> ActualCost:
    entry = (
        ActualCost.objects.select_related("program", "cost_account")
        .filter(program=program, pk=pk)
        .first()
    )
    if entry is None:
        raise NotFound(f"No actual cost {pk}.")
    return entry


# -- lists ------------------------------------------------------------------------------


def cost_account_list(program: Program, *, component: int | None = None) -> QuerySet[CostAccount]:
    qs = CostAccount.objects.filter(program=program).select_related("component", "activity")
    if component:
        qs = qs.filter(component_id=component)
    return qs.order_by("component__code", "code")


def baseline_list(program: Program) -> QuerySet[BudgetBaseline]:
    return (
        BudgetBaseline.objects.filter(program=program)
        .select_related("program", "approved_by")
        .annotate(lines_total=Sum("lines__amount"))
        .order_by("-number")
    )


def current_baseline(program: Program) -> BudgetBaseline | None:
    """The approved baseline, or the draft when none is approved yet."""
    qs = BudgetBaseline.objects.filter(program=program).select_related("program", "approved_by")
    return (
        qs.filter(status=BudgetBaseline.Status.APPROVED).first()
        or qs.filter(status=BudgetBaseline.Status.DRAFT).first()
    )


def change_request_list(program: Program, *, status: str = "") -> QuerySet[BudgetChangeRequest]:
    qs = BudgetChangeRequest.objects.filter(program=program).select_related(
        "baseline", "resulting_baseline", "created_by", "decided_by"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-number")


def actual_list(
    program: Program,
    *,
    component: int | None = None,
    account: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[ActualCost]:
    qs = ActualCost.objects.filter(program=program).select_related(
        "cost_account__component", "activity", "resource", "import_batch"
    )
    if component:
        qs = qs.filter(cost_account__component_id=component)
    if account:
        qs = qs.filter(cost_account_id=account)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs.order_by("-date", "-id")


def finance_history(program: Program) -> QuerySet[AuditRecord]:
    """Every recorded change of the program's budget and costs, newest first."""
    return AuditRecord.objects.filter(
        program_id=program.pk, object_type__in=FINANCE_TYPES
    ).select_related("user")


# -- the budget page --------------------------------------------------------------------


@dataclass
class AccountGroup:
    account: CostAccount
    lines: list[BudgetLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


@dataclass
class ComponentGroup:
    component: Component
    accounts: list[AccountGroup] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((a.total for a in self.accounts), ZERO)


@dataclass
class BudgetView:
    """A baseline's lines grouped by component and cost account, and its totals.

    ``lines_total`` (the work) + ``contingency`` = ``cost_baseline``;
    + ``management_reserve`` = ``total_budget``.
    """

    baseline: BudgetBaseline
    groups: list[ComponentGroup]

    @property
    def lines_total(self) -> Decimal:
        return sum((g.total for g in self.groups), ZERO)

    @property
    def cost_baseline(self) -> Decimal:
        return self.lines_total + self.baseline.contingency

    @property
    def total_budget(self) -> Decimal:
        return self.cost_baseline + self.baseline.management_reserve


def budget_view(baseline: BudgetBaseline) -> BudgetView:
    lines = BudgetLine.objects.filter(baseline=baseline).select_related(
        "cost_account__component", "activity"
    )
    components: dict[int, ComponentGroup] = {}
    accounts: dict[int, AccountGroup] = {}
    for line in lines.order_by("cost_account__component__code", "cost_account__code", "id"):
        account = line.cost_account
        group = components.get(account.component_id)
        if group is None:
            group = components[account.component_id] = ComponentGroup(account.component)
        account_group = accounts.get(account.pk)
        if account_group is None:
            account_group = accounts[account.pk] = AccountGroup(account)
            group.accounts.append(account_group)
        account_group.lines.append(line)
    return BudgetView(baseline, list(components.values()))


# -- comparing two versions -------------------------------------------------------------


@dataclass(frozen=True)
class LineDiff:
    label: str
    category: str
    amount_a: Decimal | None  # None: the line is not in version a
    amount_b: Decimal | None

    @property
    def difference(self) -> Decimal:
        return (self.amount_b or ZERO) - (self.amount_a or ZERO)

    @property
    def status(self) -> str:
        if self.amount_a is None:
            return "added"
        if self.amount_b is None:
            return "removed"
        return "changed" if self.amount_a != self.amount_b else "same"


@dataclass
class AccountDiff:
    account: CostAccount
    lines: list[LineDiff] = field(default_factory=list)

    @property
    def total_a(self) -> Decimal:
        return sum((d.amount_a or ZERO for d in self.lines), ZERO)

    @property
    def total_b(self) -> Decimal:
        return sum((d.amount_b or ZERO for d in self.lines), ZERO)

    @property
    def difference(self) -> Decimal:
        return self.total_b - self.total_a


@dataclass
class Comparison:
    a: BudgetBaseline
    b: BudgetBaseline
    accounts: list[AccountDiff]

    @property
    def total_a(self) -> Decimal:
        return sum((d.total_a for d in self.accounts), ZERO)

    @property
    def total_b(self) -> Decimal:
        return sum((d.total_b for d in self.accounts), ZERO)

    @property
    def reserves(self) -> list[tuple[str, Decimal, Decimal, Decimal]]:
        """(label, amount in a, amount in b, difference) for both reserves."""
        out = []
        for label, attr in (
            ("Contingency", "contingency"),
            ("Management reserve", "management_reserve"),
        ):
            va, vb = getattr(self.a, attr), getattr(self.b, attr)
            out.append((label, va, vb, vb - va))
        return out


def _label(line: BudgetLine) -> str:
    parts = [line.get_category_display()]
    if line.activity is not None:
        parts.append(f"{line.activity.code} {line.activity.name}")
    if line.description:
        parts.append(line.description)
    return " · ".join(parts)


def compare(a: BudgetBaseline, b: BudgetBaseline) -> Comparison:
    """Two versions side by side: per cost account and per line (matched by the line's
    ``key``, kept when a change request copies it), the amount in each and the
    difference ``b − a``."""
    lines_a = {
        line.key: line
        for line in BudgetLine.objects.filter(baseline=a).select_related(
            "cost_account__component", "activity"
        )
    }
    lines_b = {
        line.key: line
        for line in BudgetLine.objects.filter(baseline=b).select_related(
            "cost_account__component", "activity"
        )
    }
    by_account: dict[int, AccountDiff] = {}
    for key in list(lines_a) + [k for k in lines_b if k not in lines_a]:
        la, lb = lines_a.get(key), lines_b.get(key)
        line = lb or la
        assert line is not None
        diff = by_account.get(line.cost_account_id)
        if diff is None:
            diff = by_account[line.cost_account_id] = AccountDiff(line.cost_account)
        diff.lines.append(
            LineDiff(
                _label(line),
                line.category,
                la.amount if la is not None else None,
                lb.amount if lb is not None else None,
            )
        )
    accounts = sorted(by_account.values(), key=lambda d: (d.account.component.code, d.account.code))
    return Comparison(a, b, accounts)


# -- change request details ---------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRow:
    op: str
    account: str
    line: str
    current: Decimal | None
    proposed: Decimal | None


def change_rows(request: BudgetChangeRequest) -> list[ChangeRow]:
    """The request's changes in words and amounts, against the baseline it changes."""
    line_ids = [c["line"] for c in request.changes if "line" in c]
    lines = {
        line.pk: line
        for line in BudgetLine.objects.filter(pk__in=line_ids).select_related(
            "cost_account", "activity"
        )
    }
    rows = []
    for change in request.changes:
        op = change["op"]
        if op in ("change", "remove"):
            line = lines.get(change["line"])
            rows.append(
                ChangeRow(
                    op,
                    line.cost_account.code if line else "?",
                    _label(line) if line else f"line {change['line']}",
                    line.amount if line else None,
                    Decimal(change["amount"]) if op == "change" else ZERO,
                )
            )
        elif op == "add":
            rows.append(
                ChangeRow(
                    op,
                    change["cost_account"],
                    " · ".join(p for p in (change["category"], change["description"]) if p),
                    None,
                    Decimal(change["amount"]),
                )
            )
        else:
            field_name = change["field"]
            rows.append(
                ChangeRow(
                    op,
                    "",
                    field_name.replace("_", " "),
                    getattr(request.baseline, field_name),
                    Decimal(change["amount"]),
                )
            )
    return rows


# -- the seam to the earned-value engine ----------------------------------------------------


@dataclass(frozen=True)
class ActivityBudget:
    activity_id: int
    cost_account: str
    amount: Decimal
    phasing: str  # BudgetLine.Phasing value of the largest line (hint for PV)
    phase_start: dt.date | None
    phase_finish: dt.date | None


@dataclass(frozen=True)
class AccountBudget:
    code: str
    component: str
    wbs_activity_id: int | None  # the WBS element the account covers, if any
    amount: Decimal  # all lines of the account
    unallocated: Decimal  # lines of the account not tied to an activity


@dataclass(frozen=True)
class EvmInputs:
    """What the earned-value engine needs from the database, as plain values.

    ``actuals_by_activity`` maps ``(activity_id, date)`` to the actual cost booked that
    day (``activity_id`` None: booked to the account only; see
    ``actuals_by_account``). ``budget_at_completion`` is the sum of the lines (the
    distributed budget); reserves are given apart and are not earned.
    """

    program: str
    currency: str
    baseline_number: int | None
    budget_at_completion: Decimal
    contingency: Decimal
    management_reserve: Decimal
    by_activity: dict[int, ActivityBudget]
    by_account: dict[str, AccountBudget]
    actuals_by_activity: dict[tuple[int | None, dt.date], Decimal]
    actuals_by_account: dict[tuple[str, dt.date], Decimal]


def evm_inputs(program: Program, baseline: BudgetBaseline | None = None) -> EvmInputs:
    """Budget per activity and cost account of ``baseline`` (default: the approved one)
    and every actual cost of the program per activity/account and date."""
    if baseline is None:
        baseline = BudgetBaseline.objects.filter(
            program=program, status=BudgetBaseline.Status.APPROVED
        ).first()
    by_activity: dict[int, ActivityBudget] = {}
    by_account: dict[str, AccountBudget] = {}
    accounts = {
        a.pk: a for a in CostAccount.objects.filter(program=program).select_related("component")
    }
    totals: dict[int, Decimal] = defaultdict(Decimal)
    unallocated: dict[int, Decimal] = defaultdict(Decimal)
    largest: dict[int, Decimal] = {}
    lines = BudgetLine.objects.filter(baseline=baseline) if baseline else BudgetLine.objects.none()
    for line in lines.values(
        "cost_account_id", "activity_id", "amount", "phasing", "phase_start", "phase_finish"
    ):
        account = accounts[line["cost_account_id"]]
        totals[account.pk] += line["amount"]
        activity_id = line["activity_id"]
        if activity_id is None:
            unallocated[account.pk] += line["amount"]
            continue
        previous = by_activity.get(activity_id)
        amount = line["amount"] + (previous.amount if previous else ZERO)
        keep = previous is not None and largest[activity_id] >= line["amount"]
        if not keep:
            largest[activity_id] = line["amount"]
        source: Any = previous if keep else None
        by_activity[activity_id] = ActivityBudget(
            activity_id,
            account.code,
            amount,
            source.phasing if source else line["phasing"],
            source.phase_start if source else line["phase_start"],
            source.phase_finish if source else line["phase_finish"],
        )
    for pk, account in accounts.items():
        by_account[account.code] = AccountBudget(
            account.code,
            account.component.code,
            account.activity_id,
            totals.get(pk, ZERO),
            unallocated.get(pk, ZERO),
        )
    actual_activity: dict[tuple[int | None, dt.date], Decimal] = defaultdict(Decimal)
    actual_account: dict[tuple[str, dt.date], Decimal] = defaultdict(Decimal)
    rows = (
        ActualCost.objects.filter(program=program)
        .values("activity_id", "cost_account_id", "date")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        actual_activity[(row["activity_id"], row["date"])] += row["total"]
        actual_account[(accounts[row["cost_account_id"]].code, row["date"])] += row["total"]
    return EvmInputs(
        program=program.code,
        currency=program.currency,
        baseline_number=baseline.number if baseline else None,
        budget_at_completion=sum(totals.values(), ZERO),
        contingency=baseline.contingency if baseline else ZERO,
        management_reserve=baseline.management_reserve if baseline else ZERO,
        by_activity=by_activity,
        by_account=by_account,
        actuals_by_activity=dict(actual_activity),
        actuals_by_account=dict(actual_account),
    )
