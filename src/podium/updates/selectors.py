"""Reads of component status updates, narrowed to what the reader may see.

- :func:`update_list`, :func:`get_update`, :func:`get_update_for` — updates the reader
  may read (:func:`podium.updates.access.readable`); others answer 404.
- :func:`prefill` — the "new update" form's defaults for one component: the figures
  Podium knows, the suggested colour per dimension with its rule, last period's next
  steps (a reminder) and its blockers (carried into the form).
- :func:`overview` — the program manager's view: each component's update of a period
  beside the one before it, with the change in colour (better / worse / same, in words)
  and in the figures.
- :func:`report_lines` — each component's submitted update of a week, for the status
  report.

Cost dimension and cost figures only for readers who may see costs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from podium.core.errors import NotFound
from podium.programs.models import Component, Program
from podium.programs.permissions import can_see_costs, visible_programs
from podium.updates import access
from podium.updates.figures import component_figures, for_reader
from podium.updates.models import ComponentUpdate, Dimension, Rag, UpdateStatus
from podium.updates.services import ACTIVE_STATUSES, RATED, period_of, week_label

__all__ = [
    "Cell",
    "Column",
    "Delta",
    "Overview",
    "ReportLine",
    "compare",
    "dimensions_for",
    "get_update",
    "get_update_for",
    "latest_before",
    "overview",
    "parse_period",
    "prefill",
    "recent_periods",
    "report_lines",
    "update_list",
]

_RANK = {"green": 1, "amber": 2, "red": 3}
RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red", "": "Not rated", "grey": "No data"}


def dimensions_for(user: Any, program: Program) -> list[str]:
    """The "overall" rating and the dimensions ``user`` may read (no cost without cost rights)."""
    costs = can_see_costs(user, program)
    return [d for d in RATED if costs or d != Dimension.COST]


def label_of(dimension: str) -> str:
    return "Overall" if dimension == "overall" else Dimension(dimension).label


def parse_period(raw: str) -> dt.date | None:
    """An ISO week ("2026-W48") or any date of the week → its Monday; None when neither."""
    raw = (raw or "").strip().upper()
    try:
        if "-W" in raw:
            year, week = raw.split("-W")
            return dt.date.fromisocalendar(int(year), int(week), 1)
        return period_of(dt.date.fromisoformat(raw))
    except ValueError:
        return None


# -- lists and single updates ----------------------------------------------------------------


def update_list(
    user: Any,
    program: Program,
    *,
    component: Component | None = None,
    period: dt.date | None = None,
    status: str = "",
) -> QuerySet[ComponentUpdate]:
    qs = access.readable(user, program).select_related(
        "program", "component", "author", "submitted_by"
    )
    if component is not None:
        qs = qs.filter(component=component)
    if period is not None:
        qs = qs.filter(period=period)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-period", "component__code", "-pk")


def get_update(user: Any, program: Program, pk: int) -> ComponentUpdate:
    found = update_list(user, program).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No update {pk}.")
    return found


def get_update_for(user: Any, pk: int) -> ComponentUpdate:
    """An update of any program ``user`` may see, by id (404 otherwise)."""
    row = (
        ComponentUpdate.objects.filter(pk=pk, program__in=visible_programs(user))
        .select_related("program")
        .first()
    )
    if row is None:
        raise NotFound(f"No update {pk}.")
    return get_update(user, row.program, pk)


def latest_before(component: Component, period: dt.date) -> ComponentUpdate | None:
    """The newest submitted update of ``component`` for a period before ``period``."""
    return (
        ComponentUpdate.objects.filter(
            component=component, status=UpdateStatus.SUBMITTED, period__lt=period
        )
        .select_related("component", "author")
        .order_by("-period")
        .first()
    )


def recent_periods(today: dt.date, count: int = 12) -> list[tuple[dt.date, str]]:
    """(Monday, "2026-W48") of this week and the ``count - 1`` before it."""
    monday = period_of(today)
    return [
        (monday - dt.timedelta(weeks=i), week_label(monday - dt.timedelta(weeks=i)))
        for i in range(count)
    ]


# -- the new update's defaults -----------------------------------------------------------------


def prefill(user: Any, component: Component, today: dt.date | None = None) -> dict[str, Any]:
    """The defaults of a new update of ``component`` for this week (see the module).

    ``initial`` holds the form's starting values: each dimension's suggested colour
    (none where Podium has no suggestion) and last period's blockers."""
    today = today or timezone.localdate()
    period = period_of(today)
    figures = for_reader(component_figures(component, today), user, component.program)
    previous = latest_before(component, period)
    initial: dict[str, Any] = {}
    for dim, hint in figures["suggested"].items():
        if hint["rag"] in Rag.values:
            initial[f"{dim}_rag"] = hint["rag"]
    if previous is not None:
        initial["blockers"] = previous.blockers
    return {
        "component": component,
        "period": period,
        "week": week_label(period),
        "figures": figures,
        "suggested": figures["suggested"],
        "previous": previous,
        "previous_next_steps": previous.next_steps if previous is not None else "",
        "initial": initial,
    }


