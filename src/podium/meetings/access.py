"""Who may see and do what with meetings, on top of :mod:`podium.programs.permissions`.

- The program's members except stakeholders see every meeting of the program; a
  stakeholder sees the meetings they are invited to (or own an action of). Everyone else
  gets 404.
- The program manager (and an administrator) plans board and coordination meetings; a
  component manager plans coordination meetings.
- The organizer and the program manager change a meeting, its agenda, attendees,
  minutes, decisions and actions. Once the meeting is held its content is locked except
  for the program manager (every change is audited).
- Decisions of a board meeting may also be recorded by whoever decides for the board
  (:func:`podium.governance.access.can_decide`).
- An action's owner marks it done (or open again).
"""

from __future__ import annotations

from typing import Any

from podium.governance import access as governance_access
from podium.meetings.models import ActionItem, Meeting, MeetingKind, MeetingStatus
from podium.programs.models import Program, Role
from podium.programs.permissions import can_change_program, roles_in

__all__ = [
    "can_change",
    "can_change_content",
    "can_plan",
    "can_record_decision",
    "can_see_all",
    "can_update_action",
    "is_organizer",
]


def _authed(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_see_all(user: Any, program: Program) -> bool:
    """Sees every meeting of ``program`` (stakeholders see only theirs)."""
    return _authed(user) and bool(roles_in(user, program) - {Role.STAKEHOLDER})


def can_plan(user: Any, program: Program, kind: str | None = None) -> bool:
    """Plan a meeting of ``kind`` (None: of any kind this user may plan)."""
    if not _authed(user):
        return False
    if can_change_program(user, program):
        return True
    manager = Role.COMPONENT_MANAGER in roles_in(user, program)
    return manager and kind in (None, MeetingKind.COORDINATION)


def is_organizer(user: Any, meeting: Meeting) -> bool:
    return _authed(user) and meeting.organizer_id is not None and meeting.organizer_id == user.pk


def can_change(user: Any, meeting: Meeting) -> bool:
    """Change the meeting at all (organizer or program manager)."""
    return is_organizer(user, meeting) or can_change_program(user, meeting.program)


def can_change_content(user: Any, meeting: Meeting) -> bool:
    """Change its time, place, agenda, attendees, minutes: the organizer until it is
    held, the program manager always."""
    if can_change_program(user, meeting.program):
        return True
    return is_organizer(user, meeting) and meeting.status != MeetingStatus.HELD


def can_record_decision(user: Any, meeting: Meeting) -> bool:
    if meeting.status == MeetingStatus.CANCELLED:
        return False
    if can_change_content(user, meeting):
        return True
    return meeting.kind == MeetingKind.BOARD and governance_access.can_decide(user, meeting.program)


def can_update_action(user: Any, action: ActionItem) -> bool:
    """Mark done or reopen: the owner, the organizer, the program manager."""
    if not _authed(user):
        return False
    if action.owner_id is not None and action.owner_id == user.pk:
        return True
    return can_change(user, action.meeting)
