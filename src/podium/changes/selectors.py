"""Reads of change requests.

Callers pass a program the user may see (:func:`podium.programs.permissions.get_program`);
:func:`get_change_request_for` narrows by
:func:`~podium.programs.permissions.visible_programs` itself, so a request of a program
the user does not belong to answers 404 exactly like a missing one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from podium.changes.access import can_read
from podium.changes.models import ChangeLine, ChangeRequest, LineKind, State
from podium.core.errors import NotFound
from podium.programs.models import Program
from podium.programs.permissions import get_program, visible_programs

__all__ = [
    "change_request_list",
    "describe_line",
    "get_change_request_for",
    "get_line_for",
    "lines_of",
    "pending_change_requests",
    "readable_program",
]

_RELATED = ("program", "requested_by", "decided_by", "decision")
_LINE_RELATED = (
    "activity", "activity__component", "predecessor", "predecessor__component", "successor",
    "successor__component", "link", "cost_account", "deliverable",
)  # fmt: skip


def readable_program(user: Any, code: str) -> Program:
    """The program ``code`` if ``user`` may read its change requests; NotFound otherwise
    (stakeholders and non-members alike)."""
    program = get_program(user, code)
    if not can_read(user, program):
        raise NotFound(f"No program {code!r}.")
    return program


def pending_change_requests(program: Program) -> QuerySet[ChangeRequest]:
    """Submitted requests awaiting a decision, oldest first (the board's agenda)."""
    return (
        ChangeRequest.objects.filter(program=program, state=State.SUBMITTED)
        .select_related(*_RELATED)
        .order_by("submitted_at", "number")
    )


def change_request_list(
    program: Program, *, state: str = "", component: int | None = None, text: str = ""
) -> QuerySet[ChangeRequest]:
    qs = ChangeRequest.objects.filter(program=program).select_related(*_RELATED)
    if state:
        qs = qs.filter(state=state)
    if component is not None:
        qs = qs.filter(components__id=component)
    if text:
        cond = Q(title__icontains=text) | Q(description__icontains=text)
        if text.upper().startswith("CR-") and text[3:].isdigit():
            cond |= Q(number=int(text[3:]))
        qs = qs.filter(cond)
    return qs.prefetch_related("components").order_by("-number").distinct()


def get_change_request_for(user: Any, pk: int, program: Program | None = None) -> ChangeRequest:
    """The request if ``user`` may see its program (and it belongs to ``program`` when
    given); otherwise NotFound."""
    qs = ChangeRequest.objects.filter(program__in=visible_programs(user)).select_related(*_RELATED)
    if program is not None:
        qs = qs.filter(program=program)
    cr = qs.filter(pk=pk).first()
    if cr is None or not can_read(user, cr.program):
        raise NotFound("No such change request.")
    return cr


def lines_of(cr: ChangeRequest) -> list[ChangeLine]:
    return list(cr.lines.select_related(*_LINE_RELATED).order_by("order", "pk"))


def get_line_for(user: Any, pk: int) -> ChangeLine:
    line = (
        ChangeLine.objects.filter(change_request__program__in=visible_programs(user), pk=pk)
        .select_related("change_request", "change_request__program", *_LINE_RELATED)
        .first()
    )
    if line is None or not can_read(user, line.change_request.program):
        raise NotFound("No such change line.")
    return line


def _days(minutes: int | None, day: int = 480) -> str:
    if minutes is None:
        return "?"
    return f"{Decimal(minutes) / Decimal(day):.2f}".rstrip("0").rstrip(".")


def _trim(value: Decimal | None) -> str:
    if value is None:
        return "?"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _act(activity: Any) -> str:
    return f"{activity.component.code} {activity.code}" if activity is not None else "(removed)"


def describe_line(line: ChangeLine, costs: bool) -> str:
    """One sentence saying what the line changes."""
    if line.kind == LineKind.DURATION:
        days = _trim(line.new_duration_days)
        return (f"Duration of {_act(line.activity)} from {_days(line.old_duration_minutes)} to "
                f"{days} working days")  # fmt: skip
    if line.kind == LineKind.ADD_LINK:
        lag = f", lag {_trim(line.lag_days)} days" if line.lag_days else ""
        return (f"Add link {_act(line.predecessor)} → {_act(line.successor)} "
                f"({line.link_type}{lag})")  # fmt: skip
    if line.kind == LineKind.REMOVE_LINK:
        return (f"Remove link {_act(line.predecessor)} → {_act(line.successor)} "
                f"({line.link_type})")  # fmt: skip
    if line.kind == LineKind.COST:
        account = line.cost_account.code if line.cost_account else "?"
        if not costs:
            return f"Budget change on {account} (amount visible to managers)"
        sign = "+" if line.amount is not None and line.amount > 0 else ""
        on = f" for {_act(line.activity)}" if line.activity is not None else ""
        return f"Budget {sign}{line.amount} on {account}{on}"
    if line.kind == LineKind.DESCOPE_DELIVERABLE:
        d = line.deliverable
        return f"Descope deliverable {d.code} {d.name}" if d is not None else "Descope (removed)"
    return line.get_kind_display()