# -- the overview ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One dimension of one component: its colour now, before, and the change."""

    dimension: str
    label: str
    rag: str
    reason: str
    previous: str  # the colour in the update before ("" when none)
    trend: str  # better | worse | same | new | "" (no update)

    @property
    def rag_label(self) -> str:
        return RAG_LABELS.get(self.rag, self.rag)

    @property
    def change(self) -> str:
        """The change in words: "Amber → Red", "Green (same)", "Red (first update)"."""
        if not self.rag:
            return "Not rated"
        if self.trend == "new" or not self.previous:
            return f"{self.rag_label} (first update)"
        if self.trend == "same":
            return f"{self.rag_label} (same)"
        return f"{RAG_LABELS.get(self.previous, self.previous)} → {self.rag_label}"

    @property
    def arrow(self) -> str:
        return {"better": "▲", "worse": "▼", "same": "="}.get(self.trend, "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension, "rag": self.rag, "reason": self.reason,
            "previous": self.previous or None, "trend": self.trend or None, "change": self.change,
        }  # fmt: skip


@dataclass(frozen=True)
class Delta:
    """A figure now and in the update before: "Finish slip", "+2", "+5", "+3 d"."""

    key: str
    label: str
    before: str
    after: str
    change: str

    @property
    def text(self) -> str:
        if not self.before:
            return f"{self.label}: {self.after}"
        tail = f" ({self.change})" if self.change else ""
        return f"{self.label}: {self.before} → {self.after}{tail}"

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "before": self.before or None,
                "after": self.after, "change": self.change or None, "text": self.text}  # fmt: skip


@dataclass
class Column:
    component: Component
    update: ComponentUpdate | None  # the submitted update of the period
    previous: ComponentUpdate | None  # the submitted update before it
    latest: ComponentUpdate | None  # when missing: the newest submitted one before
    cells: list[Cell] = field(default_factory=list)
    deltas: list[Delta] = field(default_factory=list)

    @property
    def missing(self) -> bool:
        return self.update is None


