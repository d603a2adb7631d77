"""Stakeholder feedback and what became of it.

Lifecycle of a feedback item::

    new → acknowledged → planned → implemented → verified → closed
     │          │           ▲          │
     │          │           └─ not fixed ┘   (the submitter says it is not fixed)
     └──────────┴───────────┴──→ declined     (reason required)

``planned`` needs at least one linked :class:`FeedbackAction` or a risk. ``verified`` is
given by the submitter, or by the program manager after the submitter did not answer
for ten working days (noted on the step). Every step is one service call
(:mod:`podium.feedback.services`) that dates the step on the item, writes a
:class:`FeedbackEvent` and an audit record.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from podium.core.models import BaseModel, ImmutableError
from podium.programs.models import Component, Program

__all__ = [
    "ActionStatus",
    "Category",
    "FeedbackAction",
    "FeedbackAttachment",
    "FeedbackEvent",
    "FeedbackItem",
    "FeedbackState",
    "PublishedReport",
    "ServiceTarget",
]


class FeedbackState(models.TextChoices):
    NEW = "new", "New"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    PLANNED = "planned", "Planned"
    IMPLEMENTED = "implemented", "Implemented"
    VERIFIED = "verified", "Verified"
    CLOSED = "closed", "Closed"
    DECLINED = "declined", "Declined"


OPEN_STATES = (
    FeedbackState.NEW,
    FeedbackState.ACKNOWLEDGED,
    FeedbackState.PLANNED,
    FeedbackState.IMPLEMENTED,
    FeedbackState.VERIFIED,
)


class Category(models.TextChoices):
    SCHEDULE = "schedule", "Schedule"
    COST = "cost", "Cost"
    QUALITY = "quality", "Quality"
    COMMUNICATION = "communication", "Communication"
    BENEFITS = "benefits", "Benefits"
    OTHER = "other", "Other"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class FeedbackAction(BaseModel):
    """Something the program does about one or more feedback items."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="feedback_actions")
    component = models.ForeignKey(
        Component, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback_actions"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["program", "due_date", "id"]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return self.title


class FeedbackItem(BaseModel):
    """One piece of feedback from a stakeholder about a program or part of it."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="feedback_items")
    component = models.ForeignKey(
        Component, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback_items"
    )
    deliverable = models.ForeignKey(
        "delivery.Deliverable", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="feedback_items",
    )  # fmt: skip
    change_request = models.ForeignKey(
        "changes.ChangeRequest", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="feedback_items",
    )  # fmt: skip
    benefit = models.ForeignKey(
        "benefits.Benefit", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="feedback_items",
    )  # fmt: skip
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="feedback_items",
    )  # fmt: skip
    anonymous = models.BooleanField(default=False)
    stakeholder = models.ForeignKey(
        "stakeholders.Stakeholder", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="feedback_items",
    )  # fmt: skip
    group = models.CharField(max_length=100, blank=True, help_text="stakeholder group then")
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.OTHER)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField()
    state = models.CharField(
        max_length=16, choices=FeedbackState.choices, default=FeedbackState.NEW
    )
    declined_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    planned_at = models.DateTimeField(null=True, blank=True)
    implemented_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    actions = models.ManyToManyField(FeedbackAction, blank=True, related_name="items")
    risk = models.ForeignKey(
        "risks.Risk", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="feedback_items",
    )  # fmt: skip

    class Meta:
        ordering = ["program", "-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["program", "state"]),
            models.Index(fields=["submitted_by", "program"]),
        ]

    def __str__(self) -> str:
        return f"FB-{self.pk}"

    @property
    def reference(self) -> str:
        return f"FB-{self.pk}"

    @property
    def summary(self) -> str:
        first = self.text.strip().splitlines()[0] if self.text.strip() else ""
        return first if len(first) <= 80 else first[:77] + "…"


class FeedbackEvent(models.Model):
    """One dated step of a feedback item; written once, never changed."""

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_state = models.CharField(max_length=16, choices=FeedbackState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=FeedbackState.choices)
    action = models.CharField(max_length=20)  # "submit", "acknowledge", "plan", …
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["item", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.item}: {self.from_state or '—'} → {self.to_state}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("the steps of a feedback item cannot be changed")
        super().save(*args, **kwargs)


def attachment_path(instance: FeedbackAttachment, filename: str) -> str:
    return f"feedback/{instance.item.program_id}/{instance.item_id}/{filename}"


class FeedbackAttachment(BaseModel):
    """A file given with a feedback item (size and type checked by the service)."""

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.name


class ServiceTarget(BaseModel):
    """How fast a program answers feedback, in working days (Monday to Friday), and
    whether it accepts anonymous feedback."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="feedback_target"
    )
    acknowledge_days = models.PositiveSmallIntegerField(default=5)
    close_days = models.PositiveSmallIntegerField(default=30)
    allow_anonymous = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"service target of {self.program}"


class PublishedReport(BaseModel):
    """A "you said, we did" report for a period, visible to the program's stakeholders."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="feedback_reports")
    period_start = models.DateField()
    period_end = models.DateField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["program", "-period_end", "-id"]

    def __str__(self) -> str:
        return f"you said, we did {self.period_start}–{self.period_end}"
