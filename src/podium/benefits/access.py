"""Who may change benefits, on top of :mod:`podium.programs.permissions`.

- Every member of the program reads the register, the traceability and the forecast;
  the expected value (money) and the value at risk only users who may see costs.
- The program manager (or an administrator) creates, changes and deletes benefits and
  their realization profiles.
- The benefit's owner and its sustainment owner record measurements (and so does the
  program manager); removing a measurement is the program manager's.
"""

from __future__ import annotations

from typing import Any

from podium.benefits.models import Benefit
from podium.programs.models import Program
from podium.programs.permissions import can_change_program, can_see_costs

__all__ = ["can_manage", "can_measure", "can_see_value"]


def can_manage(user: Any, program: Program) -> bool:
    return can_change_program(user, program)


def can_measure(user: Any, benefit: Benefit) -> bool:
    if can_change_program(user, benefit.program):
        return True
    pk = getattr(user, "pk", None)
    return pk is not None and pk in (benefit.owner_id, benefit.sustainment_owner_id)


def can_see_value(user: Any, program: Program) -> bool:
    return can_see_costs(user, program)
