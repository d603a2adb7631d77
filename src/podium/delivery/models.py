"""Deliverables (products and services of a component), their acceptance, and the
transition of a component's outputs to operations.

Lifecycle of a deliverable::

    planned → in production → delivered → accepted → transitioned
                    ▲              │
                    └── rejected ──┘   (reason required; back to production)

Every step is one service call (:mod:`podium.delivery.services`) that dates the step on
the deliverable, writes a :class:`DeliverableEvent` (the history the page shows) and an
audit record. Only the named accepting stakeholder accepts or rejects.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from podium.core.models import BaseModel, ImmutableError
from podium.programs.models import Component, Program
from podium.schedule.models import Activity

__all__ = [
    "Deliverable",
    "DeliverableEvent",
    "DeliverableKind",
    "DeliverableStatus",
    "Evidence",
    "TransitionItem",
    "TransitionPlan",
]


class DeliverableKind(models.TextChoices):
    PRODUCT = "product", "Product"
    SERVICE = "service", "Service"


class DeliverableStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PRODUCTION = "in_production", "In production"
    DELIVERED = "delivered", "Delivered"
    ACCEPTED = "accepted", "Accepted"
    TRANSITIONED = "transitioned", "Transitioned to operations"


class Deliverable(BaseModel):
    """A product or service a component produces, accepted by one named stakeholder."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="deliverables")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="deliverables")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=10, choices=DeliverableKind.choices, default=DeliverableKind.PRODUCT
    )
    description = models.TextField(blank=True)
    acceptance_criteria = models.TextField(blank=True)
    milestone = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliverables",
        help_text="the schedule milestone that delivers it",
    )  # fmt: skip
    accepting_stakeholder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="deliverables_to_accept",
    )  # fmt: skip
    status = models.CharField(
        max_length=16, choices=DeliverableStatus.choices, default=DeliverableStatus.PLANNED
    )
    in_production_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    transitioned_at = models.DateTimeField(null=True, blank=True)
    acceptance_comment = models.TextField(blank=True)
    rejection_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="deliverable_code_unique"),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DeliverableEvent(models.Model):
    """One dated step of a deliverable's lifecycle; written once, never changed."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=16, choices=DeliverableStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=DeliverableStatus.choices)
    action = models.CharField(max_length=20)  # "start", "deliver", "accept", "reject", …
    comment = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    # When the step happened: now, or the date an import or the demo gives.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["deliverable", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.deliverable.code}: {self.from_status or '—'} → {self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("the steps of a deliverable cannot be changed")
        super().save(*args, **kwargs)


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"delivery/{instance.deliverable.program_id}/{instance.deliverable_id}/{filename}"


class Evidence(BaseModel):
    """A file (stored under the data directory) or a link that shows a deliverable meets
    its criteria. Exactly one of ``file`` and ``url`` is set."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=evidence_path, max_length=300, blank=True)
    url = models.URLField(max_length=500, blank=True)
    size = models.PositiveIntegerField(default=0)  # bytes; 0 for a link
    content_type = models.CharField(max_length=100, blank=True)
    event = models.ForeignKey(
        DeliverableEvent, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="evidence", help_text="the acceptance step it was given with",
    )  # fmt: skip

    class Meta:
        ordering = ["deliverable", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="evidence_file_xor_url",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TransitionPlan(BaseModel):
    """How a component's outputs are handed to operations: who receives them, when, and
    how long the component supports them afterwards."""

    component = models.OneToOneField(
        Component, on_delete=models.CASCADE, related_name="transition_plan"
    )
    receiving_organization = models.CharField(max_length=200, blank=True)
    receiving_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    receiving_owner_name = models.CharField(
        max_length=200, blank=True, help_text="when the owner has no account"
    )
    handover_date = models.DateField(null=True, blank=True)
    support_until = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"transition plan of {self.component.code}"

    @property
    def owner_display(self) -> str:
        if self.receiving_owner_id is not None and self.receiving_owner is not None:
            return str(self.receiving_owner)
        return self.receiving_owner_name


class TransitionItem(BaseModel):
    """One checklist item of a transition plan."""

    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    done = models.BooleanField(default=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.text
