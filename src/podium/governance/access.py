"""Who may see and do what in governance, on top of :mod:`podium.programs.permissions`.

- Governance (gates, reviews, decisions, the board) is read by the program's members
  except stakeholders, and by every board member whatever their role (a sponsor who
  chairs the board is often a stakeholder). Everyone else gets 404.
- The program manager (and an administrator) manages the board, opens and cancels gate
  reviews, attaches and checks evidence and fills in component authorizations; a
  component's manager does the same for the gates of their own component except the
  authorization gate.
- Board members check evidence and give recommendations.
- The chair decides; when the board has no chair, the program manager (or an
  administrator) decides. A correction is decided by the same people.
"""

from __future__ import annotations

from typing import Any

from podium.core.errors import NotFound
from podium.governance.models import BoardMember, BoardRole
from podium.programs.models import Component, ComponentStatus, Program, Role
from podium.programs.permissions import can_change_program, roles_in

__all__ = [
    "can_check_evidence",
    "can_decide",
    "can_manage_board",
    "can_prepare",
    "can_recommend",
    "can_see",
    "is_board_member",
    "require_visible",
]


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_board_member(user: Any, program: Program) -> bool:
    if not _authenticated(user):
        return False
    cache: dict[int, bool] = user.__dict__.setdefault("_podium_board", {})
    if program.pk not in cache:
        cache[program.pk] = BoardMember.objects.filter(program=program, user=user).exists()
    return cache[program.pk]


def forget_board(user: Any) -> None:
    user.__dict__.pop("_podium_board", None)


def can_see(user: Any, program: Program) -> bool:
    roles = roles_in(user, program)
    if not roles:
        return False
    if roles - {Role.STAKEHOLDER}:
        return True
    return is_board_member(user, program)


def require_visible(user: Any, program: Program) -> None:
    """404 for whoever may not see the program's governance (like a missing program)."""
    if not can_see(user, program):
        raise NotFound(f"No program {program.code!r}.")


def can_manage_board(user: Any, program: Program) -> bool:
    return can_change_program(user, program)


def can_prepare(user: Any, program: Program, component: Component | None = None) -> bool:
    """Open or cancel a review, attach evidence, fill in an authorization."""
    if can_change_program(user, program):
        return True
    if component is None or component.manager_id is None or component.manager_id != user.pk:
        return False
    return component.status != ComponentStatus.PROPOSED


def can_check_evidence(user: Any, program: Program) -> bool:
    return can_change_program(user, program) or is_board_member(user, program)


def can_recommend(user: Any, program: Program) -> bool:
    return is_board_member(user, program)


def has_chair(program: Program) -> bool:
    return BoardMember.objects.filter(program=program, role=BoardRole.CHAIR).exists()


def can_decide(user: Any, program: Program) -> bool:
    if not _authenticated(user):
        return False
    if has_chair(program):
        return BoardMember.objects.filter(program=program, user=user, role=BoardRole.CHAIR).exists()
    return can_change_program(user, program)
