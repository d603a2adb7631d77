"""The program's financial framework: cost accounts, the budget baseline and its
versions, budget change requests and actual costs.

Money is ``Decimal`` with two places, in the program's currency. Everything here is cost
data: only users for whom :func:`podium.programs.permissions.can_see_costs` says yes may
read it (see :mod:`podium.finance.access`). ``__str__`` of these models never contains
an amount, because it is what audit records show as the object's name.

Budget terms (PMI)
------------------
- budget lines summed = the distributed budget of the work (what earned value measures);
- + contingency reserve = the **cost baseline**;
- + management reserve = the **program budget**. Management reserve is not part of the
  cost baseline; both reserves are shown apart from the lines.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from podium.core.models import BaseModel, ImmutableError
from podium.programs.models import Component, Program
from podium.schedule.models import Activity

__all__ = [
    "ActualCost",
    "BudgetBaseline",
    "BudgetChangeRequest",
    "BudgetLine",
    "Category",
    "CostAccount",
    "CostImport",
    "EarningRule",
    "StatusSnapshot",
]

ZERO = Decimal("0.00")


class Category(models.TextChoices):
    LABOUR = "labour", "Labour"
    MATERIAL = "material", "Material"
    EQUIPMENT = "equipment", "Equipment"
    FIXED = "fixed", "Fixed cost"
    OTHER = "other", "Other"


class CostAccount(BaseModel):
    """A control account: where budget and actual cost of one component (optionally one
    WBS element of its schedule) are planned and collected."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cost_accounts")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="cost_accounts")
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="the WBS element (usually a summary activity) the account covers",
    )
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="cost_account_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BudgetBaseline(BaseModel):
    """One version of the program's budget baseline.

    A draft is prepared in planning and edited freely by the program manager; approving
    it (at the definition → delivery gate) locks it. After that the budget changes only
    through an approved :class:`BudgetChangeRequest`, which creates the next version and
    marks this one superseded. Every version is kept.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        SUPERSEDED = "superseded", "Superseded"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="budget_baselines")
    number = models.PositiveIntegerField(help_text="baseline version: 1, 2, …")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    management_reserve = models.DecimalField(
        max_digits=14, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    contingency = models.DecimalField(
        max_digits=14, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["program", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="budget_baseline_unique"),
            models.UniqueConstraint(
                fields=["program"],
                condition=Q(status="approved"),
                name="budget_one_approved_baseline",
            ),
            models.UniqueConstraint(
                fields=["program"], condition=Q(status="draft"), name="budget_one_draft_baseline"
            ),
        ]

    def __str__(self) -> str:
        return f"budget baseline v{self.number} ({self.status})"

    @property
    def locked(self) -> bool:
        return self.status != self.Status.DRAFT


class BudgetLine(BaseModel):
    """An amount of a baseline for one cost account (optionally one activity).

    ``key`` stays the same when a change request copies the line into the next version,
    so two versions can be compared line by line. ``phasing`` hints how the amount
    spreads over time for planned value: along the activity's schedule (default), evenly
    between ``phase_start`` and ``phase_finish``, or all at the start or the finish.
    """

    class Phasing(models.TextChoices):
        SCHEDULE = "schedule", "Along the schedule"
        LINEAR = "linear", "Evenly between dates"
        START = "start", "At the start"
        FINISH = "finish", "At the finish"

    baseline = models.ForeignKey(BudgetBaseline, on_delete=models.CASCADE, related_name="lines")
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    cost_account = models.ForeignKey(
        CostAccount, on_delete=models.PROTECT, related_name="budget_lines"
    )
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(max_length=12, choices=Category.choices, default=Category.LABOUR)
    description = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    phasing = models.CharField(max_length=10, choices=Phasing.choices, default=Phasing.SCHEDULE)
    phase_start = models.DateField(null=True, blank=True)
    phase_finish = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["baseline", "cost_account__code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["baseline", "key"], name="budget_line_key_unique")
        ]

    def __str__(self) -> str:
        return f"budget line {self.cost_account.code} {self.category}"


class BudgetChangeRequest(BaseModel):
    """A proposed change to the approved baseline: proposed → approved or rejected by the
    program manager. Approval creates the next baseline version.

    ``changes`` is a list of operations (validated and normalized by the service):

    - ``{"op": "change", "line": <line id in baseline>, "amount": "1200.00"}``
    - ``{"op": "add", "cost_account": "CODE", "activity": <id> | null,
      "category": "labour", "amount": "500.00", "description": ""}``
    - ``{"op": "remove", "line": <line id>}``
    - ``{"op": "reserve", "field": "management_reserve" | "contingency",
      "amount": "1000.00"}``
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="budget_change_requests"
    )
    number = models.PositiveIntegerField()
    baseline = models.ForeignKey(
        BudgetBaseline, on_delete=models.PROTECT, related_name="change_requests"
    )
    title = models.CharField(max_length=200)
    reason = models.TextField()
    changes = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    resulting_baseline = models.OneToOneField(
        BudgetBaseline,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="created_by_change",
    )

    class Meta:
        ordering = ["program", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="budget_cr_number_unique")
        ]

    def __str__(self) -> str:
        return f"budget change request #{self.number} {self.title}"


