"""Who may read and file component status updates, on top of
:mod:`podium.programs.permissions`.

- **Filing** (create, edit a draft, submit): the component's manager, the program
  manager and administrators (:func:`can_file`).
- **Reopening** a submitted update for correction: the program manager and
  administrators (:func:`can_reopen`).
- **Reading**: every member of the program reads its *submitted* updates — team
  members, viewers and stakeholders included — but only readers who may see costs
  (:func:`~podium.programs.permissions.can_see_costs`) see the cost dimension and the
  cost figures. Drafts are read by those who may file them. Updates of other programs
  answer 404 like missing ones.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from podium.programs.models import Component, Program
from podium.programs.permissions import can_change_program, can_see_costs
from podium.updates.models import ComponentUpdate, UpdateStatus

__all__ = ["can_file", "can_reopen", "can_see_costs", "fileable_components", "readable"]


def _authed(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def can_file(user: Any, component: Component) -> bool:
    if not _authed(user):
        return False
    if component.manager_id is not None and component.manager_id == user.pk:
        return True
    return can_change_program(user, component.program)


def can_reopen(user: Any, update: ComponentUpdate) -> bool:
    return _authed(user) and can_change_program(user, update.program)


def fileable_components(user: Any, program: Program) -> QuerySet[Component]:
    """The components of ``program`` ``user`` files updates for."""
    qs = program.components.select_related("manager").order_by("code")
    if not _authed(user):
        return qs.none()
    if can_change_program(user, program):
        return qs
    return qs.filter(manager=user)


def readable(user: Any, program: Program) -> QuerySet[ComponentUpdate]:
    """The updates of ``program`` ``user`` may read (the caller already checked that
    ``user`` sees the program): submitted ones, and drafts of what they may file."""
    qs = ComponentUpdate.objects.filter(program=program)
    if can_change_program(user, program):
        return qs
    return qs.filter(Q(status=UpdateStatus.SUBMITTED) | Q(component__manager=user))
