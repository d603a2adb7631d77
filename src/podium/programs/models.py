"""Programs, their goals, components and the people who take part (PMI program lifecycle)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from podium.core.models import BaseModel


class Stage(models.TextChoices):
    """Where a program stands. Definition has two sub-phases, formulation and planning."""

    FORMULATION = "formulation", "Formulation"
    PLANNING = "planning", "Planning"
    DELIVERY = "delivery", "Delivery"
    CLOSURE = "closure", "Closure"
    CLOSED = "closed", "Closed"


# Phase (PMI): definition = formulation + planning; then delivery, closure.
PHASE_OF_STAGE = {
    Stage.FORMULATION: "definition",
    Stage.PLANNING: "definition",
    Stage.DELIVERY: "delivery",
    Stage.CLOSURE: "closure",
    Stage.CLOSED: "closure",
}

code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9-]{1,19}$",
    "Use 2-20 capital letters, digits or dashes, starting with a letter (e.g. HDT-2027).",
)


class Program(BaseModel):
    code = models.CharField(max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    vision = models.TextField(blank=True)
    charter = models.TextField(blank=True)
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    currency = models.CharField(max_length=3, default="EUR")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.FORMULATION)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def phase(self) -> str:
        return PHASE_OF_STAGE[Stage(self.stage)]

    @property
    def sub_phase(self) -> str:
        return self.stage if self.phase == "definition" else ""


class Goal(BaseModel):
    """A strategic goal the program serves (benefits will trace to goals)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["program", "order", "id"]

    def __str__(self) -> str:
        return self.title


class ComponentKind(models.TextChoices):
    PROJECT = "project", "Project"
    SUBPROGRAM = "subprogram", "Subprogram"
    OPERATIONS = "operations", "Operations"


class ComponentStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AUTHORIZED = "authorized", "Authorized"
    IN_DELIVERY = "in_delivery", "In delivery"
    TRANSITIONING = "transitioning", "Transitioning"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


class Component(BaseModel):
    """A project, subprogram or operational activity managed as part of the program."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="components")
    code = models.CharField(max_length=20, validators=[code_validator])
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=16, choices=ComponentKind.choices, default=ComponentKind.PROJECT
    )
    description = models.TextField(blank=True)
    business_case = models.TextField(blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=ComponentStatus.choices, default=ComponentStatus.PROPOSED
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="component_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Role(models.TextChoices):
    PROGRAM_MANAGER = "program_manager", "Program manager"
    COMPONENT_MANAGER = "component_manager", "Component manager"
    TEAM_MEMBER = "team_member", "Team member"
    STAKEHOLDER = "stakeholder", "Stakeholder"
    VIEWER = "viewer", "Viewer"


class Membership(BaseModel):
    """A user's role in one program. Which components a component manager runs is
    ``Component.manager``."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=24, choices=Role.choices)

    class Meta:
        ordering = ["program", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} in {self.program.code}"
