"""The stakeholder register of a program and its engagement plan.

A :class:`Stakeholder` is a person or a group with power (influence) and interest on a
1–5 scale, and a current and desired engagement level (PMI's stakeholder engagement
assessment matrix: unaware < resistant < neutral < supportive < leading). ``user`` links
a person to their portal account (a member of the program); people without an account
keep an ``email``. :class:`EngagementPlanItem` says what is communicated, how, how often
and by whom.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from podium.core.models import BaseModel
from podium.programs.models import Program

__all__ = [
    "ENGAGEMENT_ORDER",
    "Engagement",
    "EngagementPlanItem",
    "Frequency",
    "Stakeholder",
    "StakeholderKind",
]


class StakeholderKind(models.TextChoices):
    PERSON = "person", "Person"
    GROUP = "group", "Group"


class Engagement(models.TextChoices):
    """Engagement levels, in order from least to most engaged."""

    UNAWARE = "unaware", "Unaware"
    RESISTANT = "resistant", "Resistant"
    NEUTRAL = "neutral", "Neutral"
    SUPPORTIVE = "supportive", "Supportive"
    LEADING = "leading", "Leading"


ENGAGEMENT_ORDER: dict[str, int] = {level.value: i for i, level in enumerate(Engagement)}


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    AD_HOC = "ad_hoc", "Ad hoc"


_SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class Stakeholder(BaseModel):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="stakeholders")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="stakeholder_entries", help_text="the person's portal account",
    )  # fmt: skip
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=10, choices=StakeholderKind.choices, default=StakeholderKind.PERSON
    )
    organization = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=200, blank=True)
    group = models.CharField(
        max_length=100, blank=True, help_text="stakeholder group for monitoring, e.g. Clinicians"
    )
    email = models.EmailField(blank=True, help_text="for people without an account")
    power = models.PositiveSmallIntegerField(default=3, validators=_SCALE)
    interest = models.PositiveSmallIntegerField(default=3, validators=_SCALE)
    current_engagement = models.CharField(
        max_length=12, choices=Engagement.choices, default=Engagement.NEUTRAL
    )
    desired_engagement = models.CharField(
        max_length=12, choices=Engagement.choices, default=Engagement.SUPPORTIVE
    )
    channel = models.CharField(max_length=100, blank=True, help_text="preferred channel")
    communication_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["program", "name", "id"]
        indexes = [models.Index(fields=["program", "group"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(power__gte=1, power__lte=5), name="stakeholder_power_1_5"
            ),
            models.CheckConstraint(
                condition=models.Q(interest__gte=1, interest__lte=5),
                name="stakeholder_interest_1_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def gap(self) -> int:
        """Desired minus current engagement, in levels (positive: must be raised)."""
        return ENGAGEMENT_ORDER[self.desired_engagement] - ENGAGEMENT_ORDER[self.current_engagement]


class EngagementPlanItem(BaseModel):
    """One planned communication with a stakeholder: what, how, how often, who."""

    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="plan_items"
    )
    what = models.CharField(max_length=300)
    how = models.CharField(max_length=100, blank=True, help_text="channel")
    frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_due = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["stakeholder", "next_due", "id"]

    def __str__(self) -> str:
        return self.what
