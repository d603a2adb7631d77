"""The governance board's agenda: everything that waits for the board of one program.

Four sections, each oldest first so nothing sits at the bottom for ever:

1. gate reviews that are open (a decision is due);
2. change requests submitted and awaiting a decision;
3. risks and issues escalated from a component to the program (still open);
4. conditions of earlier go-with-conditions decisions that are still open, overdue first.

An item carries over from one board meeting to the next simply by still being open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from podium.changes.selectors import pending_change_requests
from podium.governance.models import ConditionStatus, GateCondition, GateReview, ReviewStatus
from podium.programs.models import Program
from podium.risks.models import Issue, IssueStatus, Risk, RiskStatus

__all__ = ["Agenda", "AgendaItem", "board_agenda"]


@dataclass(frozen=True)
class AgendaItem:
    section: str
    title: str
    detail: str
    url: str
    since: dt.date | None
    overdue: bool = False


@dataclass
class Agenda:
    program: Program
    today: dt.date
    gates: list[AgendaItem] = field(default_factory=list)
    change_requests: list[AgendaItem] = field(default_factory=list)
    escalations: list[AgendaItem] = field(default_factory=list)
    conditions: list[AgendaItem] = field(default_factory=list)

    @property
    def sections(self) -> list[tuple[str, str, list[AgendaItem]]]:
        return [
            ("gates", "Gate decisions due", self.gates),
            ("change_requests", "Change requests awaiting decision", self.change_requests),
            ("escalations", "Escalated risks and issues", self.escalations),
            ("conditions", "Open conditions of earlier decisions", self.conditions),
        ]

    @property
    def count(self) -> int:
        return sum(len(items) for _key, _title, items in self.sections)


def _day(value: Any) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def board_agenda(program: Program, today: dt.date | None = None) -> Agenda:
    """What the board of ``program`` has to look at (the caller checked the user may see
    the program's governance pages)."""
    today = today or dt.date.today()
    agenda = Agenda(program=program, today=today)
    code = program.code

    reviews = (
        GateReview.objects.filter(program=program, status=ReviewStatus.OPEN)
        .select_related("component", "program")
        .order_by("created_at", "id")
    )
    for review in reviews:
        agenda.gates.append(
            AgendaItem(
                "gates",
                f"{review.subject_label}: {review.from_state} → {review.to_state}",
                "Gate review open; criteria are evaluated on the review page.",
                reverse("governance:review", args=[code, review.pk]),
                _day(review.created_at),
            )
        )

    for cr in pending_change_requests(program).order_by("created_at", "id"):
        agenda.change_requests.append(
            AgendaItem(
                "change_requests",
                f"{cr.code} {cr.title}",
                f"Requested by {cr.requested_by or 'unknown'}.",
                reverse("changes:detail", args=[code, cr.pk]),
                _day(cr.submitted_at or cr.created_at),
            )
        )

    risks = Risk.objects.filter(
        program=program, escalated_at__isnull=False, status=RiskStatus.OPEN
    ).order_by("escalated_at", "id")
    for risk in risks:
        agenda.escalations.append(
            AgendaItem(
                "escalations",
                f"Risk {risk.code} {risk.title}",
                risk.escalation_reason or "Escalated to the program.",
                reverse("risks:risk", args=[code, risk.pk]),
                _day(risk.escalated_at),
            )
        )
    issues = Issue.objects.filter(
        program=program,
        escalated_at__isnull=False,
        status__in=(IssueStatus.OPEN, IssueStatus.IN_PROGRESS),
    ).order_by("escalated_at", "id")
    for issue in issues:
        agenda.escalations.append(
            AgendaItem(
                "escalations",
                f"Issue {issue.code} {issue.title}",
                issue.escalation_reason or "Escalated to the program.",
                reverse("risks:issue", args=[code, issue.pk]),
                _day(issue.escalated_at),
                overdue=bool(issue.due_date and issue.due_date < today),
            )
        )

    conditions = (
        GateCondition.objects.filter(program=program, status=ConditionStatus.OPEN)
        .select_related("review", "owner")
        .order_by("due_date", "id")
    )
    items = []
    for condition in conditions:
        overdue = bool(condition.due_date and condition.due_date < today)
        owner = condition.owner or "no owner"
        due = f", due {condition.due_date:%Y-%m-%d}" if condition.due_date else ""
        items.append(
            AgendaItem(
                "conditions",
                condition.title,
                f"Condition of {condition.review}; {owner}{due}.",
                reverse("governance:review", args=[code, condition.review_id]),
                _day(condition.created_at),
                overdue=overdue,
            )
        )
    agenda.conditions = sorted(items, key=lambda item: not item.overdue)
    return agenda
