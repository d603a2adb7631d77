"""Who may do what with change requests, on top of :mod:`podium.programs.permissions`.

- Members of the program read its change requests, except stakeholders: a change
  request is the program's internal business until it is decided (a stakeholder, like a
  non-member, gets 404). Cost figures of an impact (BAC, EAC, cost lines' amounts) are
  shown only to those who may see costs
  (:func:`~podium.programs.permissions.can_see_costs`).
- The program manager, an administrator and component managers raise change requests,
  edit their lines while they are drafts (their own, or any for the program manager),
  submit and withdraw them. Team members and viewers only read (403 on writes).
- **Only the program manager or an administrator decides** (approves or rejects): a
  decision is recorded in the governance decision log.
"""

from __future__ import annotations

from typing import Any

from podium.changes.models import ChangeRequest
from podium.programs.models import Program, Role
from podium.programs.permissions import can_change_program, can_see_costs, roles_in

__all__ = [
    "READER_ROLES",
    "can_decide",
    "can_edit",
    "can_raise",
    "can_read",
    "can_see_cost",
]

READER_ROLES = frozenset(
    {"admin", Role.PROGRAM_MANAGER, Role.COMPONENT_MANAGER, Role.TEAM_MEMBER, Role.VIEWER}
)


def can_read(user: Any, program: Program) -> bool:
    return bool(roles_in(user, program) & READER_ROLES)


def can_raise(user: Any, program: Program) -> bool:
    """Create change requests in ``program``."""
    return bool(roles_in(user, program) & {"admin", Role.PROGRAM_MANAGER, Role.COMPONENT_MANAGER})


def can_edit(user: Any, cr: ChangeRequest) -> bool:
    """Change the request's text and lines, submit it, withdraw it."""
    if not can_raise(user, cr.program):
        return False
    return can_change_program(user, cr.program) or cr.requested_by_id == user.pk


def can_decide(user: Any, program: Program) -> bool:
    return can_change_program(user, program)


def can_see_cost(user: Any, program: Program) -> bool:
    return can_see_costs(user, program)
