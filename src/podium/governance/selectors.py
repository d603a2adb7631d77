"""Reads of governance, narrowed by :mod:`podium.governance.access` (404 for whoever may
not see the program's governance)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from podium.core.errors import NotFound
from podium.governance import access
from podium.governance.models import (
    BoardMember,
    ComponentAuthorization,
    CriterionEvidence,
    Decision,
    GateCondition,
    GateReview,
    ReviewStatus,
)
from podium.governance.services import next_gate
from podium.programs.models import Component, Program
from podium.programs.permissions import get_program

__all__ = [
    "GateRow",
    "board",
    "conditions",
    "decision_list",
    "gates_overview",
    "get_decision",
    "get_evidence",
    "get_review",
    "governed_program",
    "review_list",
]


def governed_program(user: Any, code: str) -> Program:
    """The program, if ``user`` may see its governance (else 404)."""
    program = get_program(user, code)
    access.require_visible(user, program)
    return program


def _reviews(program: Program) -> QuerySet[GateReview]:
    return GateReview.objects.filter(program=program).select_related(
        "program", "component", "decision", "decision__decided_by", "opened_by"
    )


def get_review(program: Program, pk: int) -> GateReview:
    review = (
        _reviews(program)
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=CriterionEvidence.objects.select_related("added_by", "checked_by"),
            ),
            "recommendations__reviewer",
            "conditions__owner",
        )
        .filter(pk=pk)
        .first()
    )
    if review is None:
        raise NotFound(f"No gate review {pk}.")
    return review


def get_review_for(user: Any, pk: int) -> GateReview:
    review = GateReview.objects.select_related("program").filter(pk=pk).first()
    if review is None or not access.can_see(user, review.program):
        raise NotFound(f"No gate review {pk}.")
    return get_review(review.program, pk)


def review_list(
    program: Program, *, status: str = "", component: int | None = None
) -> QuerySet[GateReview]:
    qs = _reviews(program)
    if status:
        qs = qs.filter(status=status)
    if component is not None:
        qs = qs.filter(component_id=component)
    return qs


def get_evidence(program: Program, pk: int) -> CriterionEvidence:
    item = (
        CriterionEvidence.objects.select_related("review", "review__program", "review__component")
        .filter(review__program=program, pk=pk)
        .first()
    )
    if item is None:
        raise NotFound(f"No evidence {pk}.")
    return item


def decision_list(program: Program, *, kind: str = "", outcome: str = "") -> QuerySet[Decision]:
    qs = (
        Decision.objects.filter(program=program)
        .select_related("decided_by", "corrects")
        .prefetch_related("corrections")
        .order_by("-number")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if outcome:
        qs = qs.filter(outcome=outcome)
    return qs


def get_decision(program: Program, number: int) -> Decision:
    decision = decision_list(program).filter(number=number).first()
    if decision is None:
        raise NotFound(f"No decision #{number}.")
    return decision


def get_decision_for(user: Any, pk: int) -> Decision:
    decision = Decision.objects.select_related("program").filter(pk=pk).first()
    if decision is None or not access.can_see(user, decision.program):
        raise NotFound(f"No decision {pk}.")
    return decision_list(decision.program).get(pk=pk)


def board(program: Program) -> QuerySet[BoardMember]:
    return BoardMember.objects.filter(program=program).select_related("user")


def conditions(program: Program, *, open_only: bool = False) -> QuerySet[GateCondition]:
    qs = GateCondition.objects.filter(program=program).select_related("owner", "review")
    if open_only:
        qs = qs.filter(status="open")
    return qs


def authorization_of(component: Component) -> ComponentAuthorization | None:
    return (
        ComponentAuthorization.objects.filter(component=component)
        .prefetch_related("expected_benefits")
        .first()
    )


@dataclass
class GateRow:
    """One line of the gates overview: the subject, its next gate and its open review."""

    label: str
    component: Component | None
    state: str
    gate: tuple[str, str] | None
    review: GateReview | None
    last_decided: GateReview | None


def gates_overview(program: Program) -> list[GateRow]:
    """The program's next gate first, then each component's (in code order)."""
    reviews = list(_reviews(program).exclude(status=ReviewStatus.CANCELLED))
    open_by: dict[int | None, GateReview] = {}
    decided_by: dict[int | None, GateReview] = {}
    for review in reviews:  # newest first
        if review.status == ReviewStatus.OPEN:
            open_by.setdefault(review.component_id, review)
        else:
            decided_by.setdefault(review.component_id, review)
    rows = [
        GateRow(
            program.code,
            None,
            program.stage,
            next_gate(program),
            open_by.get(None),
            decided_by.get(None),
        )
    ]
    for comp in program.components.order_by("code"):
        rows.append(
            GateRow(
                comp.code,
                comp,
                comp.status,
                next_gate(comp),
                open_by.get(comp.pk),
                decided_by.get(comp.pk),
            )
        )
    return rows
