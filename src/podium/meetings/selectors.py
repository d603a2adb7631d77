"""Reads of meetings, narrowed to what the user may see (:mod:`podium.meetings.access`).

A meeting the user may not see answers 404 exactly like a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from podium.core.errors import NotFound
from podium.governance import access as governance_access
from podium.meetings import access
from podium.meetings.links import link_view
from podium.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Meeting,
    MeetingAttendee,
    MeetingDecision,
)
from podium.programs.models import Program
from podium.programs.permissions import get_program, roles_in, visible_programs

__all__ = [
    "action_list",
    "decorate",
    "get_action_for",
    "get_agenda_item_for",
    "get_attendee_for",
    "get_meeting",
    "get_meeting_for",
    "live_actions",
    "meeting_list",
    "meetings_program",
    "my_actions",
    "visible_meetings",
]

_LINKS = (
    "presenter",
    "risk__program",
    "issue__program",
    "change_request__program",
    "gate_review__program",
    "gate_review__component",
    "feedback_item__program",
    "carried_from__meeting",
)


def meetings_program(user: Any, code: str) -> Program:
    """The program, if ``user`` may see any of its meetings (members; else 404)."""
    program = get_program(user, code)
    if not roles_in(user, program):
        raise NotFound(f"No program {code!r}.")
    return program


def visible_meetings(user: Any, program: Program | None = None) -> QuerySet[Meeting]:
    """Meetings ``user`` may see: every meeting of programs where they are more than a
    stakeholder; elsewhere those they are invited to or own an action of."""
    programs = visible_programs(user)
    if program is not None:
        programs = programs.filter(pk=program.pk)
    qs = Meeting.objects.filter(program__in=programs)
    if program is not None:
        if access.can_see_all(user, program):
            return qs.select_related("program", "organizer")
        return qs.filter(_invited(user)).distinct().select_related("program", "organizer")
    if getattr(user, "is_administrator", False):
        return qs.select_related("program", "organizer")
    full = [p.pk for p in programs if access.can_see_all(user, p)]
    return (
        qs.filter(Q(program_id__in=full) | _invited(user))
        .distinct()
        .select_related("program", "organizer")
    )


def _invited(user: Any) -> Q:
    return Q(attendees__user=user) | Q(actions__owner=user) | Q(organizer=user)


def meeting_list(
    user: Any, program: Program, *, kind: str = "", status: str = "", now: dt.datetime | None = None
) -> QuerySet[Meeting]:
    """Upcoming meetings first (soonest first), then past ones (latest first)."""
    now = now or timezone.now()
    qs = visible_meetings(user, program)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    upcoming = Q(starts_at__gte=now) & ~Q(status="held")
    return qs.annotate(
        past=Case(When(upcoming, then=Value(0)), default=Value(1), output_field=IntegerField()),
        upcoming_at=Case(When(upcoming, then=F("starts_at")), default=None),
        past_at=Case(When(upcoming, then=None), default=F("starts_at")),
    ).order_by(
        "past", F("upcoming_at").asc(nulls_last=True), F("past_at").desc(nulls_last=True), "-pk"
    )


def get_meeting(program: Program, pk: int, user: Any) -> Meeting:
    """The meeting with its agenda, attendees, decisions and actions (404 when ``user``
    may not see it)."""
    meeting = (
        visible_meetings(user, program)
        .select_related("previous", "next_meeting")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related(*_LINKS)),
            Prefetch("attendees", queryset=MeetingAttendee.objects.select_related("user")),
            Prefetch(
                "decisions",
                queryset=MeetingDecision.objects.select_related(
                    "decision", "decision__decided_by", "agenda_item"
                ),
            ),
            Prefetch(
                "actions",
                queryset=ActionItem.objects.select_related(
                    "owner", "carried_from__meeting", "carried_to__meeting"
                ).order_by("status", "due_date", "id"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise NotFound(f"No meeting {pk}.")
    return meeting


def get_meeting_for(user: Any, pk: int) -> Meeting:
    found = visible_meetings(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No meeting {pk}.")
    return get_meeting(found.program, pk, user)


def _child(qs: QuerySet[Any], user: Any, pk: int, label: str) -> Any:
    obj = qs.filter(meeting__in=visible_meetings(user), pk=pk).first()
    if obj is None:
        raise NotFound(f"No {label} {pk}.")
    return obj


def get_agenda_item_for(user: Any, pk: int) -> AgendaItem:
    qs = AgendaItem.objects.select_related("meeting", "meeting__program", *_LINKS)
    item: AgendaItem = _child(qs, user, pk, "agenda item")
    return item


def get_attendee_for(user: Any, pk: int) -> MeetingAttendee:
    qs = MeetingAttendee.objects.select_related("meeting", "meeting__program", "user")
    attendee: MeetingAttendee = _child(qs, user, pk, "attendee")
    return attendee


def get_action_for(user: Any, pk: int) -> ActionItem:
    qs = ActionItem.objects.select_related("meeting", "meeting__program", "owner")
    action: ActionItem = _child(qs, user, pk, "action item")
    return action


def live_actions() -> QuerySet[ActionItem]:
    """Actions not carried over to a later meeting (the current copy of each action)."""
    return ActionItem.objects.filter(carried_to__isnull=True)


def my_actions(user: Any, program: Program) -> QuerySet[ActionItem]:
    """``user``'s open actions in ``program``, soonest due first."""
    return (
        live_actions()
        .filter(meeting__program=program, owner=user, status=ActionStatus.OPEN)
        .select_related("meeting", "meeting__program", "owner")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )


def action_list(
    user: Any, program: Program, *, status: str = "", owner: int | None = None
) -> QuerySet[ActionItem]:
    qs = (
        live_actions()
        .filter(meeting__in=visible_meetings(user, program))
        .select_related("meeting", "meeting__program", "owner")
    )
    if status:
        qs = qs.filter(status=status)
    if owner is not None:
        qs = qs.filter(owner_id=owner)
    return qs.order_by(F("due_date").asc(nulls_last=True), "id")


def decorate(user: Any, meeting: Meeting) -> Meeting:
    """Set each agenda item's link and each decision's URL as ``user`` may see them."""
    for item in meeting.agenda_items.all():
        item.link = link_view(user, item)  # type: ignore[attr-defined]
    readable = governance_access.can_see(user, meeting.program)
    for row in meeting.decisions.all():
        row.url = (  # type: ignore[attr-defined]
            reverse("governance:decision", args=[meeting.program.code, row.decision.number])
            if readable
            else ""
        )
    return meeting