@dataclass
class Overview:
    program: Program
    period: dt.date
    week: str
    dimensions: list[str]
    columns: list[Column]
    periods: list[tuple[dt.date, str]]
    can_see_costs: bool

    @property
    def labels(self) -> list[tuple[str, str]]:
        return [(d, label_of(d)) for d in self.dimensions]

    @property
    def rows(self) -> list[tuple[str, list[Cell | None]]]:
        """(dimension label, the cell of each column — None when missing), row-wise
        for the side-by-side table."""
        out = []
        for i, (_, label) in enumerate(self.labels):
            out.append((label, [c.cells[i] if c.cells else None for c in self.columns]))
        return out

    @property
    def missing(self) -> list[str]:
        return [c.component.code for c in self.columns if c.missing]

    def as_dict(self) -> dict[str, Any]:
        def brief(u: ComponentUpdate | None) -> dict[str, Any] | None:
            if u is None:
                return None
            return {"id": u.pk, "period": u.period.isoformat(), "week": u.week_label,
                    "overall_rag": u.overall_rag}  # fmt: skip

        return {
            "program": self.program.code,
            "period": self.period.isoformat(),
            "week": self.week,
            "dimensions": self.dimensions,
            "missing": self.missing,
            "components": [
                {
                    "component": c.component.code,
                    "name": c.component.name,
                    "missing": c.missing,
                    "update": brief(c.update),
                    "previous": brief(c.previous),
                    "latest": brief(c.latest),
                    "cells": [cell.as_dict() for cell in c.cells],
                    "deltas": [d.as_dict() for d in c.deltas],
                }
                for c in self.columns
            ],
        }


def _trend(now: str, before: str) -> str:
    if not before:
        return "new"
    if now not in _RANK or before not in _RANK:
        return "same" if now == before else "new"
    if _RANK[now] == _RANK[before]:
        return "same"
    return "better" if _RANK[now] < _RANK[before] else "worse"


def _num(value: Any, fmt: str) -> str:
    return "" if value is None else format(value, fmt)


def _delta(
    key: str, label: str, now: Any, before: Any, fmt: str, unit: str = "", has_before: bool = True
) -> Delta | None:
    if now is None and before is None:
        return None
    after = f"{_num(now, fmt)}{unit}" if now is not None else "—"
    if not has_before:
        return Delta(key, label, "", after, "")
    was = f"{_num(before, fmt)}{unit}" if before is not None else "—"
    change = ""
    if now is not None and before is not None and fmt != ".2f" and now != before:
        change = f"{now - before:+g}{unit}"
    return Delta(key, label, was, after, change)


def _deltas(now: dict[str, Any], before: dict[str, Any] | None, costs: bool) -> list[Delta]:
    old = before or {}
    has_before = before is not None

    def get(data: dict[str, Any], block: str, name: str) -> Any:
        return (data.get(block) or {}).get(name)

    candidates = [
        _delta("slip", "Finish slip (working days)", get(now, "schedule", "slip_working_days"),
               get(old, "schedule", "slip_working_days"), "+g", " d", has_before),
        _delta("open_risks", "Open risks", get(now, "risks", "open"), get(old, "risks", "open"),
               "d", "", has_before),
        _delta("high_risks", "High risks", get(now, "risks", "high"), get(old, "risks", "high"),
               "d", "", has_before),
        _delta("overdue_feedback", "Overdue feedback", get(now, "feedback", "overdue"),
               get(old, "feedback", "overdue"), "d", "", has_before),
        _delta("late_deliverables", "Late deliverables", get(now, "scope", "late"),
               get(old, "scope", "late"), "d", "", has_before),
    ]  # fmt: skip
    if costs:
        candidates += [
            _delta("cpi", "CPI", get(now, "cost", "cpi"), get(old, "cost", "cpi"), ".2f", "",
                   has_before),
            _delta("spi", "SPI", get(now, "cost", "spi"), get(old, "cost", "spi"), ".2f", "",
                   has_before),
        ]  # fmt: skip
    return [d for d in candidates if d is not None]


def compare(
    update: ComponentUpdate, previous: ComponentUpdate | None, dims: list[str], costs: bool
) -> tuple[list[Cell], list[Delta]]:
    """The colour of each of ``dims`` in ``update`` beside ``previous`` (the update
    before it, or None), and the change in its figures."""
    cells = []
    for dim in dims:
        before = previous.rag(dim) if previous is not None else ""
        cells.append(
            Cell(dim, label_of(dim), update.rag(dim), update.reason(dim), before,
                 _trend(update.rag(dim), before))
        )  # fmt: skip
    deltas = _deltas(
        update.figures or {}, previous.figures if previous is not None else None, costs
    )
    return cells, deltas


