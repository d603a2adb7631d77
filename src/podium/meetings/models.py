"""Meetings of a program: board and coordination meetings with their attendees, agenda,
decisions (kept in the governance decision log) and action items.

An open agenda item or action item is carried over to the next meeting as a copy that
points at its origin (``carried_from``); the chain of copies is one item seen over
several meetings, and closing or completing any of them closes the whole chain.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models

from podium.core.models import BaseModel
from podium.programs.models import Program

__all__ = [
    "ActionItem",
    "ActionStatus",
    "AgendaItem",
    "ItemStatus",
    "Meeting",
    "MeetingAttendee",
    "MeetingDecision",
    "MeetingKind",
    "MeetingStatus",
]


class MeetingKind(models.TextChoices):
    BOARD = "board", "Board meeting"
    COORDINATION = "coordination", "Coordination meeting"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


# How far after a meeting the next one of its kind is planned by default.
NEXT_AFTER: dict[str, dt.timedelta] = {
    MeetingKind.BOARD: dt.timedelta(weeks=4),
    MeetingKind.COORDINATION: dt.timedelta(weeks=1),
}


class Meeting(BaseModel):
    """One meeting. ``sequence`` goes up whenever its time or place changes (iCalendar
    SEQUENCE, so calendars replace the earlier invitation)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=16, choices=MeetingKind.choices)
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    duration = models.PositiveIntegerField(default=60, help_text="minutes")
    location = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_meeting"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["program", "-starts_at", "-id"]
        indexes = [models.Index(fields=["program", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration)

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD


class MeetingAttendee(BaseModel):
    """An invited person: a program member (``user``) or someone without an account
    (``name`` and ``email``). ``attended`` is recorded when the meeting is held."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    required = models.BooleanField(default=True)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "-required", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="meeting_attendee_user_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return str(self.user)
        return self.name or self.email

    @property
    def mail(self) -> str:
        return (self.user.email if self.user is not None else self.email) or ""


class ItemStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class AgendaItem(BaseModel):
    """One item of a meeting's agenda, with its minutes (``notes``) and ``outcome``.

    It may link to one risk, issue, change request, gate review or feedback item of the
    same program (at most one of the link fields is set).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    risk = models.ForeignKey(
        "risks.Risk", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issue = models.ForeignKey(
        "risks.Issue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    change_request = models.ForeignKey(
        "changes.ChangeRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    gate_review = models.ForeignKey(
        "governance.GateReview", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    feedback_item = models.ForeignKey(
        "feedback.FeedbackItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    carried_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    carry_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class ActionItem(BaseModel):
    """An action agreed in a meeting: who does what by when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    carried_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    carry_count = models.PositiveSmallIntegerField(default=0)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "status", "due_date", "id"]

    def __str__(self) -> str:
        return self.title


class MeetingDecision(models.Model):
    """A decision of the governance decision log taken in a meeting (the decision's
    subject is the meeting)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    decision = models.OneToOneField(
        "governance.Decision", on_delete=models.CASCADE, related_name="meeting_link"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )

    class Meta:
        ordering = ["meeting", "decision__number"]

    def __str__(self) -> str:
        return f"{self.decision} in {self.meeting}"
