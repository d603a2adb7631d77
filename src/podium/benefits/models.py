"""The benefits register: benefits with a KPI, a realization profile (targets by date),
measurements over time and a status computed from them; traceability goal → benefit →
deliverable → component.

Status rule (see :func:`podium.benefits.rules.status_for`)
-------------------------------------------------------------
The target at a measurement's date is the realization profile interpolated linearly
between the baseline (value, date) and the targets, constant after the last target.
The **shortfall** of the latest measurement is how far it falls behind that target, in
percent of the target: ``100 × (target − actual) / |target|`` when higher is better,
``100 × (actual − target) / |target|`` when lower is better (over- or
under-achievement gives a negative shortfall). A target of 0 is measured against
``|baseline|`` instead (and against 1 KPI unit when both are 0).

- shortfall ≤ ``at_risk_pct`` → on track;
- ``at_risk_pct`` < shortfall ≤ ``off_track_pct`` → at risk;
- shortfall > ``off_track_pct`` → off track;
- no measurement, or no target yet → not measured.

The status is stored (with ``status_changed_at``) by the services whenever a
measurement, the profile or the thresholds change; each change of status is an audit
record of its own ("status changed on track → at risk").
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from podium.core.models import BaseModel
from podium.delivery.models import Deliverable
from podium.programs.models import Component, Goal, Program

__all__ = [
    "Benefit",
    "BenefitCategory",
    "BenefitStatus",
    "BenefitValue",
    "Direction",
    "Measurement",
    "RealizationTarget",
]


class BenefitCategory(models.TextChoices):
    FINANCIAL = "financial", "Financial"
    OPERATIONAL = "operational", "Operational"
    STRATEGIC = "strategic", "Strategic"
    SOCIAL = "social", "Social"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class BenefitStatus(models.TextChoices):
    NOT_MEASURED = "not_measured", "Not measured"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"


class Benefit(BaseModel):
    """An improvement the program is to obtain, measured by one KPI.

    ``expected_value`` (program currency, optional) is money: only users who may see the
    program's costs see it (:func:`podium.programs.permissions.can_see_costs`)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="benefits")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.CharField(
        max_length=12, choices=BenefitCategory.choices, default=BenefitCategory.OPERATIONAL
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="benefits"
    )
    components = models.ManyToManyField(Component, blank=True, related_name="benefits")
    deliverables = models.ManyToManyField(Deliverable, blank=True, related_name="benefits")
    kpi = models.CharField("KPI", max_length=200)
    unit = models.CharField(max_length=40, blank=True)
    measurement_method = models.TextField(blank=True)
    baseline_value = models.FloatField()
    baseline_date = models.DateField()
    direction = models.CharField(max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    at_risk_pct = models.FloatField(
        "at risk above (% shortfall)", default=5.0, validators=[MinValueValidator(0.0)]
    )
    off_track_pct = models.FloatField(
        "off track above (% shortfall)", default=15.0, validators=[MinValueValidator(0.0)]
    )
    expected_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    sustainment_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="who keeps the benefit coming after the program closes",
    )  # fmt: skip
    status = models.CharField(
        max_length=12, choices=BenefitStatus.choices, default=BenefitStatus.NOT_MEASURED
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="benefit_code_unique"),
            models.CheckConstraint(
                condition=Q(at_risk_pct__lte=models.F("off_track_pct")),
                name="benefit_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BenefitValue(Benefit):
    """The same rows, seen as their expected value: the audit records of a change of
    ``expected_value`` are written on this proxy so they count as cost data."""

    class Meta:
        proxy = True


class RealizationTarget(BaseModel):
    """One point of a benefit's realization profile: the KPI value planned by a date."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="targets")
    date = models.DateField()
    value = models.FloatField()

    class Meta:
        ordering = ["benefit", "date"]
        constraints = [
            models.UniqueConstraint(fields=["benefit", "date"], name="target_date_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.benefit.code} target {self.value:g} by {self.date:%Y-%m-%d}"


class Measurement(BaseModel):
    """The KPI as measured on a date."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField()
    value = models.FloatField()
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["benefit", "date", "id"]

    def __str__(self) -> str:
        return f"{self.benefit.code} measured {self.value:g} on {self.date:%Y-%m-%d}"
