"""Risk register, issue register and the uncertainty inputs of a program's schedule.

Units
-----
- ``Risk.duration_*``: working **hours** (what people say in a risk workshop); the
  simulation inputs convert them to minutes.
- ``ActivityEstimate``: working **minutes**, like ``Activity.duration_minutes``.
- ``RiskCostImpact``: currency units of the program. It is a separate model so that the
  money never appears in a risk's own audit records: only users who may see costs see
  it (``risks.riskcostimpact`` is registered as a cost audit type).

Distributions (see :mod:`podium.engine.montecarlo`): triangular and PERT-beta take
low ≤ mode ≤ high; uniform takes low ≤ high (mode is ignored and kept equal to low);
lognormal takes mode = the median and high = the 90th percentile (low is a floor that
is only shown, kept ≤ mode).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from podium.core.models import BaseModel
from podium.programs.models import Component, Program
from podium.schedule.models import Activity

__all__ = [
    "ActionStatus",
    "ActivityEstimate",
    "DistributionKind",
    "DurationCorrelation",
    "Issue",
    "IssuePriority",
    "IssueStatus",
    "Level",
    "Risk",
    "RiskAction",
    "RiskCostImpact",
    "RiskKind",
    "RiskStatus",
    "Strategy",
]


class DistributionKind(models.TextChoices):
    TRIANGULAR = "triangular", "Triangular"
    PERT = "pert", "PERT-beta"
    UNIFORM = "uniform", "Uniform"
    LOGNORMAL = "lognormal", "Lognormal"


class RiskKind(models.TextChoices):
    THREAT = "threat", "Threat"
    OPPORTUNITY = "opportunity", "Opportunity"


class Strategy(models.TextChoices):
    """Response strategies (PMI): the first four for threats, the next three for
    opportunities; accept and escalate for both."""

    AVOID = "avoid", "Avoid"
    MITIGATE = "mitigate", "Mitigate"
    TRANSFER = "transfer", "Transfer"
    EXPLOIT = "exploit", "Exploit"
    ENHANCE = "enhance", "Enhance"
    SHARE = "share", "Share"
    ACCEPT = "accept", "Accept"
    ESCALATE = "escalate", "Escalate"


THREAT_STRATEGIES = frozenset({"avoid", "mitigate", "transfer", "accept", "escalate"})
OPPORTUNITY_STRATEGIES = frozenset({"exploit", "enhance", "share", "accept", "escalate"})


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    OCCURRED = "occurred", "Occurred (now an issue)"


class Level(models.TextChoices):
    """Where a risk or issue is managed: by its component, or by the program."""

    COMPONENT = "component", "Component"
    PROGRAM = "program", "Program"


class Risk(BaseModel):
    """A threat or opportunity: cause → event → effect, with an owner, a probability,
    impact scores for the matrix and, for the forecast, a duration impact on linked
    activities (and a cost impact, kept in :class:`RiskCostImpact`)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="risks")
    component = models.ForeignKey(
        Component, null=True, blank=True, on_delete=models.CASCADE, related_name="risks",
        help_text="empty: a program-level risk",
    )  # fmt: skip
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=RiskKind.choices, default=RiskKind.THREAT)
    cause = models.TextField(blank=True)
    event = models.TextField(blank=True)
    effect = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    probability = models.FloatField(
        default=0.5, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    schedule_score = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    cost_score = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    duration_kind = models.CharField(
        max_length=12, choices=DistributionKind.choices, blank=True,
        help_text="empty: no duration impact",
    )  # fmt: skip
    duration_low = models.FloatField(null=True, blank=True)
    duration_mode = models.FloatField(null=True, blank=True)
    duration_high = models.FloatField(null=True, blank=True)
    activities = models.ManyToManyField(Activity, blank=True, related_name="risks")
    strategy = models.CharField(max_length=12, choices=Strategy.choices, default=Strategy.ACCEPT)
    response = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    level = models.CharField(max_length=12, choices=Level.choices, default=Level.COMPONENT)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="risk_code_unique"),
            models.CheckConstraint(
                condition=Q(probability__gte=0) & Q(probability__lte=1),
                name="risk_probability_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def escalated(self) -> bool:
        return self.escalated_at is not None

    @property
    def probability_score(self) -> int:
        """The probability on the matrix's 1–5 scale: ≤10 % → 1, ≤30 % → 2, ≤50 % → 3,
        ≤70 % → 4, above → 5."""
        for score, bound in ((1, 0.1), (2, 0.3), (3, 0.5), (4, 0.7)):
            if self.probability <= bound:
                return score
        return 5

    @property
    def impact_score(self) -> int:
        """The matrix's impact: the worse of the schedule and cost scores."""
        return max(self.schedule_score, self.cost_score)


class RiskCostImpact(BaseModel):
    """What a risk costs (threat) or saves (opportunity) if it happens, in the program's
    currency. Cost data: only users who may see costs read it."""

    risk = models.OneToOneField(Risk, on_delete=models.CASCADE, related_name="cost_impact")
    kind = models.CharField(
        max_length=12, choices=DistributionKind.choices, default=DistributionKind.TRIANGULAR
    )
    low = models.DecimalField(max_digits=14, decimal_places=2)
    mode = models.DecimalField(max_digits=14, decimal_places=2)
    high = models.DecimalField(max_digits=14, decimal_places=2)

    def __str__(self) -> str:
        return f"cost impact of {self.risk.code}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class RiskAction(BaseModel):
    """One response action of a risk."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )

    class Meta:
        ordering = ["risk", "due_date", "id"]

    def __str__(self) -> str:
        return f"action on {self.risk.code}: {self.description[:80]}"


class IssuePriority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class IssueStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class Issue(BaseModel):
    """Something that is happening now and needs action: a risk that occurred, or any
    other problem."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="issues")
    component = models.ForeignKey(
        Component, null=True, blank=True, on_delete=models.CASCADE, related_name="issues"
    )
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    priority = models.CharField(
        max_length=10, choices=IssuePriority.choices, default=IssuePriority.MEDIUM
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    resolution = models.TextField(blank=True)
    source_risk = models.OneToOneField(
        Risk, null=True, blank=True, on_delete=models.SET_NULL, related_name="issue"
    )
    level = models.CharField(max_length=12, choices=Level.choices, default=Level.COMPONENT)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="issue_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def escalated(self) -> bool:
        return self.escalated_at is not None


class ActivityEstimate(BaseModel):
    """Three-point estimate of one activity's duration, in working minutes.

    Lognormal: ``most_likely`` is the median and ``pessimistic`` the 90th percentile."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="activity_estimates"
    )
    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="estimate")
    kind = models.CharField(
        max_length=12, choices=DistributionKind.choices, default=DistributionKind.TRIANGULAR
    )
    optimistic = models.PositiveIntegerField()
    most_likely = models.PositiveIntegerField()
    pessimistic = models.PositiveIntegerField()

    class Meta:
        ordering = ["program", "activity__component__code", "activity__order", "id"]

    def __str__(self) -> str:
        return f"estimate of {self.activity.name}"


class DurationCorrelation(BaseModel):
    """Rank correlation between the durations of two activities (Iman–Conover).
    Stored with ``activity_a.pk < activity_b.pk`` so a pair exists once."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="correlations")
    activity_a = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    activity_b = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    rho = models.FloatField(validators=[MinValueValidator(-1.0), MaxValueValidator(1.0)])

    class Meta:
        ordering = ["program", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity_a", "activity_b"], name="correlation_pair_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"correlation {self.activity_a.name} ~ {self.activity_b.name}"