class CostImport(BaseModel):
    """One CSV import of actual costs (all of its lines or none were stored)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cost_imports")
    filename = models.CharField(max_length=200)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"actual cost import {self.filename} ({self.rows} lines)"


class ActualCost(BaseModel):
    """A cost incurred on one date, booked to a cost account (optionally an activity):
    entered by hand, imported from CSV, or turned from a time entry (hours × the
    resource's standard rate)."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Manual entry"
        CSV = "csv", "CSV import"
        TIMESHEET = "timesheet", "Time entry"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="actual_costs")
    cost_account = models.ForeignKey(
        CostAccount, on_delete=models.PROTECT, related_name="actual_costs"
    )
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    description = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    import_batch = models.ForeignKey(
        CostImport, null=True, blank=True, on_delete=models.CASCADE, related_name="entries"
    )
    # Time entries: who worked how long (the amount is hours × rate at entry time).
    resource = models.ForeignKey(
        "resources.Resource", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hours = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["program", "-date", "-id"]
        indexes = [
            models.Index(fields=["program", "date"]),
            models.Index(fields=["cost_account", "date"]),
        ]

    def __str__(self) -> str:
        return f"actual cost {self.date:%Y-%m-%d} {self.cost_account.code}"


class EarningRule(BaseModel):
    """How an activity earns its budget (earned value), when not by percent complete.

    An activity without a row earns by percent complete. ``weights`` (weighted
    milestones only) are relative weights of the activity's milestones in order; a
    milestone counts as reached when the activity's percent complete reaches the
    cumulative share of the weights up to it (weights 20, 30, 50: reached at 20 %, 50 %
    and 100 %), so progress is still reported in one place, the schedule.
    """

    class Rule(models.TextChoices):
        PERCENT_COMPLETE = "percent_complete", "Percent complete"
        ZERO_HUNDRED = "zero_hundred", "0/100"
        FIFTY_FIFTY = "fifty_fifty", "50/50"
        WEIGHTED_MILESTONES = "weighted_milestones", "Weighted milestones"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="earning_rules")
    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="earning_rule")
    rule = models.CharField(max_length=20, choices=Rule.choices, default=Rule.PERCENT_COMPLETE)
    weights = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["program", "activity"]

    def __str__(self) -> str:
        return f"earning rule of {self.activity.code}: {self.get_rule_display()}"


class StatusSnapshot(BaseModel):
    """The program's earned value at one status date, kept as it was computed.

    ``metrics`` holds the program row and the component rows of
    :func:`podium.finance.evm.program_evm` (plain JSON, see there) with the budget and
    schedule baseline used. A snapshot is never changed or deleted: later progress,
    actuals or budget changes do not rewrite what was reported for a period.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="status_snapshots")
    name = models.CharField(max_length=120)
    status_date = models.DateField()
    metrics = models.JSONField()

    class Meta:
        ordering = ["program", "status_date", "id"]
        indexes = [models.Index(fields=["program", "status_date"])]

    def __str__(self) -> str:
        return f"status snapshot {self.name} ({self.status_date:%Y-%m-%d})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("status snapshots cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError("status snapshots cannot be deleted")
