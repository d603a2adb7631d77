"""In-app notifications and each user's e-mail preference per category.

A :class:`Notification` is always shown in the recipient's list; whether (and when) it
is also e-mailed follows the recipient's :class:`NotificationPreference` for its
category: ``immediately`` (the default when no row exists), ``daily`` (one digest a day,
see :func:`podium.notifications.services.send_digests`) or ``off``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from podium.programs.models import Program

__all__ = ["Category", "Mode", "Notification", "NotificationPreference"]


class Category(models.TextChoices):
    FEEDBACK = "feedback", "Feedback"
    MENTIONS = "mentions", "Mentions"
    ASSIGNMENTS = "assignments", "Assignments"
    APPROVALS = "approvals", "Awaiting your approval"
    OVERDUE = "overdue", "Overdue items"
    GOVERNANCE = "governance", "Governance decisions"
    UPDATES = "updates", "Other updates"


class Mode(models.TextChoices):
    IMMEDIATELY = "immediately", "E-mail immediately"
    DAILY = "daily", "Daily digest"
    OFF = "off", "No e-mail (in-app only)"


class Notification(models.Model):
    """One message for one user; read in the app, possibly also e-mailed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.UPDATES)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """How one user wants one category e-mailed. No row means ``immediately``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.IMMEDIATELY)

    class Meta:
        ordering = ["user", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="notification_preference_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.category} {self.mode}"
