"""The resource pool (a program's own resources and the organisation's shared ones),
skills, and the assignments of activities to resources."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from podium.core.models import BaseModel
from podium.programs.models import Program
from podium.schedule.models import Activity, Calendar


class Skill(BaseModel):
    """What a resource can do ("Epic analyst", "Network engineering"). One list for the
    whole organisation; names are unique regardless of case."""

    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="skill_name_unique")]

    def __str__(self) -> str:
        return self.name


class Resource(BaseModel):
    """A person, a role (a team of interchangeable people) or a piece of equipment shared
    by the components of a program (``program`` set) or by every program of the
    organisation (``program`` empty: the organisation pool, managed by administrators).
    ``capacity`` is in units (1.0 = one full-time person or machine); ``availability``
    lists periods with another capacity, e.g.
    ``{"start": "2026-07-01", "end": "2026-08-31", "units": 2.0}``."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ROLE = "role", "Role / team"
        EQUIPMENT = "equipment", "Equipment"
        MATERIAL = "material", "Material"

    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="resources"
    )
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
    skills = models.ManyToManyField(Skill, blank=True, related_name="resources")
    # The person's account (kind "person" only): their assignments show on "My work".
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
        verbose_name="person's account",
    )

    class Meta:
        ordering = ["program", "code"]
        constraints = [
            # Codes are unique within a program, and among the organisation's resources
            # (a program resource may share a code with an organisation one).
            models.UniqueConstraint(fields=["program", "code"], name="resource_code_unique"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(program__isnull=True),
                name="resource_org_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_organisation(self) -> bool:
        return self.program_id is None


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
