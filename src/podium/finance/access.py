"""Who may see cost data and change the budget, on top of :mod:`podium.programs.permissions`.

Reads: a program the user may not see answers 404 (like a missing one); a program the
user sees without the cost permission answers 403 — cost figures never leave the server
for them. Writes: the program manager (baselines, change request decisions, cost
accounts); the program or a component's manager (actual costs and change request
proposals for that component's cost accounts).
"""

from __future__ import annotations

from typing import Any

from podium.programs.models import Program
from podium.programs.permissions import can_see_costs, get_program, require

__all__ = ["COST_DENIED", "costed_program", "require_costs"]

COST_DENIED = "You may not see this program's budget and costs."


def require_costs(user: Any, program: Program) -> None:
    require(can_see_costs(user, program), COST_DENIED)


def costed_program(user: Any, code: str) -> Program:
    """The program ``code`` if ``user`` may see its costs (404 if hidden, 403 if the
    user sees the program but not its costs)."""
    program = get_program(user, code)
    require_costs(user, program)
    return program
