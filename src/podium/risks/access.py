"""Who may change risks, issues and uncertainty inputs, on top of
:mod:`podium.programs.permissions`.

- Everyone who sees the program reads both registers, the matrix, estimates and
  correlations. Cost impacts only for users who may see costs
  (:func:`~podium.programs.permissions.can_see_costs`).
- Team members (and managers) **raise** risks and issues anywhere in the program.
- The program manager changes everything; a component manager changes the risks,
  issues, actions and estimates of the components they manage, and correlations
  between two activities of their components. Program-level entries (no component)
  belong to the program manager.
- Cost impacts are set only by managers who may see costs.
"""

from __future__ import annotations

from typing import Any

from podium.programs.models import Component, Program, Role
from podium.programs.permissions import can_change_program, can_see_costs, roles_in

__all__ = ["can_manage", "can_raise", "can_set_cost"]

RAISERS = {"admin", Role.PROGRAM_MANAGER, Role.COMPONENT_MANAGER, Role.TEAM_MEMBER}


def can_raise(user: Any, program: Program) -> bool:
    return bool(roles_in(user, program) & RAISERS)


def can_manage(user: Any, program: Program, component: Component | None) -> bool:
    """Whether ``user`` changes entries of ``component`` (None: program level)."""
    if can_change_program(user, program):
        return True
    return (
        component is not None
        and component.manager_id is not None
        and (component.manager_id == getattr(user, "pk", None))
    )


def can_set_cost(user: Any, program: Program, component: Component | None) -> bool:
    return can_manage(user, program, component) and can_see_costs(user, program)
