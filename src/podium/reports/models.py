"""Who receives the weekly status report by e-mail, and the secret calendar feeds.

A :class:`ReportSubscription` says a member wants the weekly report of a program in their
mailbox (one row per program and user; unsubscribing sets ``active`` to False so the
choice is kept in the audit trail). A :class:`CalendarFeed` holds the secret token of a
user's iCal feed of a program's milestones and gates; regenerating the URL replaces the
token, so the old URL stops working at once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from podium.core.models import BaseModel
from podium.programs.models import Program

__all__ = ["CalendarFeed", "ReportSubscription"]


class ReportSubscription(BaseModel):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="report_subscriptions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions"
    )
    active = models.BooleanField(default=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="report_subscription_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ← {self.program.code} weekly report"


class CalendarFeed(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="calendar_feeds")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="calendar_feed_once")
        ]

    def __str__(self) -> str:
        return f"{self.program.code} calendar of {self.user}"
