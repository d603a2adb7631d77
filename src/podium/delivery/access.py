"""Who may do what with deliverables and transition plans, on top of
:mod:`podium.programs.permissions`.

- Every member of the program reads its deliverables, their history and evidence, and
  its transition plans (everyone else gets 404, like a missing object).
- The program manager (and an administrator) and the manager of the deliverable's
  component create and change deliverables, move them through production and delivery,
  hand accepted ones over to operations, and keep the component's transition plan.
- **Only the named accepting stakeholder accepts or rejects a deliverable.** Nobody
  accepts on someone else's behalf — not the program manager, not an administrator:
  acceptance is the stakeholder's own statement that the output meets its criteria, so
  a manager who needs it done names a different accepting stakeholder (a change that is
  audited) rather than signing in their place.
- Evidence is added by the managers above and by the accepting stakeholder (with their
  decision or on its own).
"""

from __future__ import annotations

from typing import Any

from podium.delivery.models import Deliverable
from podium.programs.models import Component
from podium.programs.permissions import can_change_component

__all__ = ["can_add_evidence", "can_decide", "can_manage"]


def can_manage(user: Any, component: Component) -> bool:
    """Create, change and move deliverables of ``component``; keep its transition plan."""
    return bool(getattr(user, "is_authenticated", False)) and can_change_component(user, component)


def can_decide(user: Any, deliverable: Deliverable) -> bool:
    """Accept or reject: the named accepting stakeholder and nobody else."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and deliverable.accepting_stakeholder_id is not None
        and deliverable.accepting_stakeholder_id == user.pk
    )


def can_add_evidence(user: Any, deliverable: Deliverable) -> bool:
    return can_decide(user, deliverable) or can_manage(user, deliverable.component)
