"""Reads of deliverables and transition plans.

Callers pass a program the user may see (:func:`podium.programs.permissions.get_program`);
:func:`get_deliverable_for` narrows by
:func:`~podium.programs.permissions.visible_programs` itself, so a deliverable of a
program the user does not belong to answers 404 exactly like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet

from podium.core.errors import NotFound
from podium.delivery.models import (
    Deliverable,
    DeliverableEvent,
    DeliverableStatus,
    Evidence,
    TransitionItem,
    TransitionPlan,
)
from podium.programs.models import Component, Program
from podium.programs.permissions import visible_programs
from podium.schedule.wall import to_wall

__all__ = [
    "BOARD_CAP",
    "Board",
    "BoardColumn",
    "assigned_to",
    "board",
    "deliverable_dates",
    "deliverable_list",
    "events_of",
    "evidence_of",
    "get_deliverable",
    "get_deliverable_for",
    "get_evidence_for",
    "get_item_for",
    "transition_plan",
]

# The board shows at most this many cards per column (with the total); the list and
# the API page through everything.
BOARD_CAP = 60

_RELATED = ("program", "component", "milestone", "accepting_stakeholder")


def deliverable_dates(program: Program) -> dict[int, datetime | None]:
    """Deliverable pk → the scheduled (forecast) finish of its milestone as wall-clock
    time (see :mod:`podium.schedule.wall`); None when it has no milestone or the
    schedule has not been computed. One query."""
    rows = Deliverable.objects.filter(program=program).values_list("pk", "milestone__finish")
    return {pk: to_wall(finish) for pk, finish in rows}


def deliverable_list(
    program: Program,
    *,
    component: int | None = None,
    status: str = "",
    stakeholder: int | None = None,
    text: str = "",
) -> QuerySet[Deliverable]:
    qs = Deliverable.objects.filter(program=program).select_related(*_RELATED)
    if component is not None:
        qs = qs.filter(component_id=component)
    if status:
        qs = qs.filter(status=status)
    if stakeholder is not None:
        qs = qs.filter(accepting_stakeholder_id=stakeholder)
    if text:
        qs = qs.filter(name__icontains=text) | qs.filter(code__icontains=text)
    return qs.order_by("code")


@dataclass
class BoardColumn:
    status: str
    label: str
    cards: list[Deliverable] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.cards)


@dataclass
class Board:
    columns: list[BoardColumn]

    @property
    def total(self) -> int:
        return sum(c.total for c in self.columns)


def board(program: Program, *, component: int | None = None, cap: int = BOARD_CAP) -> Board:
    """The deliverables grouped by status in lifecycle order, at most ``cap`` cards per
    column (ordered by milestone date, then code). 1 + one query per column."""
    base = Deliverable.objects.filter(program=program)
    if component is not None:
        base = base.filter(component_id=component)
    totals = dict(base.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    columns = []
    for status in DeliverableStatus:
        column = BoardColumn(status.value, status.label, total=totals.get(status.value, 0))
        if column.total:
            column.cards = list(
                base.filter(status=status)
                .select_related(*_RELATED)
                .order_by("milestone__finish", "code")[:cap]
            )
        columns.append(column)
    return Board(columns)


def assigned_to(user: Any, *, open_only: bool = False) -> QuerySet[Deliverable]:
    """Deliverables ``user`` is the accepting stakeholder of, in programs they see;
    ``open_only``: those waiting for their decision (delivered)."""
    qs = Deliverable.objects.filter(
        accepting_stakeholder_id=getattr(user, "pk", None), program__in=visible_programs(user)
    ).select_related(*_RELATED)
    if open_only:
        qs = qs.filter(status=DeliverableStatus.DELIVERED)
    return qs.order_by("status", "program__code", "code")


def get_deliverable(program: Program, pk: int) -> Deliverable:
    found = Deliverable.objects.filter(program=program, pk=pk).select_related(*_RELATED).first()
    if found is None:
        raise NotFound(f"No deliverable {pk} in {program.code}.")
    return found


def get_deliverable_for(user: Any, pk: int) -> Deliverable:
    """The deliverable if ``user`` may see its program, else NotFound."""
    found = (
        Deliverable.objects.filter(pk=pk, program__in=visible_programs(user))
        .select_related(*_RELATED)
        .first()
    )
    if found is None:
        raise NotFound(f"No deliverable {pk}.")
    return found


def events_of(deliverable: Deliverable) -> QuerySet[DeliverableEvent]:
    """The dated steps, oldest first, with who made them and the evidence given."""
    return deliverable.events.select_related("actor").prefetch_related("evidence")


def evidence_of(deliverable: Deliverable) -> QuerySet[Evidence]:
    return deliverable.evidence.select_related("created_by")


def get_evidence_for(user: Any, pk: int) -> Evidence:
    found = (
        Evidence.objects.filter(pk=pk, deliverable__program__in=visible_programs(user))
        .select_related("deliverable__program", "deliverable__component")
        .first()
    )
    if found is None:
        raise NotFound(f"No evidence {pk}.")
    return found


def transition_plan(component: Component) -> TransitionPlan | None:
    return (
        TransitionPlan.objects.filter(component=component)
        .select_related("receiving_owner", "component__program")
        .prefetch_related("items__done_by")
        .first()
    )


def get_item_for(user: Any, pk: int) -> TransitionItem:
    found = (
        TransitionItem.objects.filter(pk=pk, plan__component__program__in=visible_programs(user))
        .select_related("plan__component__program", "plan__component__manager")
        .first()
    )
    if found is None:
        raise NotFound(f"No checklist item {pk}.")
    return found
