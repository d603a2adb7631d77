"""Lessons learned: the sessions a program holds after deliveries and at closure, and the
lessons register searched across programs.

A :class:`LessonSession` is planned (kind, facilitator, participants — members,
stakeholders from the register and people without an account — and an agenda prefilled
with the four questions) and then held (date and notes). A :class:`Lesson` belongs to
its source program (and optionally a component and the session that produced it); its
adoption moves ``proposed → accepted → applied``, "applied" naming the programs that
applied it (``applied_in``). :class:`LessonVote` is one user's "useful".

Search (:mod:`podium.lessons.search`) reads a full-text index kept by the database
(an FTS5 table with triggers on SQLite, an expression over the columns on PostgreSQL)
and, when the optional embedding model is installed, ``embedding``: the lesson's
semantic vector (float32 bytes) computed by the services on every save.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from podium.core.models import BaseModel
from podium.programs.models import Component, Program

__all__ = [
    "AGENDA_TEMPLATE",
    "Adoption",
    "Category",
    "Impact",
    "Lesson",
    "LessonSession",
    "LessonVote",
    "PerformanceDomain",
    "Phase",
    "SessionKind",
    "SessionStatus",
]

AGENDA_TEMPLATE = (
    "1. What went well?\n"
    "2. What did not go well?\n"
    "3. Why did it happen (root causes)?\n"
    "4. What should we do differently next time?\n"
)


class SessionKind(models.TextChoices):
    DELIVERABLE = "deliverable", "After deliverable acceptance"
    COMPONENT_CLOSURE = "component_closure", "Component closure"
    PROGRAM_CLOSURE = "program_closure", "Program closure"
    PERIODIC = "periodic", "Periodic"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"


class Phase(models.TextChoices):
    DEFINITION = "definition", "Definition"
    DELIVERY = "delivery", "Delivery"
    CLOSURE = "closure", "Closure"


class PerformanceDomain(models.TextChoices):
    """PMI's program management performance domains."""

    STRATEGY = "strategy_alignment", "Strategy alignment"
    BENEFITS = "benefits_management", "Benefits management"
    STAKEHOLDERS = "stakeholder_engagement", "Stakeholder engagement"
    GOVERNANCE = "governance_framework", "Governance framework"
    COLLABORATION = "collaboration", "Collaboration"
    LIFE_CYCLE = "life_cycle_management", "Life cycle management"


class Category(models.TextChoices):
    SCHEDULE = "schedule", "Schedule"
    COST = "cost", "Cost"
    RESOURCES = "resources", "Resources"
    STAKEHOLDERS = "stakeholders", "Stakeholders"
    TECHNICAL = "technical", "Technical"
    SUPPLIERS = "suppliers", "Suppliers"
    QUALITY = "quality", "Quality"
    RISK = "risk", "Risk"
    GOVERNANCE = "governance", "Governance"
    OTHER = "other", "Other"


class Impact(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Adoption(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    APPLIED = "applied", "Applied"


class LessonSession(BaseModel):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="lesson_sessions")
    component = models.ForeignKey(
        Component, null=True, blank=True, on_delete=models.SET_NULL, related_name="lesson_sessions"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=SessionKind.choices)
    held_on = models.DateField(null=True, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="lesson_sessions"
    )
    stakeholders = models.ManyToManyField(
        "stakeholders.Stakeholder", blank=True, related_name="lesson_sessions"
    )
    external_participants = models.TextField(
        blank=True, help_text="people without an account, one per line"
    )
    agenda = models.TextField(blank=True, default=AGENDA_TEMPLATE)
    notes = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )

    class Meta:
        ordering = ["program", "-held_on", "-created_at", "-id"]
        indexes = [models.Index(fields=["program", "kind", "component"])]

    def __str__(self) -> str:
        return self.title


class Lesson(BaseModel):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="lessons")
    component = models.ForeignKey(
        Component, null=True, blank=True, on_delete=models.SET_NULL, related_name="lessons"
    )
    session = models.ForeignKey(
        LessonSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="lessons"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.DELIVERY)
    performance_domain = models.CharField(
        max_length=24, choices=PerformanceDomain.choices, default=PerformanceDomain.LIFE_CYCLE
    )
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.OTHER)
    root_cause = models.TextField(blank=True)
    recommendation = models.TextField(blank=True)
    impact = models.CharField(max_length=8, choices=Impact.choices, default=Impact.MEDIUM)
    tags = models.CharField(max_length=300, blank=True, help_text="comma-separated")
    adoption = models.CharField(max_length=10, choices=Adoption.choices, default=Adoption.PROPOSED)
    applied_in = models.ManyToManyField(Program, blank=True, related_name="applied_lessons")
    embedding = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["program", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["program", "category"]),
            models.Index(fields=["adoption"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class LessonVote(models.Model):
    """One user found one lesson useful (at most once)."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lesson", "user"], name="lesson_vote_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} finds {self.lesson} useful"
