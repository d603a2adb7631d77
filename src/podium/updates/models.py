"""Component status updates: what each component manager reports once per reporting
period, and the reminders sent when one is missing.

A :class:`ComponentUpdate` belongs to one component and one **period** — an ISO week,
stored as its Monday. It carries an overall RAG and a RAG per :data:`DIMENSIONS` with a
short reason each (required when amber or red, and when the manager departs from the
colour Podium suggested), the narrative (accomplishments, next steps, blockers, help
needed from the program) and ``figures``: the snapshot of what Podium knew about the
component when the update was last saved or submitted
(:func:`podium.updates.figures.component_figures`).

Lifecycle: ``draft → submitted``. A submitted update is read-only; the program manager
may reopen it (``submitted → draft``, with a note in the audit trail) so its author
corrects and submits it again — ``revision`` counts the submissions.

:class:`UpdateReminder` records the one "overdue" notification a manager gets per
component and period (:func:`podium.updates.services.send_reminders`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from podium.core.models import BaseModel
from podium.programs.models import Component, Program

__all__ = [
    "DIMENSIONS",
    "ComponentUpdate",
    "Dimension",
    "Rag",
    "UpdateReminder",
    "UpdateStatus",
]


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class UpdateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Dimension(models.TextChoices):
    SCHEDULE = "schedule", "Schedule"
    COST = "cost", "Cost"
    SCOPE = "scope", "Scope"
    RISKS = "risks", "Risks"
    RESOURCES = "resources", "Resources"
    STAKEHOLDERS = "stakeholders", "Stakeholders"


DIMENSIONS: tuple[str, ...] = tuple(Dimension.values)


def _rag() -> models.CharField[str, str]:
    return models.CharField(max_length=5, choices=Rag.choices, blank=True)


def _reason() -> models.CharField[str, str]:
    return models.CharField(max_length=300, blank=True)


class ComponentUpdate(BaseModel):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="updates")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="updates")
    period = models.DateField(help_text="Monday of the ISO week reported on")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    status = models.CharField(
        max_length=10, choices=UpdateStatus.choices, default=UpdateStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    revision = models.PositiveSmallIntegerField(default=0, help_text="times submitted")

    overall_rag = _rag()
    overall_reason = _reason()
    schedule_rag = _rag()
    schedule_reason = _reason()
    cost_rag = _rag()
    cost_reason = _reason()
    scope_rag = _rag()
    scope_reason = _reason()
    risks_rag = _rag()
    risks_reason = _reason()
    resources_rag = _rag()
    resources_reason = _reason()
    stakeholders_rag = _rag()
    stakeholders_reason = _reason()

    accomplishments = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    blockers = models.TextField(blank=True)
    help_needed = models.TextField(blank=True, help_text="what the program should do")
    figures = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["component__code", "-period", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["component", "period"], name="component_update_one_per_period"
            ),
        ]
        indexes = [models.Index(fields=["program", "period", "status"])]

    def __str__(self) -> str:
        return f"{self.component.code} update {self.week_label}"

    @property
    def week_label(self) -> str:
        year, week, _ = self.period.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def week_end(self) -> dt.date:
        return self.period + dt.timedelta(days=6)

    @property
    def submitted(self) -> bool:
        return self.status == UpdateStatus.SUBMITTED

    def rag(self, dimension: str) -> str:
        """The colour of ``dimension`` ("overall" or one of :data:`DIMENSIONS`)."""
        return str(getattr(self, f"{dimension}_rag"))

    def reason(self, dimension: str) -> str:
        return str(getattr(self, f"{dimension}_reason"))


class UpdateReminder(models.Model):
    """One "update overdue" notification sent to ``user`` for ``component`` and
    ``period`` (at most one per component and period)."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    period = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["component", "period"], name="update_reminder_one_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.component_id} {self.period} to {self.user_id}"
