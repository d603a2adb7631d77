"""Who may do what with lessons and sessions, on top of :mod:`podium.programs.permissions`.

- **Reading**: every member of a program (stakeholders and viewers included) reads its
  lessons and sessions; the register and search span every program the user may see
  (:func:`~podium.programs.permissions.visible_programs`). Lessons of other programs
  answer 404 like missing ones — a stakeholder sees their own program's lessons only.
- **Contributing** (record lessons, vote "useful"): program managers, component managers
  and team members of the program, and administrators.
- **Managing** (plan and hold sessions, accept lessons, change or remove anyone's
  lesson): the program manager, component managers of the program, administrators. A
  lesson's author may change their own lesson.
- **Applying** a lesson in program X: whoever manages X and may see the lesson.
"""

from __future__ import annotations

from typing import Any

from podium.lessons.models import Lesson, LessonSession
from podium.programs.models import Program, Role
from podium.programs.permissions import roles_in

__all__ = ["can_apply_in", "can_contribute", "can_edit", "can_manage", "can_vote"]

_MANAGERS = {"admin", Role.PROGRAM_MANAGER, Role.COMPONENT_MANAGER}
_CONTRIBUTORS = _MANAGERS | {Role.TEAM_MEMBER}


def _authed(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def can_manage(user: Any, program: Program) -> bool:
    return _authed(user) and bool(roles_in(user, program) & _MANAGERS)


def can_contribute(user: Any, program: Program) -> bool:
    return _authed(user) and bool(roles_in(user, program) & _CONTRIBUTORS)


def can_edit(user: Any, lesson: Lesson) -> bool:
    if can_manage(user, lesson.program):
        return True
    return (
        can_contribute(user, lesson.program)
        and lesson.created_by_id is not None
        and lesson.created_by_id == user.pk
    )


def can_vote(user: Any, lesson: Lesson) -> bool:
    """A contributor of the lesson's program; or, for a lesson of another program the user
    may see, a contributor of any program (stakeholders and viewers only read)."""
    if not _authed(user):
        return False
    if can_contribute(user, lesson.program):
        return True
    if getattr(user, "is_administrator", False):
        return True
    from podium.programs.models import Membership

    return Membership.objects.filter(
        user=user, role__in=[Role.PROGRAM_MANAGER, Role.COMPONENT_MANAGER, Role.TEAM_MEMBER]
    ).exists()


def can_apply_in(user: Any, program: Program) -> bool:
    return can_manage(user, program)


def can_hold(user: Any, session: LessonSession) -> bool:
    """Managers of the program and the session's facilitator."""
    if can_manage(user, session.program):
        return True
    return (
        _authed(user) and session.facilitator_id is not None and session.facilitator_id == user.pk
    )
