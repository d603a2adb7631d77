"""Who may see and change a program's stakeholder register.

- Members of the program read it, **except** those whose only role there is
  stakeholder: the register holds the team's assessment of them (power, interest,
  engagement gaps), so for them it does not exist (404, like a missing object).
- The program manager and administrators change it. Component managers, team members
  and viewers read only (403 on a change).
"""

from __future__ import annotations

from typing import Any

from podium.core.errors import NotFound
from podium.programs.models import Program, Role
from podium.programs.permissions import can_change_program, get_program, roles_in

__all__ = ["can_change_register", "can_read_register", "register_program"]


def can_read_register(user: Any, program: Program) -> bool:
    return bool(roles_in(user, program) - {Role.STAKEHOLDER})


def can_change_register(user: Any, program: Program) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and can_change_program(user, program)


def register_program(user: Any, code: str) -> Program:
    """The program ``code`` if ``user`` may read its register; NotFound otherwise."""
    program = get_program(user, code)
    if not can_read_register(user, program):
        raise NotFound(f"No program {code!r}.")
    return program
