"""The program's resource pool and the assignments of activities to it."""

from __future__ import annotations

from django.db import models

from podium.core.models import BaseModel
from podium.programs.models import Program
from podium.schedule.models import Activity, Calendar


class Resource(BaseModel):
    """A person, a role (a team of interchangeable people) or a piece of equipment shared
    by the components of a program. ``capacity`` is in units (1.0 = one full-time person
    or machine); ``availability`` lists periods with another capacity, e.g.
    ``{"start": "2026-07-01", "end": "2026-08-31", "units": 2.0}``."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ROLE = "role", "Role / team"
        EQUIPMENT = "equipment", "Equipment"
        MATERIAL = "material", "Material"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="resources")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ROLE)
    capacity = models.FloatField(default=1.0)
    calendar = models.ForeignKey(
        Calendar, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    availability = models.JSONField(default=list, blank=True)
    # Cost rates per working hour and per use, in the program's currency (cost data:
    # only program and component managers see them).
    standard_rate = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    overtime_rate = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    cost_per_use = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="resource_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Assignment(BaseModel):
    """``units`` of ``resource`` work on ``activity`` while it runs (1.0 = full time)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="assignments")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="assignments")
    units = models.FloatField(default=1.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "resource"], name="assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.resource.code} on {self.activity.code} ({self.units:g})"


class LevelingRun(BaseModel):
    """One resource-leveling proposal for a program: computed in the background, shown as
    before/after with the reason for every delay, then accepted (one audited change) or
    discarded."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        READY = "ready", "Ready to review"
        ACCEPTED = "accepted", "Accepted"
        DISCARDED = "discarded", "Discarded"
        FAILED = "failed", "Failed"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="leveling_runs")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    time_limit = models.FloatField(default=10)
    # What the program manager allowed: {"components": [codes that may move] or null for
    # all, "within_float": bool, "until": "YYYY-MM-DD" or null}.
    options = models.JSONField(default=dict, blank=True)
    # Summary: finish before/after (wall time), makespan, bound, solver status, seconds.
    summary = models.JSONField(default=dict, blank=True)
    # Per moved activity: id, code, name, component, start/finish before and after,
    # delay_hours, resources, blocking (who held it back).
    moves = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"leveling of {self.program.code} #{self.pk} ({self.status})"
