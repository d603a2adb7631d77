"""Governance: gate templates and reviews, board members, immutable decisions, component
authorizations.

A decision is written once and never changed: a correction is a new decision that points
at the earlier one with ``corrects``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from podium.core.errors import TransitionRefused
from podium.core.models import BaseModel
from podium.programs.models import Component, Program

__all__ = [
    "BoardMember",
    "BoardRole",
    "ComponentAuthorization",
    "CriterionEvidence",
    "CriterionKind",
    "Decision",
    "DecisionKind",
    "DecisionOutcome",
    "GateCondition",
    "GateCriterion",
    "GateReview",
    "GateTemplate",
    "ImmutableRecord",
    "Recommendation",
    "ReviewStatus",
    "SubjectKind",
]


class ImmutableRecord(TransitionRefused):
    """A recorded decision cannot be edited or deleted (answers 409)."""


class DecisionKind(models.TextChoices):
    GATE = "gate", "Gate"
    CHANGE_REQUEST = "change_request", "Change request"
    AUTHORIZATION = "authorization", "Component authorization"
    OTHER = "other", "Other"


class DecisionOutcome(models.TextChoices):
    GO = "go", "Go"
    GO_WITH_CONDITIONS = "go_with_conditions", "Go with conditions"
    HOLD = "hold", "Hold"
    NO_GO = "no_go", "No-go"
    TERMINATE = "terminate", "Terminate"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Decision(models.Model):
    """One decision of the program's board, numbered per program. Immutable."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=DecisionKind.choices)
    subject_label = models.CharField(max_length=200, blank=True)
    subject_type = models.CharField(max_length=64, blank=True)  # "programs.component"
    subject_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices)
    rationale = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )

    class Meta:
        ordering = ["program", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="decision_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Decision #{self.number}: {self.get_outcome_display()} — {self.subject_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableRecord(
                f"Decision #{self.number} is recorded and cannot be changed; "
                "record a correcting decision instead."
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableRecord(
            f"Decision #{self.number} is recorded and cannot be deleted; "
            "record a correcting decision instead."
        )

    @property
    def corrected_by(self) -> Decision | None:
        """The latest decision that corrects this one (None when it stands)."""
        return self.corrections.order_by("-number").first()


# -- board ----------------------------------------------------------------------------


class BoardRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    MEMBER = "member", "Member"


class BoardMember(BaseModel):
    """A member of the program's governance board (reviews gates, recommends; the chair
    decides). The program manager manages the board."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="board_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=8, choices=BoardRole.choices, default=BoardRole.MEMBER)

    class Meta:
        ordering = ["program", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="board_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


# -- gate templates -------------------------------------------------------------------


class SubjectKind(models.TextChoices):
    PROGRAM = "program", "Program"
    COMPONENT = "component", "Component"


class CriterionKind(models.TextChoices):
    AUTOMATIC = "automatic", "Automatic"
    MANUAL = "manual", "Manual (evidence checked by a reviewer)"


class GateTemplate(BaseModel):
    """The program's gate criteria (created with the defaults on first use)."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="gate_template")

    def __str__(self) -> str:
        return f"Gate template of {self.program.code}"


class GateCriterion(BaseModel):
    """One criterion of one gate (subject kind + from → to) of a program's template."""

    template = models.ForeignKey(GateTemplate, on_delete=models.CASCADE, related_name="criteria")
    subject_kind = models.CharField(max_length=10, choices=SubjectKind.choices)
    from_state = models.CharField(max_length=16)
    to_state = models.CharField(max_length=16)
    key = models.SlugField(max_length=60)
    label = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=CriterionKind.choices)
    evaluator = models.CharField(max_length=60, blank=True)  # automatic: registry key
    guidance = models.TextField(blank=True)  # manual: what evidence is expected
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "subject_kind", "from_state", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "subject_kind", "from_state", "to_state", "key"],
                name="gate_criterion_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.label


# -- gate reviews ---------------------------------------------------------------------


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Open"
    DECIDED = "decided", "Decided"
    CANCELLED = "cancelled", "Cancelled"


class GateReview(BaseModel):
    """The board's review of one gate of the program or of one component."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="gate_reviews")
    component = models.ForeignKey(
        Component, null=True, blank=True, on_delete=models.CASCADE, related_name="gate_reviews"
    )
    from_state = models.CharField(max_length=16)
    to_state = models.CharField(max_length=16)
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="gate_reviews"
    )
    # Each criterion as it stood when the decision was taken:
    # [{"key", "label", "kind", "passed", "evidence", "url"}]
    evaluation = models.JSONField(default=list, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)  # the transition it allowed

    class Meta:
        ordering = ["program", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject_label}: {self.from_state} → {self.to_state}"

    @property
    def subject_kind(self) -> str:
        return SubjectKind.COMPONENT if self.component_id else SubjectKind.PROGRAM

    @property
    def subject_label(self) -> str:
        return self.component.code if self.component is not None else self.program.code


class CriterionEvidence(BaseModel):
    """Evidence for a manual criterion of a review; counts once a reviewer checked it."""

    review = models.ForeignKey(GateReview, on_delete=models.CASCADE, related_name="evidence")
    criterion_key = models.SlugField(max_length=60)
    text = models.TextField(blank=True)
    file = models.FileField(upload_to="gate-evidence/%Y/%m/", blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "criterion_key", "id"]

    def __str__(self) -> str:
        return f"Evidence for {self.criterion_key}"


class Recommendation(BaseModel):
    """A board member's recommendation on a review (one per reviewer, replaced on change)."""

    review = models.ForeignKey(GateReview, on_delete=models.CASCADE, related_name="recommendations")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "reviewer"], name="recommendation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.get_outcome_display()}"


class ConditionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class GateCondition(BaseModel):
    """A condition of a go-with-conditions decision, tracked as an action."""

    review = models.ForeignKey(GateReview, on_delete=models.CASCADE, related_name="conditions")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="gate_conditions")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=ConditionStatus.choices, default=ConditionStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["program", "status", "due_date", "id"]

    def __str__(self) -> str:
        return self.title


# -- component authorization ----------------------------------------------------------


class ComponentAuthorization(BaseModel):
    """What the board authorizes a component on: business case, expected benefits,
    initial budget and schedule. ``decision`` is set by the go decision."""

    component = models.OneToOneField(
        Component, on_delete=models.CASCADE, related_name="authorization"
    )
    business_case = models.TextField(blank=True)
    expected_benefits = models.ManyToManyField("benefits.Benefit", blank=True, related_name="+")
    initial_budget = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    planned_start = models.DateField(null=True, blank=True)
    planned_finish = models.DateField(null=True, blank=True)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Authorization of {self.component.code}"
