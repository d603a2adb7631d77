"""Calendars, activities, links and baselines of a program's components.

Dates of the schedule are wall-clock times of the calendars (as MS Project and P6 show
them). They are stored in ``DateTimeField`` columns as that wall time in UTC; use
:func:`podium.schedule.wall.to_wall` / :func:`to_db` to convert.
"""

from __future__ import annotations

from django.db import models

from podium.core.models import BaseModel
from podium.programs.models import Component, Program


class Calendar(BaseModel):
    """Working time: ``week`` is 7 lists (Monday first) of ``[start, end]`` minutes from
    midnight; ``exceptions`` are ``{"start": date, "end": date, "intervals": [...]}``
    (no intervals = non-working); ``yearly`` are ``{"month", "day", "intervals"}``."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="calendars")
    name = models.CharField(max_length=120)
    week = models.JSONField()
    exceptions = models.JSONField(default=list, blank=True)
    yearly = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["program", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="calendar_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ScheduleSettings(BaseModel):
    """A program's scheduling options and the summary of its last computation."""

    class Progress(models.TextChoices):
        RETAINED_LOGIC = "retained_logic", "Retained logic"
        PROGRESS_OVERRIDE = "progress_override", "Progress override"

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="schedule")
    default_calendar = models.ForeignKey(
        Calendar, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    project_start = models.DateTimeField(null=True, blank=True)
    data_date = models.DateTimeField(null=True, blank=True)
    progress = models.CharField(
        max_length=20, choices=Progress.choices, default=Progress.RETAINED_LOGIC
    )
    lag_calendar = models.CharField(max_length=12, default="predecessor")
    critical_float_minutes = models.IntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)
    finish = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"schedule of {self.program.code}"


class Activity(BaseModel):
    class Kind(models.TextChoices):
        TASK = "task", "Task"
        MILESTONE = "milestone", "Milestone"
        SUMMARY = "summary", "Summary"
        LOE = "loe", "Level of effort"

    class Constraint(models.TextChoices):
        ASAP = "ASAP", "As soon as possible"
        ALAP = "ALAP", "As late as possible"
        SNET = "SNET", "Start no earlier than"
        SNLT = "SNLT", "Start no later than"
        FNET = "FNET", "Finish no earlier than"
        FNLT = "FNLT", "Finish no later than"
        MSO = "MSO", "Must start on"
        MFO = "MFO", "Must finish on"
        MANDATORY_START = "MANDATORY_START", "Mandatory start"
        MANDATORY_FINISH = "MANDATORY_FINISH", "Mandatory finish"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="activities")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(max_length=60)  # the file's own id (UID, task_code, …)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TASK)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    wbs = models.CharField(max_length=60, blank=True)
    order = models.PositiveIntegerField(default=0)
    duration_minutes = models.PositiveIntegerField(default=0)
    elapsed = models.BooleanField(default=False)
    calendar = models.ForeignKey(
        Calendar, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    constraint_type = models.CharField(
        max_length=16, choices=Constraint.choices, default=Constraint.ASAP
    )
    constraint_date = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    actual_start = models.DateTimeField(null=True, blank=True)
    actual_finish = models.DateTimeField(null=True, blank=True)
    remaining_minutes = models.PositiveIntegerField(null=True, blank=True)
    percent_complete = models.FloatField(null=True, blank=True)
    # Gaps inside the work (MS Project split tasks): [[work_minutes, gap_minutes], ...],
    # see podium.engine.network.Activity.splits.
    splits = models.JSONField(default=list, blank=True)
    # Set by an accepted resource leveling: start no earlier than this (cleared by a new
    # leveling or by "clear leveling"); the activity's own constraint is kept apart.
    leveled_start = models.DateTimeField(null=True, blank=True)
    # Leveling priority (0-1000, as in MS Project): higher goes first when activities
    # compete for a resource.
    leveling_priority = models.PositiveSmallIntegerField(default=500)
    # Computed by the last schedule run:
    start = models.DateTimeField(null=True, blank=True)
    finish = models.DateTimeField(null=True, blank=True)
    early_start = models.DateTimeField(null=True, blank=True)
    early_finish = models.DateTimeField(null=True, blank=True)
    late_start = models.DateTimeField(null=True, blank=True)
    late_finish = models.DateTimeField(null=True, blank=True)
    total_float_minutes = models.IntegerField(null=True, blank=True)
    free_float_minutes = models.IntegerField(null=True, blank=True)
    critical = models.BooleanField(default=False)

    class Meta:
        ordering = ["component", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["component", "code"], name="activity_code_unique")
        ]
        indexes = [models.Index(fields=["program", "critical"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Link(BaseModel):
    class Type(models.TextChoices):
        FS = "FS", "Finish-to-start"
        SS = "SS", "Start-to-start"
        FF = "FF", "Finish-to-finish"
        SF = "SF", "Start-to-finish"

    class LagKind(models.TextChoices):
        WORK = "work", "Working time"
        ELAPSED = "elapsed", "Elapsed time"
        PERCENT = "percent", "Percent of predecessor"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="links")
    pred = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="successor_links")
    succ = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="predecessor_links")
    type = models.CharField(max_length=2, choices=Type.choices, default=Type.FS)
    lag_minutes = models.IntegerField(default=0)
    lag_kind = models.CharField(max_length=8, choices=LagKind.choices, default=LagKind.WORK)
    lag_percent = models.FloatField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pred", "succ"], name="link_unique")]

    def __str__(self) -> str:
        return f"{self.pred.code} → {self.succ.code} ({self.type})"

    @property
    def crosses_components(self) -> bool:
        return self.pred.component_id != self.succ.component_id


class Baseline(BaseModel):
    """A saved copy of the schedule's dates: of one component, or of the whole program."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="baselines")
    component = models.ForeignKey(
        Component, null=True, blank=True, on_delete=models.CASCADE, related_name="baselines"
    )
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class BaselineActivity(models.Model):
    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="entries")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField(null=True)
    finish = models.DateTimeField(null=True)
    duration_minutes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["baseline", "activity"], name="baseline_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.baseline}: {self.activity_id}"
