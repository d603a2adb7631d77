"""DSLIB workbook → earned value engine inputs (:mod:`podium.engine.evm`).

Budgets come from the ``Baseline Schedule``: each non-summary activity's baseline
start and end on the Agenda calendar, its ``Resource Cost`` and ``Variable Cost``
spread over its working time and its ``Fixed Cost`` incurred at its start — ProTrack's
rules, which reproduce the planned values of the workbooks' ``TP`` sheets. Where a
workbook has no cost columns at all, resource costs are the assignments' units × the
resources' rates (``Cost/Unit`` per hour, ``Cost/Use`` at the start).

Progress comes from each ``TP`` sheet: ``Percentage Completed``, ``Actual Start`` and
the cumulative ``Actual Cost`` per activity. The sheets' own EV/PV columns and the
``Tracking Overview`` are never used here: the engine computes those figures.

Components are the WBS branches just below the project row (ID 0).
"""

from __future__ import annotations

from podium.engine.errors import ParseError
from podium.engine.evm import (
    ActivityBudget,
    ActivityProgress,
    CostItem,
    EvmProject,
    EvmStatus,
    ResourceCost,
    evaluate,
)
from podium.engine.evm_schedule import EsMethod
from podium.interchange.dslib import DslibWorkbook, TrackingPeriod

__all__ = ["evm_progress", "evm_project", "evm_statuses"]


def _components(workbook: DslibWorkbook) -> dict[str, str]:
    parent = {a.id: a.parent for a in workbook.project.network.activities}
    names = {a.id: a.name for a in workbook.project.network.activities}
    out: dict[str, str] = {}
    for aid in parent:
        node, up = aid, parent[aid]
        while up is not None and up != "0" and parent.get(up) is not None:
            node, up = up, parent[up]
        if up is not None and node != aid:  # below a branch of its own
            out[aid] = f"{node} {names[node]}".strip()
    return out


def evm_project(workbook: DslibWorkbook) -> EvmProject:
    """The baseline budgets of a DSLIB workbook's non-summary activities.

    Raises
    ------
    ParseError
        When an activity has no baseline start or end.
    """
    project = workbook.project
    network = project.network
    rates = {r.id: r for r in project.resources}
    by_activity: dict[str, list[ResourceCost]] = {}
    for asg in project.assignments:
        res = rates.get(asg.resource_id)
        if res is not None:
            by_activity.setdefault(asg.activity_id, []).append(
                ResourceCost(res.id, asg.units, res.standard_rate, res.cost_per_use)
            )
    components = _components(workbook)
    budgets: list[ActivityBudget] = []
    for act in network.activities:
        if act.kind == "summary":
            continue
        base = project.baselines.get(act.id)
        start = None if base is None else base.start
        finish = None if base is None else base.finish
        if start is not None and (finish is None or act.kind == "milestone"):
            # some hand-made workbooks leave Baseline End empty: start + duration
            finish = network.default_calendar.add_work(start, act.duration_minutes)
        if start is None or finish is None:
            raise ParseError(
                project.source, "'Baseline Schedule'", f"activity {act.id!r} has no baseline dates"
            )
        costs = workbook.costs.get(act.id)
        if workbook.costs and costs is not None:
            budget = ActivityBudget(
                act.id,
                start,
                finish,
                fixed_cost=costs.fixed_cost,
                costs=(
                    CostItem(costs.resource_cost, "prorated", "resources"),
                    CostItem(costs.variable_cost, "prorated", "variable"),
                ),
                component=components.get(act.id),
            )
        else:
            budget = ActivityBudget(
                act.id,
                start,
                finish,
                resources=tuple(by_activity.get(act.id, ())),
                component=components.get(act.id),
            )
        budgets.append(budget)
    return EvmProject(tuple(budgets), network.default_calendar, start=network.project_start)


def evm_progress(period: TrackingPeriod, project: EvmProject) -> dict[str, ActivityProgress]:
    """Each budgeted activity's status in one tracking period."""
    ids = {a.id for a in project.activities}
    out: dict[str, ActivityProgress] = {}
    for aid, rec in period.activities.items():
        if aid not in ids:
            continue
        pc = min(max(rec.percent_complete or 0.0, 0.0), 100.0)
        out[aid] = ActivityProgress(
            percent_complete=pc,
            actual_cost=rec.actual_cost or 0.0,
            started=rec.actual_start is not None or pc > 0,
        )
    return out


def evm_statuses(
    workbook: DslibWorkbook, *, es_method: EsMethod = "protrack", period_minutes: int = 60
) -> list[EvmStatus]:
    """Earned value and earned schedule at every tracking period's status date."""
    project = evm_project(workbook)
    return [
        evaluate(
            project,
            evm_progress(tp, project),
            tp.status_date,
            es_method=es_method,
            period_minutes=period_minutes,
        )
        for tp in workbook.tracking
    ]