def _column(
    component: Component,
    update: ComponentUpdate | None,
    previous: ComponentUpdate | None,
    latest: ComponentUpdate | None,
    dims: list[str],
    costs: bool,
) -> Column:
    column = Column(component, update, previous, latest)
    if update is not None:
        column.cells, column.deltas = compare(update, previous, dims, costs)
    return column


def overview(user: Any, program: Program, period: dt.date | None = None) -> Overview:
    """Each active component's submitted update of ``period`` (default: this week) and
    the change since its previous submitted update (see :class:`Cell`, :class:`Delta`);
    a component without one is "missing" (its newest earlier update is named)."""
    today = timezone.localdate()
    period = period_of(period or today)
    costs = can_see_costs(user, program)
    dims = dimensions_for(user, program)
    submitted = list(
        ComponentUpdate.objects.filter(program=program, status=UpdateStatus.SUBMITTED)
        .filter(period__lte=period)
        .select_related("component", "author")
        .order_by("component_id", "-period")
    )
    by_component: dict[int, list[ComponentUpdate]] = {}
    for u in submitted:
        by_component.setdefault(u.component_id, []).append(u)
    components = [
        c for c in program.components.select_related("manager").order_by("code")
        if c.status in ACTIVE_STATUSES or c.pk in by_component
    ]  # fmt: skip
    columns = []
    for c in components:
        history = by_component.get(c.pk, [])
        current = history[0] if history and history[0].period == period else None
        if current is not None:
            previous = history[1] if len(history) > 1 else None
            columns.append(_column(c, current, previous, None, dims, costs))
        else:
            columns.append(_column(c, None, None, history[0] if history else None, dims, costs))
    return Overview(
        program, period, week_label(period), dims, columns, recent_periods(today), costs
    )


# -- the status report -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportLine:
    """One component in the status report's "Component updates" section."""

    component: str  # "EHR"
    name: str
    update_id: int | None  # None: no update submitted for the week
    overall_rag: str
    overall_reason: str
    reasons: list[tuple[str, str, str]]  # (dimension label, rag, reason) of rated dimensions
    accomplishments: str
    next_steps: str
    blockers: str
    help_needed: str
    author: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "component": self.component, "name": self.name, "update_id": self.update_id,
            "submitted": self.update_id is not None, "overall_rag": self.overall_rag or None,
            "overall_reason": self.overall_reason,
            "dimensions": [{"label": label, "rag": rag, "reason": reason}
                           for label, rag, reason in self.reasons],
            "accomplishments": self.accomplishments, "next_steps": self.next_steps,
            "blockers": self.blockers, "help_needed": self.help_needed, "author": self.author,
        }  # fmt: skip


def report_lines(program: Program, user: Any, day: dt.date) -> list[ReportLine]:
    """Each active component's submitted update of the week of ``day`` as ``user`` may
    read it (no cost dimension without cost rights); a line without update for those
    that filed none."""
    period = period_of(day)
    dims = [d for d in dimensions_for(user, program) if d != "overall"]
    updates = {
        u.component_id: u
        for u in ComponentUpdate.objects.filter(
            program=program, period=period, status=UpdateStatus.SUBMITTED
        ).select_related("component", "submitted_by", "author")
    }
    lines = []
    for c in program.components.order_by("code"):
        u = updates.get(c.pk)
        if u is None:
            if c.status in ACTIVE_STATUSES:
                lines.append(ReportLine(c.code, c.name, None, "", "", [], "", "", "", "", ""))
            continue
        who = u.submitted_by or u.author
        author = str(who) if who is not None else ""
        lines.append(
            ReportLine(
                c.code, c.name, u.pk, u.overall_rag, u.overall_reason,
                [(Dimension(d).label, u.rag(d), u.reason(d)) for d in dims if u.rag(d)],
                u.accomplishments, u.next_steps, u.blockers, u.help_needed, author,
            )
        )  # fmt: skip
    return lines
