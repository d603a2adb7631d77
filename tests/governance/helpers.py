"""Moving programs and components through their gates in tests, the way a board does:
open the next gate review, attach and check evidence for its manual criteria, decide go.

Other apps' tests that only need a program in planning (or further) call :func:`advance`
instead of ``transition_program``, which the gate rule refuses on its own.
"""

from __future__ import annotations

from typing import Any, TypeVar

from podium.governance import services
from podium.governance.models import CriterionKind
from podium.programs.models import Component, Program

S = TypeVar("S", Program, Component)


def advance(actor: Any, subject: S, rationale: str = "Approved by the board.") -> S:
    """Pass ``subject``'s next gate (its automatic criteria must be green) and return it
    reloaded in its new stage/status."""
    program = subject.program if isinstance(subject, Component) else subject
    kind = "component" if isinstance(subject, Component) else "program"
    gate = services.next_gate(subject)
    assert gate is not None, f"{subject.code} has no gate ahead"
    manual = [
        c.key for c in services.criteria_of(program, kind, *gate) if c.kind == CriterionKind.MANUAL
    ]
    services.pass_gate(
        actor=actor, subject=subject, rationale=rationale,
        evidence={key: "Minutes of the board meeting, item 3." for key in manual},
    )  # fmt: skip
    return type(subject).objects.get(pk=subject.pk)
