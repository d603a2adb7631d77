"""Weekly timesheets: the hours a person worked on their assigned activities and the
progress they report, one timesheet per (person, component, ISO week).

A timesheet moves draft → submitted → approved, or submitted → rejected → (edited)
submitted again. Approving it books the hours as actual costs and the progress into the
schedule (see :mod:`podium.work.services`); what was booked stays linked here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from podium.core.models import BaseModel
from podium.programs.models import Component, Program
from podium.resources.models import Resource
from podium.schedule.models import Activity

__all__ = ["ProgressReport", "TimeEntry", "Timesheet"]


class Timesheet(BaseModel):
    """One person's week on one component: hours per activity and day, and progress."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timesheets"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="timesheets")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="timesheets")
    week = models.DateField(help_text="the Monday of the ISO week")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="why it was rejected")
    # Why approval booked no cost for some hours (no cost account, no standard rate).
    cost_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-week", "user__username", "component__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "component", "week"], name="timesheet_unique_week"
            ),
        ]
        indexes = [models.Index(fields=["program", "status", "-week"])]

    def __str__(self) -> str:
        return f"timesheet {self.component.code} week {self.week:%G-W%V} of {self.user}"

    @property
    def editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.REJECTED}


class TimeEntry(models.Model):
    """Hours worked on one activity on one day (as the resource linked to the person)."""

    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="entries")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    # The actual cost approval booked (None: not approved yet, or no cost booked).
    actual_cost = models.ForeignKey(
        "finance.ActualCost", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["timesheet", "activity__order", "activity_id", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["timesheet", "activity", "date"], name="time_entry_unique_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours} h on {self.activity_id} {self.date:%Y-%m-%d}"


class ProgressReport(models.Model):
    """Progress of one activity as reported in a timesheet, with what the schedule said
    when it was reported (``before``, and the activity's version then)."""

    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="progress")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    actual_start = models.DateField(null=True, blank=True)
    actual_finish = models.DateField(null=True, blank=True)
    percent_complete = models.FloatField(null=True, blank=True)
    remaining_days = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    before = models.JSONField(default=dict, blank=True)
    activity_version = models.PositiveIntegerField()

    class Meta:
        ordering = ["timesheet", "activity__order", "activity_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["timesheet", "activity"], name="progress_report_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"progress of {self.activity_id} in timesheet {self.timesheet_id}"
