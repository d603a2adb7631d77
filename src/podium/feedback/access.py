"""Who may see and do what with feedback, on top of :mod:`podium.programs.permissions`.

- **Team side** — administrators and the program's program manager, component managers,
  team members and viewers see every feedback item of the program (the submitter of an
  anonymous item stays hidden from them all).
- **Stakeholders** (members whose only role in the program is stakeholder) see their
  own items and nothing else; another person's item answers 404 like a missing one.
- Every member submits feedback (stakeholders primarily).
- **Triage** (acknowledge, plan, implement, close, decline, link actions and risks): the
  program manager and administrators for every item, a component manager for the items
  about their component.
- **Verify** and **not fixed**: the submitter only; the program manager (or an
  administrator) may verify once the submitter has not answered for ten working days.
- **Actions**: the program manager and administrators; a component manager for the
  actions of their component; an action's owner may change its status.
"""

from __future__ import annotations

from typing import Any

from podium.feedback.models import FeedbackAction, FeedbackItem
from podium.programs.models import Program, Role
from podium.programs.permissions import can_change_program, roles_in

__all__ = [
    "TEAM_ROLES",
    "can_manage_actions",
    "can_see_submitter",
    "can_submit",
    "can_triage",
    "can_update_action",
    "is_submitter",
    "is_team_side",
]

TEAM_ROLES = frozenset(
    {"admin", Role.PROGRAM_MANAGER, Role.COMPONENT_MANAGER, Role.TEAM_MEMBER, Role.VIEWER}
)


def _authed(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_team_side(user: Any, program: Program) -> bool:
    """Sees every item of ``program`` (stakeholders see only their own)."""
    return _authed(user) and bool(roles_in(user, program) & TEAM_ROLES)


def can_submit(user: Any, program: Program) -> bool:
    return _authed(user) and bool(roles_in(user, program))


def is_submitter(user: Any, item: FeedbackItem) -> bool:
    return _authed(user) and item.submitted_by_id is not None and item.submitted_by_id == user.pk


def can_triage(user: Any, item: FeedbackItem) -> bool:
    if not _authed(user):
        return False
    if can_change_program(user, item.program):
        return True
    component = item.component
    return component is not None and component.manager_id == user.pk


def can_manage_actions(user: Any, program: Program, component: Any = None) -> bool:
    if not _authed(user):
        return False
    if can_change_program(user, program):
        return True
    return component is not None and component.manager_id == user.pk


def can_update_action(user: Any, action: FeedbackAction) -> bool:
    """Change any field (managers) — the owner only changes the status (see services)."""
    return can_manage_actions(user, action.program, action.component)


def can_see_submitter(user: Any, item: FeedbackItem) -> bool:
    """Who submitted it: hidden on anonymous items from everyone but the submitter."""
    if is_submitter(user, item):
        return True
    return not item.anonymous
