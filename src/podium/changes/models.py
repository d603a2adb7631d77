"""Change requests: a proposed change to the program's plan, its impact computed by
Podium before anyone decides, and a decision that applies it atomically.

Lifecycle::

    draft → submitted → approved            (the change is applied)
              │    └──→ rejected            (reason required)
              └───────→ withdrawn           (by the requester or a manager; also from draft)

A request is made of typed lines (:class:`ChangeLine`): a new duration for an activity,
a link added or removed, a cost delta on a cost account, a deliverable descoped. The
impact (:mod:`podium.changes.impact`) is a what-if reschedule of the plan with the lines
applied, in memory, stored on the request as a snapshot with the plan fingerprint it was
computed from, so a stale impact is recognised and recomputed before approval.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from podium.core.models import BaseModel
from podium.programs.models import Component, Program

__all__ = ["ChangeLine", "ChangeRequest", "CostLine", "LineKind", "State"]


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class LineKind(models.TextChoices):
    DURATION = "duration", "Change duration"
    ADD_LINK = "add_link", "Add link"
    REMOVE_LINK = "remove_link", "Remove link"
    COST = "cost", "Cost change"
    DESCOPE_DELIVERABLE = "descope_deliverable", "Descope deliverable"


class ChangeRequest(BaseModel):
    """What is asked (``description``), why (``justification``), who asks, which
    components it touches, and where it stands."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="change_requests")
    number = models.PositiveIntegerField()  # per program, 1..n; shown as CR-001
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    justification = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="change_requests",
    )  # fmt: skip
    components = models.ManyToManyField(Component, blank=True, related_name="change_requests")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    decision = models.ForeignKey(
        "governance.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejection_reason = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The last computed impact (see podium.changes.impact.Impact.to_json) and the plan
    # fingerprint it was computed from.
    impact = models.JSONField(null=True, blank=True)
    impact_computed_at = models.DateTimeField(null=True, blank=True)
    impact_fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["program", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="change_request_number")
        ]
        indexes = [models.Index(fields=["program", "state"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"CR-{self.number:03d}"

    @property
    def is_open(self) -> bool:
        return self.state in {State.DRAFT, State.SUBMITTED}


class ChangeLine(BaseModel):
    """One typed change of a request. Which fields are used depends on ``kind``:

    - ``duration``: ``activity``, ``new_duration_days`` (working days);
    - ``add_link``: ``predecessor``, ``successor``, ``link_type``, ``lag_days``;
    - ``remove_link``: ``link`` (its ends are kept in ``predecessor``/``successor`` so
      the line still reads after the link is gone);
    - ``cost``: ``cost_account``, ``amount`` (a delta, may be negative), ``reason``;
    - ``descope_deliverable``: ``deliverable``, ``reason``.
    """

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.CASCADE, related_name="lines"
    )
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=LineKind.choices)
    activity = models.ForeignKey(
        "schedule.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    new_duration_days = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    old_duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    predecessor = models.ForeignKey(
        "schedule.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    successor = models.ForeignKey(
        "schedule.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    link_type = models.CharField(max_length=2, default="FS", blank=True)
    lag_days = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    link = models.ForeignKey(
        "schedule.Link", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cost_account = models.ForeignKey(
        "finance.CostAccount", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    deliverable = models.ForeignKey(
        "delivery.Deliverable", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["change_request", "order", "id"]

    def __str__(self) -> str:
        return f"{self.change_request.code} line {self.order}: {self.get_kind_display()}"


class CostLine(ChangeLine):
    """A cost line as the audit trail names it: its records carry amounts, so only
    users who may see costs find them in the program's history (registered as a cost
    type in :class:`~podium.changes.apps.ChangesConfig`)."""

    class Meta:
        proxy = True
